using System.Text.Json.Nodes;
using NUnit.Framework;

namespace KubeApiserver.Tests.Http;

/// <summary>
/// Discovery of autoscaling (v2 preferred, v1), events.k8s.io/v1 and ingresses, legacy and
/// aggregated, as kube-apiserver 1.34 lists them; OpenAPI v3 has one document per group version.
/// </summary>
[TestFixture]
public sealed class NewGroupsDiscoveryTests : ServerFixture
{
    private static readonly string[] AllVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
    private static readonly string[] StatusVerbs = ["get", "patch", "update"];

    // (group, version, resource, singular, kind, short names, categories, has status)
    private static readonly object[] Resources =
    [
        new object[] { "autoscaling", "v2", "horizontalpodautoscalers", "horizontalpodautoscaler", "HorizontalPodAutoscaler", new[] { "hpa" }, new[] { "all" }, true },
        new object[] { "autoscaling", "v1", "horizontalpodautoscalers", "horizontalpodautoscaler", "HorizontalPodAutoscaler", new[] { "hpa" }, new[] { "all" }, true },
        new object[] { "events.k8s.io", "v1", "events", "event", "Event", new[] { "ev" }, Array.Empty<string>(), false },
        new object[] { "networking.k8s.io", "v1", "ingresses", "ingress", "Ingress", new[] { "ing" }, Array.Empty<string>(), true },
    ];

    [Test]
    public async Task Autoscaling_ListsV2PreferredThenV1()
    {
        var group = (await Http.SendAsync(HttpMethod.Get, "/apis/autoscaling")).Body;
        var listed = (await Http.SendAsync(HttpMethod.Get, "/apis")).Body["groups"]!.AsArray().Single(g => g!["name"]!.ToString() == "autoscaling")!;
        Assert.Multiple(() =>
        {
            Assert.That(group["versions"]!.AsArray().Select(v => v!["groupVersion"]!.ToString()), Is.EqualTo(new[] { "autoscaling/v2", "autoscaling/v1" }));
            Assert.That(group["preferredVersion"]!["groupVersion"]!.ToString(), Is.EqualTo("autoscaling/v2"));
            Assert.That(listed["preferredVersion"]!["version"]!.ToString(), Is.EqualTo("v2"));
        });
    }

    [TestCaseSource(nameof(Resources))]
    public async Task LegacyDiscovery_ReportsKubesEntry(string group, string version, string plural, string singular, string kind, string[] shortNames, string[] categories, bool status)
    {
        var list = (await Http.SendAsync(HttpMethod.Get, $"/apis/{group}/{version}")).Body["resources"]!.AsArray();
        var entry = list.Single(r => r!["name"]!.ToString() == plural)!;
        var statusEntry = list.SingleOrDefault(r => r!["name"]!.ToString() == plural + "/status");
        Assert.Multiple(() =>
        {
            Assert.That(entry["singularName"]!.ToString(), Is.EqualTo(singular));
            Assert.That(entry["kind"]!.ToString(), Is.EqualTo(kind));
            Assert.That(entry["namespaced"]!.GetValue<bool>(), Is.True);
            Assert.That(entry["verbs"]!.AsArray().Select(v => v!.ToString()), Is.EqualTo(AllVerbs));
            Assert.That((entry["shortNames"] as JsonArray ?? []).Select(v => v!.ToString()), Is.EqualTo(shortNames));
            Assert.That((entry["categories"] as JsonArray ?? []).Select(v => v!.ToString()), Is.EqualTo(categories));
            Assert.That(entry["group"], Is.Null, "the kind is the group version's own");
            Assert.That(statusEntry is not null, Is.EqualTo(status));
            if (statusEntry is not null)
            {
                Assert.That(statusEntry["verbs"]!.AsArray().Select(v => v!.ToString()), Is.EqualTo(StatusVerbs));
                Assert.That(statusEntry["kind"]!.ToString(), Is.EqualTo(kind));
            }
        });
    }

    [TestCaseSource(nameof(Resources))]
    public async Task AggregatedDiscovery_ReportsKubesEntry(string group, string version, string plural, string singular, string kind, string[] shortNames, string[] categories, bool status)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/apis");
        request.Headers.TryAddWithoutValidation("Accept", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
        var doc = JsonNode.Parse(await (await Http.SendAsync(request)).Content.ReadAsStringAsync())!;
        var groupEntry = doc["items"]!.AsArray().Single(g => g!["metadata"]!["name"]!.ToString() == group)!;
        var versionEntry = groupEntry["versions"]!.AsArray().Single(v => v!["version"]!.ToString() == version)!;
        var entry = versionEntry["resources"]!.AsArray().Single(r => r!["resource"]!.ToString() == plural)!;
        Assert.Multiple(() =>
        {
            Assert.That(entry["responseKind"]!.ToJsonString(), Is.EqualTo($$"""{"group":"{{group}}","version":"{{version}}","kind":"{{kind}}"}"""));
            Assert.That(entry["scope"]!.ToString(), Is.EqualTo("Namespaced"));
            Assert.That(entry["singularResource"]!.ToString(), Is.EqualTo(singular));
            Assert.That(entry["verbs"]!.AsArray().Select(v => v!.ToString()), Is.EqualTo(AllVerbs));
            Assert.That((entry["shortNames"] as JsonArray ?? []).Select(v => v!.ToString()), Is.EqualTo(shortNames));
            Assert.That((entry["categories"] as JsonArray ?? []).Select(v => v!.ToString()), Is.EqualTo(categories));
            Assert.That((entry["subresources"] as JsonArray ?? []).Select(s => s!["subresource"]!.ToString()), Is.EqualTo(status ? new[] { "status" } : []));
        });
        if (group == "autoscaling")
        {
            Assert.That(groupEntry["versions"]!.AsArray().Select(v => v!["version"]!.ToString()), Is.EqualTo(new[] { "v2", "v1" }));
        }
    }

    [TestCase("apis/autoscaling/v2", "io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler")]
    [TestCase("apis/autoscaling/v1", "io.k8s.api.autoscaling.v1.HorizontalPodAutoscaler")]
    [TestCase("apis/events.k8s.io/v1", "io.k8s.api.events.v1.Event")]
    [TestCase("apis/networking.k8s.io/v1", "io.k8s.api.networking.v1.Ingress")]
    public async Task OpenApiV3_HasADocumentPerGroupVersion(string path, string schema)
    {
        var index = (await Http.SendAsync(HttpMethod.Get, "/openapi/v3")).Body;
        Assert.That(index["paths"]![path], Is.Not.Null, index.ToJsonString());
        var document = (await Http.SendAsync(HttpMethod.Get, "/openapi/v3/" + path)).Body;
        var definition = document["components"]!["schemas"]![schema];
        Assert.That(definition, Is.Not.Null);
        Assert.That(definition!["x-kubernetes-group-version-kind"]![0]!["version"]!.ToString(), Is.EqualTo(path.Split('/')[^1]));
    }
}
