using System.Net;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace KubeApiserver.Tests.Http;

/// <summary>Discovery, health, authentication, tables, lists, watches and namespaces over plain HTTP.</summary>
[TestFixture]
public sealed class ServerTests : ServerFixture
{
    [Test]
    public async Task CoreDiscovery_ListsResourcesWithVerbsAndShortNames()
    {
        var api = (await Http.SendAsync(HttpMethod.Get, "/api")).Body;
        Assert.That(api["kind"]?.ToString(), Is.EqualTo("APIVersions"));
        Assert.That(api["versions"]!.AsArray().Select(v => v!.ToString()), Is.EqualTo(new[] { "v1" }));

        var v1 = (await Http.SendAsync(HttpMethod.Get, "/api/v1")).Body;
        var resources = v1["resources"]!.AsArray().ToDictionary(r => r!["name"]!.ToString(), r => r!);
        Assert.Multiple(() =>
        {
            Assert.That(v1["groupVersion"]?.ToString(), Is.EqualTo("v1"));
            Assert.That(resources.Keys, Is.SupersetOf(new[] { "namespaces", "configmaps", "secrets", "serviceaccounts", "events" }));
            Assert.That(resources["configmaps"]["kind"]?.ToString(), Is.EqualTo("ConfigMap"));
            Assert.That(resources["configmaps"]["singularName"]?.ToString(), Is.EqualTo("configmap"));
            Assert.That(resources["configmaps"]["namespaced"]?.GetValue<bool>(), Is.True);
            Assert.That(resources["namespaces"]["namespaced"]?.GetValue<bool>(), Is.False);
            Assert.That(resources["configmaps"]["shortNames"]!.AsArray().Select(s => s!.ToString()), Is.EqualTo(new[] { "cm" }));
            Assert.That(resources["configmaps"]["verbs"]!.AsArray().Select(s => s!.ToString()),
                Is.EquivalentTo(new[] { "create", "delete", "deletecollection", "get", "list", "patch", "update", "watch" }));
        });
    }

    [Test]
    public async Task GroupsAndVersion_AreServed()
    {
        var apis = (await Http.SendAsync(HttpMethod.Get, "/apis")).Body;
        Assert.That(apis["kind"]?.ToString(), Is.EqualTo("APIGroupList"));
        var version = (await Http.SendAsync(HttpMethod.Get, "/version")).Body;
        Assert.That(version["gitVersion"]?.ToString(), Does.StartWith("v1."));
        Assert.That(version["major"]?.ToString(), Is.EqualTo("1"));
    }

    [Test]
    public async Task ReadyzVerbose_ListsChecksAndHooks()
    {
        var (code, body) = await Http.SendAsync(HttpMethod.Get, "/readyz?verbose");
        var text = body["text"]!.ToString();
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(text, Does.Contain("[+]ping ok"));
            Assert.That(text, Does.Contain("[+]poststarthook/start-system-namespaces-controller ok"));
            Assert.That(text, Does.Contain("[+]shutdown ok"));
            Assert.That(text, Does.EndWith("readyz check passed\n"));
        });
        Assert.That((await Http.SendAsync(HttpMethod.Get, "/livez")).Body["text"]!.ToString(), Is.EqualTo("ok"));
        Assert.That((await Http.SendAsync(HttpMethod.Get, "/healthz/ping")).Code, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task NoCredentials_IsAnonymousAndForbidden_InvalidToken_Answers401Status()
    {
        using var anonymous = Server.CreateAnonymousHttpClient();
        // As kube with --anonymous-auth (the default): system:anonymous, whom RBAC does not allow to list.
        var status = (await anonymous.SendAsync(HttpMethod.Get, "/api/v1/namespaces")).AssertStatus(403, "Forbidden");
        Assert.That(status["message"]?.ToString(), Is.EqualTo("namespaces is forbidden: User \"system:anonymous\" cannot list resource \"namespaces\" in API group \"\" at the cluster scope"));
        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", "not-a-token");
        (await anonymous.SendAsync(HttpMethod.Get, "/api/v1/namespaces")).AssertStatus(401, "Unauthorized");
    }

    [Test]
    public async Task SystemNamespaces_ExistAfterStart()
    {
        var list = (await Http.SendAsync(HttpMethod.Get, "/api/v1/namespaces")).Body;
        var names = list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.ToString());
        Assert.That(names, Is.SupersetOf(new[] { "default", "kube-system", "kube-public", "kube-node-lease" }));
        (await Http.SendAsync(HttpMethod.Delete, "/api/v1/namespaces/kube-system")).AssertStatus(403, "Forbidden");
    }

    [Test]
    public async Task TableRequest_RendersKubectlColumns()
    {
        var ns = await NewNamespaceAsync();
        await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/secrets", """{"metadata":{"name":"s"},"type":"kubernetes.io/basic-auth","data":{"username":"YQ==","password":"Yg=="}}""");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/namespaces/{ns}/secrets");
        request.Headers.TryAddWithoutValidation("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json");
        using var response = await Http.SendAsync(request);
        var table = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Multiple(() =>
        {
            Assert.That(table["kind"]?.ToString(), Is.EqualTo("Table"));
            Assert.That(table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.ToString()), Is.EqualTo(new[] { "Name", "Type", "Data", "Age" }));
            var cells = table["rows"]![0]!["cells"]!.AsArray();
            Assert.That(cells[0]!.ToString(), Is.EqualTo("s"));
            Assert.That(cells[1]!.ToString(), Is.EqualTo("kubernetes.io/basic-auth"));
            Assert.That(cells[2]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(table["rows"]![0]!["object"]!["kind"]?.ToString(), Is.EqualTo("PartialObjectMetadata"));
        });
    }

    [Test]
    public async Task UnacceptableAccept_Answers406()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces");
        request.Headers.TryAddWithoutValidation("Accept", "application/vnd.kubernetes.protobuf");
        using var response = await Http.SendAsync(request);
        Assert.That((int)response.StatusCode, Is.EqualTo(406));
    }

    [Test]
    public async Task PaginatedList_ServesEveryItemOnceAtOneRevision()
    {
        var ns = await NewNamespaceAsync();
        for (var i = 0; i < 7; i++)
        {
            await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", $$$"""{"metadata":{"name":"cm-{{{i}}}"}}""");
        }
        var seen = new List<string>();
        string? token = null;
        string? revision = null;
        do
        {
            var page = (await Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps?limit=3" + (token is null ? "" : $"&continue={token}"))).Body;
            seen.AddRange(page["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.ToString()));
            revision ??= page["metadata"]!["resourceVersion"]!.ToString();
            Assert.That(page["metadata"]!["resourceVersion"]!.ToString(), Is.EqualTo(revision));
            token = page["metadata"]!["continue"]?.ToString();
            if (token is not null)
            {
                Assert.That(page["metadata"]!["remainingItemCount"]!.GetValue<long>(), Is.EqualTo(7 - seen.Count));
                // A write between pages does not show in later pages.
                await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", $$$"""{"metadata":{"name":"late-{{{seen.Count}}}"}}""");
            }
        }
        while (token is not null);
        Assert.That(seen, Is.EqualTo(Enumerable.Range(0, 7).Select(i => $"cm-{i}")));
    }

    [Test]
    public async Task BadContinueToken_Answers400()
    {
        (await Http.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/configmaps?limit=1&continue=garbage")).AssertStatus(400, "BadRequest");
    }

    [Test]
    public async Task LabelSelector_FiltersLists()
    {
        var ns = await NewNamespaceAsync();
        await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"a","labels":{"app":"web","tier":"front"}}}""");
        await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"b","labels":{"app":"db"}}}""");
        await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"c"}}""");
        async Task<string[]> Select(string selector) =>
            [.. (await Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps?labelSelector={Uri.EscapeDataString(selector)}")).Body["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.ToString())];
        Assert.Multiple(async () =>
        {
            Assert.That(await Select("app=web"), Is.EqualTo(new[] { "a" }));
            Assert.That(await Select("app!=web"), Is.EqualTo(new[] { "b", "c" }));
            Assert.That(await Select("app in (web,db)"), Is.EqualTo(new[] { "a", "b" }));
            Assert.That(await Select("app notin (web)"), Is.EqualTo(new[] { "b", "c" }));
            Assert.That(await Select("app"), Is.EqualTo(new[] { "a", "b" }));
            Assert.That(await Select("!app"), Is.EqualTo(new[] { "c" }));
            Assert.That(await Select("app=web,tier=front"), Is.EqualTo(new[] { "a" }));
        });
        (await Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps?labelSelector=app%20in%20web")).AssertStatus(400, "BadRequest");
    }

    [Test]
    public async Task FieldSelector_OnAnUnsupportedField_Answers400()
    {
        (await Http.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/configmaps?fieldSelector=spec.foo%3Dbar")).AssertStatus(400, "BadRequest");
        var secrets = await Http.SendAsync(HttpMethod.Get, "/api/v1/secrets?fieldSelector=type%3DOpaque");
        Assert.That(secrets.Code, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Watch_StreamsChangesAfterTheResourceVersion()
    {
        var ns = await NewNamespaceAsync();
        var list = (await Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps")).Body;
        var rv = list["metadata"]!["resourceVersion"]!.ToString();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps?watch=1&resourceVersion={rv}");
        using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));

        await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"w"},"data":{"a":"1"}}""");
        var created = (await Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/w")).Body;
        created["data"]!["a"] = "2";
        await Http.SendAsync(HttpMethod.Put, $"/api/v1/namespaces/{ns}/configmaps/w", created.ToJsonString());
        await Http.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/configmaps/w");

        var events = new List<JsonNode>();
        for (var i = 0; i < 3; i++)
        {
            events.Add(JsonNode.Parse((await reader.ReadLineAsync(cancel.Token))!)!);
        }
        Assert.Multiple(() =>
        {
            Assert.That(events.Select(e => e["type"]!.ToString()), Is.EqualTo(new[] { "ADDED", "MODIFIED", "DELETED" }));
            Assert.That(events[1]["object"]!["data"]!["a"]!.ToString(), Is.EqualTo("2"));
            Assert.That(events.Select(e => long.Parse(e["object"]!["metadata"]!["resourceVersion"]!.ToString())), Is.Ordered.Ascending);
            Assert.That(events[0]["object"]!["kind"]!.ToString(), Is.EqualTo("ConfigMap"));
        });
    }

    [Test]
    public async Task WatchWithoutResourceVersion_StartsWithTheCurrentObjects()
    {
        var ns = await NewNamespaceAsync();
        await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"existing"}}""");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var response = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps?watch=true&timeoutSeconds=5"), HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
        var first = JsonNode.Parse((await reader.ReadLineAsync(cancel.Token))!)!;
        Assert.That(first["type"]!.ToString(), Is.EqualTo("ADDED"));
        Assert.That(first["object"]!["metadata"]!["name"]!.ToString(), Is.EqualTo("existing"));
        // timeoutSeconds ends the stream cleanly.
        Assert.That(await reader.ReadLineAsync(cancel.Token), Is.Null);
    }

    [Test]
    public async Task WatchWithBadSelector_Answers400BeforeStreaming()
    {
        (await Http.SendAsync(HttpMethod.Get, "/api/v1/configmaps?watch=1&labelSelector=a%20in%20b")).AssertStatus(400, "BadRequest");
    }

    [Test]
    public async Task NamespaceDeletion_TerminatesThenRemovesItsContent()
    {
        var ns = await NewNamespaceAsync();
        await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"inside"}}""");
        var deleting = await Http.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}");
        Assert.That(deleting.Code, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(deleting.Body["status"]!["phase"]!.ToString(), Is.EqualTo("Terminating"));
        (await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"late"}}""")).AssertStatus(403, "Forbidden");

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}")).Code != HttpStatusCode.NotFound)
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the namespace was not deleted");
            await Task.Delay(100);
        }
        var leftovers = (await Http.SendAsync(HttpMethod.Get, "/api/v1/configmaps")).Body["items"]!.AsArray()
            .Where(i => i!["metadata"]!["namespace"]!.ToString() == ns);
        Assert.That(leftovers, Is.Empty);
    }

    [TestCase("v2")]
    [TestCase("v2beta1")]
    public async Task AggregatedDiscovery_ListsEveryResourceInOneDocument(string version)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api");
        request.Headers.TryAddWithoutValidation("Accept", $"application/json;g=apidiscovery.k8s.io;v={version};as=APIGroupDiscoveryList,application/json");
        using var response = await Http.SendAsync(request);
        Assert.That(response.Content.Headers.ContentType!.ToString(), Does.Contain("as=APIGroupDiscoveryList").And.Contain($"v={version}"));
        var doc = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var core = doc["items"]![0]!;
        var resources = core["versions"]![0]!["resources"]!.AsArray().ToDictionary(r => r!["resource"]!.ToString(), r => r!);
        Assert.Multiple(() =>
        {
            Assert.That(doc["kind"]!.ToString(), Is.EqualTo("APIGroupDiscoveryList"));
            Assert.That(doc["apiVersion"]!.ToString(), Is.EqualTo($"apidiscovery.k8s.io/{version}"));
            Assert.That(core["metadata"]!["name"]!.ToString(), Is.Empty);
            Assert.That(resources["configmaps"]["scope"]!.ToString(), Is.EqualTo("Namespaced"));
            Assert.That(resources["namespaces"]["scope"]!.ToString(), Is.EqualTo("Cluster"));
            Assert.That(resources["configmaps"]["responseKind"]!["kind"]!.ToString(), Is.EqualTo("ConfigMap"));
            Assert.That(resources["namespaces"]["subresources"]!.AsArray().Select(s => s!["subresource"]!.ToString()), Is.EquivalentTo(new[] { "status", "finalize" }));
            Assert.That(resources.Keys, Does.Not.Contain("namespaces/status"));
        });
    }
}
