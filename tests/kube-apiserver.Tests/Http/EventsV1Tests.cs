using System.Net;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace KubeApiserver.Tests.Http;

/// <summary>
/// events.k8s.io/v1 over the storage of core/v1 events: an event written through either group is
/// read, listed and watched through both, in each group's shape; creates through events.k8s.io/v1
/// meet its strict rules.
/// </summary>
[TestFixture]
public sealed class EventsV1Tests : ServerFixture
{
    private const string EventsV1 = """
        {"kind":"Event","apiVersion":"events.k8s.io/v1","metadata":{"name":"web.1","namespace":"NS"},
         "eventTime":"2025-01-02T03:04:05.123456Z","series":{"count":3,"lastObservedTime":"2025-01-02T03:09:05.000001Z"},
         "reportingController":"example.com/deployer","reportingInstance":"deployer-7d9f","action":"Scaling","reason":"ScaledUp",
         "regarding":{"kind":"Deployment","namespace":"NS","name":"web","uid":"0f3c","apiVersion":"apps/v1","resourceVersion":"12"},
         "related":{"kind":"ReplicaSet","namespace":"NS","name":"web-5d8","apiVersion":"apps/v1"},
         "note":"Scaled up replica set web-5d8 to 3","type":"Normal","deprecatedSource":{},
         "deprecatedFirstTimestamp":null,"deprecatedLastTimestamp":null}
        """;

    private async Task<(string Ns, JsonObject Input)> CreateEventsV1Async()
    {
        var ns = await NewNamespaceAsync();
        var input = JsonNode.Parse(EventsV1.Replace("NS", ns))!.AsObject();
        var created = await Http.SendAsync(HttpMethod.Post, $"/apis/events.k8s.io/v1/namespaces/{ns}/events", input.ToJsonString());
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        return (ns, input);
    }

    [Test]
    public async Task EventsV1Event_RoundTripsUnchanged()
    {
        var (ns, input) = await CreateEventsV1Async();
        var got = (await Http.SendAsync(HttpMethod.Get, $"/apis/events.k8s.io/v1/namespaces/{ns}/events/web.1")).Body;
        foreach (var field in new[] { "uid", "resourceVersion", "creationTimestamp", "managedFields" })
        {
            Assert.That(got["metadata"]![field], Is.Not.Null, field);
            got["metadata"]!.AsObject().Remove(field);
        }
        Assert.That(JsonNode.DeepEquals(got, input), Is.True, got.ToJsonString());
    }

    [Test]
    public async Task EventsV1Event_IsReadAsTheSameCoreEvent()
    {
        var (ns, _) = await CreateEventsV1Async();
        var events = (await Http.SendAsync(HttpMethod.Get, $"/apis/events.k8s.io/v1/namespaces/{ns}/events/web.1")).Body;
        var core = (await Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/events/web.1")).Body;
        Assert.Multiple(() =>
        {
            Assert.That(core["apiVersion"]!.ToString(), Is.EqualTo("v1"));
            Assert.That(core["message"]!.ToString(), Is.EqualTo("Scaled up replica set web-5d8 to 3"));
            Assert.That(core["involvedObject"]!["name"]!.ToString(), Is.EqualTo("web"));
            Assert.That(core["reportingComponent"]!.ToString(), Is.EqualTo("example.com/deployer"));
            Assert.That(core["reportingInstance"]!.ToString(), Is.EqualTo("deployer-7d9f"));
            Assert.That(core["series"]!["count"]!.GetValue<int>(), Is.EqualTo(3));
            Assert.That(core["note"], Is.Null);
            Assert.That(core["metadata"]!["resourceVersion"]!.ToString(), Is.EqualTo(events["metadata"]!["resourceVersion"]!.ToString()));
            Assert.That(core["metadata"]!["uid"]!.ToString(), Is.EqualTo(events["metadata"]!["uid"]!.ToString()));
        });
    }

    [Test]
    public async Task CoreEvent_IsListedInEventsV1Shape()
    {
        var ns = await NewNamespaceAsync();
        var created = await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/events", $$$"""
            {"metadata":{"name":"pod.1"},"involvedObject":{"kind":"Pod","namespace":"{{{ns}}}","name":"p"},"reason":"Pulled",
             "message":"Image pulled","source":{"component":"kubelet","host":"node-1"},"firstTimestamp":"2025-01-02T03:04:05Z",
             "lastTimestamp":"2025-01-02T03:05:05Z","count":2,"type":"Normal"}
            """);
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        var list = (await Http.SendAsync(HttpMethod.Get, $"/apis/events.k8s.io/v1/namespaces/{ns}/events")).Body;
        var item = list["items"]!.AsArray().Single()!;
        Assert.Multiple(() =>
        {
            Assert.That(list["kind"]!.ToString(), Is.EqualTo("EventList"));
            Assert.That(list["apiVersion"]!.ToString(), Is.EqualTo("events.k8s.io/v1"));
            Assert.That(item["note"]!.ToString(), Is.EqualTo("Image pulled"));
            Assert.That(item["regarding"]!["kind"]!.ToString(), Is.EqualTo("Pod"));
            Assert.That(item["deprecatedSource"]!["host"]!.ToString(), Is.EqualTo("node-1"));
            Assert.That(item["deprecatedFirstTimestamp"]!.ToString(), Is.EqualTo("2025-01-02T03:04:05Z"));
            Assert.That(item["deprecatedLastTimestamp"]!.ToString(), Is.EqualTo("2025-01-02T03:05:05Z"));
            Assert.That(item["deprecatedCount"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(item.AsObject().ContainsKey("eventTime"), Is.True, "eventTime is written as null, as Go writes a zero MicroTime");
            Assert.That(item["message"], Is.Null);
        });
    }

    [Test]
    public async Task WatchInEventsV1_SeesCoreWrites()
    {
        var ns = await NewNamespaceAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/apis/events.k8s.io/v1/namespaces/{ns}/events?watch=1"),
            HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
        var created = await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/events",
            """{"metadata":{"name":"w"},"involvedObject":{"kind":"Pod","name":"p"},"reason":"Started","message":"Started container"}""");
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        var e = JsonNode.Parse((await reader.ReadLineAsync(cancel.Token))!)!;
        Assert.Multiple(() =>
        {
            Assert.That(e["type"]!.ToString(), Is.EqualTo("ADDED"));
            Assert.That(e["object"]!["apiVersion"]!.ToString(), Is.EqualTo("events.k8s.io/v1"));
            Assert.That(e["object"]!["note"]!.ToString(), Is.EqualTo("Started container"));
            Assert.That(e["object"]!["metadata"]!["resourceVersion"]!.ToString(), Is.EqualTo(created.Body["metadata"]!["resourceVersion"]!.ToString()));
        });
    }

    [TestCase("eventTime", "FieldValueRequired")]
    [TestCase("type", "FieldValueInvalid")]
    [TestCase("reportingInstance", "FieldValueRequired")]
    public async Task EventsV1Create_MeetsTheStrictRules(string missing, string reason)
    {
        var ns = await NewNamespaceAsync();
        var input = JsonNode.Parse(EventsV1.Replace("NS", ns))!.AsObject();
        input.Remove(missing);
        var body = (await Http.SendAsync(HttpMethod.Post, $"/apis/events.k8s.io/v1/namespaces/{ns}/events", input.ToJsonString())).AssertStatus(422, "Invalid");
        var causes = body["details"]!["causes"]!.AsArray();
        Assert.That(causes.Any(c => c!["field"]!.ToString() == missing && c["reason"]!.ToString() == reason), Is.True, body.ToJsonString());
    }

    [Test]
    public async Task EventsV1Table_HasKubesEventColumns()
    {
        var (ns, _) = await CreateEventsV1Async();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/apis/events.k8s.io/v1/namespaces/{ns}/events");
        request.Headers.TryAddWithoutValidation("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io");
        var table = JsonNode.Parse(await (await Http.SendAsync(request)).Content.ReadAsStringAsync())!;
        Assert.That(table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.ToString()), Is.EqualTo(new[] { "Last Seen", "Type", "Reason", "Object", "Message" }));
        var cells = table["rows"]![0]!["cells"]!.AsArray().Select(c => c!.ToString()).ToList();
        Assert.That(cells.Skip(1), Is.EqualTo(new[] { "Normal", "ScaledUp", "deployment/web", "Scaled up replica set web-5d8 to 3" }));
    }
}
