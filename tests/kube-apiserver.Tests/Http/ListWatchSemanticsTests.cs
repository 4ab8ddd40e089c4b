using System.Net;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace KubeApiserver.Tests.Http;

/// <summary>resourceVersion, resourceVersionMatch, sendInitialEvents and bookmarks as the API concepts page documents them.</summary>
[TestFixture]
public sealed class ListWatchSemanticsTests : ServerFixture
{
    private async Task<(string Ns, long Revision)> NamespaceWithConfigMapAsync()
    {
        var ns = await NewNamespaceAsync();
        var created = await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"one"},"data":{"v":"1"}}""");
        return (ns, long.Parse(created.Body["metadata"]!["resourceVersion"]!.ToString()));
    }

    [TestCase("resourceVersionMatch=Exact", "resourceVersionMatch is forbidden unless resourceVersion is provided")]
    [TestCase("resourceVersion=0&resourceVersionMatch=Exact", "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"")]
    [TestCase("resourceVersion=1&resourceVersionMatch=Newest", "Unsupported value: \"Newest\"")]
    [TestCase("sendInitialEvents=true", "sendInitialEvents is forbidden for list")]
    public async Task InvalidListOptions_Answer422(string query, string message)
    {
        var body = (await Http.SendAsync(HttpMethod.Get, $"/api/v1/configmaps?{query}")).AssertStatus(422, "Invalid");
        Assert.That(body["message"]!.ToString(), Does.StartWith("ListOptions.meta.k8s.io \"\" is invalid"));
        Assert.That(body["message"]!.ToString(), Does.Contain(message));
    }

    [TestCase("watch=1&resourceVersionMatch=NotOlderThan", "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided")]
    [TestCase("watch=1&sendInitialEvents=true&allowWatchBookmarks=true", "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan")]
    [TestCase("watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan", "sendInitialEvents requires setting allowWatchBookmarks to true")]
    public async Task InvalidWatchOptions_Answer422(string query, string message)
    {
        var body = (await Http.SendAsync(HttpMethod.Get, $"/api/v1/configmaps?{query}")).AssertStatus(422, "Invalid");
        Assert.That(body["message"]!.ToString(), Does.Contain(message));
    }

    [Test]
    public async Task ContinueWithResourceVersion_Answers400()
    {
        (await Http.SendAsync(HttpMethod.Get, "/api/v1/configmaps?limit=1&continue=abc&resourceVersion=5")).AssertStatus(400, "BadRequest");
    }

    [Test]
    public async Task ResourceVersionAheadOfTheStore_Answers504TooLarge()
    {
        var body = (await Http.SendAsync(HttpMethod.Get, "/api/v1/configmaps?resourceVersion=999999999")).AssertStatus(504, "Timeout");
        Assert.That(body["message"]!.ToString(), Does.StartWith("Too large resource version: 999999999"));
        Assert.That(body["details"]!["causes"]![0]!["reason"]!.ToString(), Is.EqualTo("ResourceVersionTooLarge"));
        (await Http.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default?resourceVersion=999999999")).AssertStatus(504, "Timeout");
    }

    [Test]
    public async Task ExactList_ReadsThePastAndNotOlderThanReadsTheLatest()
    {
        var (ns, revision) = await NamespaceWithConfigMapAsync();
        var current = (await Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/one")).Body;
        current["data"]!["v"] = "2";
        await Http.SendAsync(HttpMethod.Put, $"/api/v1/namespaces/{ns}/configmaps/one", current.ToJsonString());

        var exact = (await Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps?resourceVersion={revision}&resourceVersionMatch=Exact")).Body;
        var notOlder = (await Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps?resourceVersion={revision}&resourceVersionMatch=NotOlderThan")).Body;
        Assert.Multiple(() =>
        {
            Assert.That(exact["metadata"]!["resourceVersion"]!.ToString(), Is.EqualTo(revision.ToString()));
            Assert.That(exact["items"]![0]!["data"]!["v"]!.ToString(), Is.EqualTo("1"));
            Assert.That(notOlder["items"]![0]!["data"]!["v"]!.ToString(), Is.EqualTo("2"));
            Assert.That(long.Parse(notOlder["metadata"]!["resourceVersion"]!.ToString()), Is.GreaterThan(revision));
        });
    }

    [Test]
    public async Task SendInitialEvents_StreamsStateThenAnnotatedBookmarkThenChanges()
    {
        var (ns, _) = await NamespaceWithConfigMapAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var response = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Get,
            $"/api/v1/namespaces/{ns}/configmaps?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true"),
            HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
        async Task<JsonNode> NextAsync()
        {
            while (true)
            {
                var e = JsonNode.Parse((await reader.ReadLineAsync(cancel.Token))!)!;
                // Periodic bookmarks may come at any time; skip those without the annotation.
                if (e["type"]!.ToString() != "BOOKMARK" || e["object"]!["metadata"]!["annotations"] is not null)
                {
                    return e;
                }
            }
        }

        var added = await NextAsync();
        Assert.That(added["type"]!.ToString(), Is.EqualTo("ADDED"));
        var end = await NextAsync();
        Assert.Multiple(() =>
        {
            Assert.That(end["type"]!.ToString(), Is.EqualTo("BOOKMARK"));
            Assert.That(end["object"]!["metadata"]!["annotations"]!["k8s.io/initial-events-end"]!.ToString(), Is.EqualTo("true"));
            Assert.That(end["object"]!["kind"]!.ToString(), Is.EqualTo("ConfigMap"));
        });
        await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"two"}}""");
        var next = await NextAsync();
        Assert.That(next["type"]!.ToString(), Is.EqualTo("ADDED"));
        Assert.That(next["object"]!["metadata"]!["name"]!.ToString(), Is.EqualTo("two"));
    }

    [Test]
    public async Task ABacklogOfEvents_ArrivesWholeAndInOrder_ThenLiveEventsFollow()
    {
        // 300 events of about 1 KiB wait at once: the watch writes them in batches of up to 64 KiB
        // between flushes, and must still send every line whole, in order, and then the live ones.
        var ns = await NewNamespaceAsync();
        var payload = new string('x', 1000);
        var start = (await Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps")).Body["metadata"]!["resourceVersion"]!.ToString();
        for (var i = 0; i < 300; i++)
        {
            await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", $$$"""{"metadata":{"name":"cm-{{{i:D3}}}"},"data":{"p":"{{{payload}}}"}}""");
        }
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Get,
            $"/api/v1/namespaces/{ns}/configmaps?watch=1&resourceVersion={start}"), HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
        for (var i = 0; i < 300; i++)
        {
            var e = JsonNode.Parse((await reader.ReadLineAsync(cancel.Token))!)!;
            Assert.That(e["object"]!["metadata"]!["name"]!.ToString(), Is.EqualTo($"cm-{i:D3}"));
        }
        await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"live"}}""");
        var live = JsonNode.Parse((await reader.ReadLineAsync(cancel.Token))!)!;
        Assert.That(live["object"]!["metadata"]!["name"]!.ToString(), Is.EqualTo("live"));
    }

    [Test]
    public async Task WatchFromARevision_SendsNoInitialState()
    {
        var (ns, revision) = await NamespaceWithConfigMapAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var response = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Get,
            $"/api/v1/namespaces/{ns}/configmaps?watch=1&resourceVersion={revision}&timeoutSeconds=2"), HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        var text = await response.Content.ReadAsStringAsync(cancel.Token);
        Assert.That(text, Is.Empty);
    }

    [Test]
    public async Task AllowWatchBookmarks_SendsBookmarksCarryingOnlyAResourceVersion()
    {
        var (ns, revision) = await NamespaceWithConfigMapAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Get,
            $"/api/v1/namespaces/{ns}/configmaps?watch=1&resourceVersion={revision}&allowWatchBookmarks=true"), HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
        var bookmark = JsonNode.Parse((await reader.ReadLineAsync(cancel.Token))!)!;
        Assert.Multiple(() =>
        {
            Assert.That(bookmark["type"]!.ToString(), Is.EqualTo("BOOKMARK"));
            Assert.That(long.Parse(bookmark["object"]!["metadata"]!["resourceVersion"]!.ToString()), Is.GreaterThanOrEqualTo(revision));
            Assert.That(bookmark["object"]!.AsObject().Select(p => p.Key), Is.EquivalentTo(new[] { "kind", "apiVersion", "metadata" }));
        });
    }

    [Test]
    public async Task DeleteCollection_DeletesOnlyTheSelectedObjects()
    {
        var ns = await NewNamespaceAsync();
        foreach (var (name, app) in new[] { ("a", "web"), ("b", "web"), ("c", "db") })
        {
            await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", $$$$"""{"metadata":{"name":"{{{{name}}}}","labels":{"app":"{{{{app}}}}"}}}""");
        }
        var (code, body) = await Http.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/configmaps?labelSelector=app%3Dweb");
        Assert.That(code, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body["kind"]!.ToString(), Is.EqualTo("ConfigMapList"));
        Assert.That(body["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.ToString()), Is.EquivalentTo(new[] { "a", "b" }));
        var left = (await Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps")).Body;
        Assert.That(left["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.ToString()), Is.EqualTo(new[] { "c" }));
        (await Http.SendAsync(HttpMethod.Delete, "/api/v1/namespaces")).AssertStatus(405, "MethodNotAllowed");
    }

    [TestCase("Orphan", "orphan")]
    [TestCase("Foreground", "foregroundDeletion")]
    public async Task PropagationPolicy_AddsTheGarbageCollectorsFinalizer(string policy, string finalizer)
    {
        var ns = await NewNamespaceAsync();
        await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"p"}}""");
        var (code, body) = await Http.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/configmaps/p", $$$"""{"propagationPolicy":"{{{policy}}}"}""");
        Assert.That(code, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body["metadata"]!["finalizers"]!.AsArray().Select(f => f!.ToString()), Is.EqualTo(new[] { finalizer }));
        Assert.That(body["metadata"]!["deletionTimestamp"], Is.Not.Null);
    }

    [Test]
    public async Task InvalidPropagationPolicy_Answers422()
    {
        (await Http.SendAsync(HttpMethod.Delete, "/api/v1/namespaces/default/configmaps/x", """{"propagationPolicy":"Sometimes"}""")).AssertStatus(422, "Invalid");
        (await Http.SendAsync(HttpMethod.Delete, "/api/v1/namespaces/default/configmaps/x", """{"propagationPolicy":"Orphan","orphanDependents":true}""")).AssertStatus(422, "Invalid");
    }

    [Test]
    public async Task DuplicateFields_WarnByDefaultAndFailWhenStrict()
    {
        var ns = await NewNamespaceAsync();
        const string body = """{"metadata":{"name":"dup","name":"dup"},"data":{"k":"1","k":"2"}}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        using var response = await Http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var warnings = response.Headers.GetValues("Warning").ToList();
        Assert.That(warnings, Is.EquivalentTo(new[] { "299 - \"duplicate field \\\"metadata.name\\\"\"", "299 - \"duplicate field \\\"data.k\\\"\"" }));
        var created = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(created["data"]!["k"]!.ToString(), Is.EqualTo("2"), "the last value wins");

        var strict = (await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps?fieldValidation=Strict", body.Replace("\"dup\",\"name\":\"dup\"", "\"dup2\",\"name\":\"dup2\""))).AssertStatus(400, "BadRequest");
        Assert.That(strict["message"]!.ToString(), Does.Contain("duplicate field \"metadata.name\""));
        (await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps?fieldValidation=Loose", """{"metadata":{"name":"x"}}""")).AssertStatus(400, "BadRequest");
    }

    [Test]
    public async Task SelectorWatch_SeesObjectsEnterAndLeaveTheSelection()
    {
        var ns = await NewNamespaceAsync();
        var other = await NewNamespaceAsync();
        var list = (await Http.SendAsync(HttpMethod.Get, "/api/v1/configmaps")).Body;
        var rv = list["metadata"]!["resourceVersion"]!.ToString();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        // All namespaces, selected by label.
        using var response = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/configmaps?watch=1&resourceVersion={rv}&labelSelector=tier%3Dweb"),
            HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));

        await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"ignored"}}""");
        await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{other}/configmaps", """{"metadata":{"name":"moves","labels":{"tier":"db"}}}""");
        var moves = (await Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{other}/configmaps/moves")).Body;
        moves["metadata"]!["labels"]!["tier"] = "web";
        moves = (await Http.SendAsync(HttpMethod.Put, $"/api/v1/namespaces/{other}/configmaps/moves", moves.ToJsonString())).Body;
        moves["data"] = new JsonObject { ["k"] = "v" };
        moves = (await Http.SendAsync(HttpMethod.Put, $"/api/v1/namespaces/{other}/configmaps/moves", moves.ToJsonString())).Body;
        moves["metadata"]!["labels"]!["tier"] = "cache";
        await Http.SendAsync(HttpMethod.Put, $"/api/v1/namespaces/{other}/configmaps/moves", moves.ToJsonString());

        var events = new List<(string Type, string Name)>();
        for (var i = 0; i < 3; i++)
        {
            var e = JsonNode.Parse((await reader.ReadLineAsync(cancel.Token))!)!;
            events.Add((e["type"]!.ToString(), e["object"]!["metadata"]!["name"]!.ToString()));
        }
        Assert.That(events, Is.EqualTo(new[] { ("ADDED", "moves"), ("MODIFIED", "moves"), ("DELETED", "moves") }));
    }

    [TestCase("-5")]
    [TestCase("0")]
    public async Task NonPositiveWatchTimeout_UsesTheServersOwn(string seconds)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var response = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds={seconds}"),
            HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task UpdateWithoutResourceVersion_OverwritesUnconditionally()
    {
        var (ns, _) = await NamespaceWithConfigMapAsync();
        var (code, body) = await Http.SendAsync(HttpMethod.Put, $"/api/v1/namespaces/{ns}/configmaps/one", """{"metadata":{"name":"one"},"data":{"v":"forced"}}""");
        Assert.That(code, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body["data"]!["v"]!.ToString(), Is.EqualTo("forced"));
    }
}
