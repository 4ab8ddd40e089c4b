using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Apiserver.Generic.Storage.Etcd3;
using Apiserver.Tests.Shared;
using NUnit.Framework;

namespace KubeApiserver.Tests.Etcd;

/// <summary>The whole server on a real etcd (<c>--etcd-servers</c>): CRUD, watch, key layout, restarts, two replicas, health and outages.</summary>
[TestFixture]
[Category("Etcd")]
public sealed class EtcdServerTests
{
    private EtcdCluster _etcd = null!;
    private CancellationTokenSource _timeout = null!;

    private CancellationToken Ct => _timeout.Token;

    [SetUp]
    public async Task StartEtcdAsync()
    {
        _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        _etcd = await EtcdCluster.StartAsync();
    }

    [TearDown]
    public async Task StopEtcdAsync()
    {
        await _etcd.DisposeAsync();
        _timeout.Dispose();
    }

    [Test]
    public async Task CrudAndWatch_OnEtcd_ServeOverHttpWithKeysInKubeLayoutAsJson()
    {
        await using var server = await StartServerAsync();
        await CreateNamespaceAsync(server, "demo");
        var created = await server.Http.SendAsync(HttpMethod.Post, "/api/v1/namespaces/demo/configmaps", """{"metadata":{"name":"app"},"data":{"a":"1"}}""");
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        var createdVersion = created.Body["metadata"]!["resourceVersion"]!.ToString();
        using var watch = await WatchAsync(server, $"/api/v1/namespaces/demo/configmaps?watch=1&resourceVersion={createdVersion}");

        var got = await server.Http.SendAsync(HttpMethod.Get, "/api/v1/namespaces/demo/configmaps/app");
        got.Body["data"]!["a"] = "2";
        var updated = await server.Http.SendAsync(HttpMethod.Put, "/api/v1/namespaces/demo/configmaps/app", got.Body.ToJsonString());
        Assert.That(updated.Code, Is.EqualTo(HttpStatusCode.OK), updated.Body.ToJsonString());

        // What etcdctl would show: kube's key layout, JSON values, etcd's revision as the resourceVersion.
        await using (var direct = Etcd3Storage.Open(new Etcd3StorageOptions { Endpoints = _etcd.ClientUrls }))
        {
            var configMap = (await direct.GetAsync("/registry/configmaps/demo/app", Ct))!;
            var stored = JsonNode.Parse(Encoding.UTF8.GetString(configMap.Value.Span))!;
            Assert.That(stored["data"]!["a"]!.ToString(), Is.EqualTo("2"));
            Assert.That(stored["metadata"]!["name"]!.ToString(), Is.EqualTo("app"));
            Assert.That(configMap.ModRevision.ToString(), Is.EqualTo(updated.Body["metadata"]!["resourceVersion"]!.ToString()));
            var ns = (await direct.GetAsync("/registry/namespaces/demo", Ct))!;
            Assert.That(JsonNode.Parse(Encoding.UTF8.GetString(ns.Value.Span))!["metadata"]!["name"]!.ToString(), Is.EqualTo("demo"));
        }

        var deleted = await server.Http.SendAsync(HttpMethod.Delete, "/api/v1/namespaces/demo/configmaps/app");
        Assert.That(deleted.Code, Is.EqualTo(HttpStatusCode.OK), deleted.Body.ToJsonString());
        var modified = await watch.NextAsync(Ct);
        var gone = await watch.NextAsync(Ct);
        Assert.That(modified["type"]!.ToString(), Is.EqualTo("MODIFIED"));
        Assert.That(modified["object"]!["data"]!["a"]!.ToString(), Is.EqualTo("2"));
        Assert.That(gone["type"]!.ToString(), Is.EqualTo("DELETED"));
        var missing = await server.Http.SendAsync(HttpMethod.Get, "/api/v1/namespaces/demo/configmaps/app");
        missing.AssertStatus(404, "NotFound");
    }

    [Test]
    public async Task Restart_OverExistingEtcdData_ServesItUnchanged()
    {
        JsonObject before;
        await using (var first = await StartServerAsync())
        {
            await CreateNamespaceAsync(first, "keep");
            before = (await first.Http.SendAsync(HttpMethod.Post, "/api/v1/namespaces/keep/configmaps", """{"metadata":{"name":"c"},"data":{"k":"v"}}""")).Body;
            await first.RestartAsync();
            var afterRestart = await first.Http.SendAsync(HttpMethod.Get, "/api/v1/namespaces/keep/configmaps/c");
            Assert.That(afterRestart.Body.ToJsonString(), Is.EqualTo(before.ToJsonString()));
        }

        // A server with a fresh data directory finds everything in etcd too.
        await using var fresh = await StartServerAsync();
        var got = await fresh.Http.SendAsync(HttpMethod.Get, "/api/v1/namespaces/keep/configmaps/c");
        Assert.That(got.Code, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(got.Body.ToJsonString(), Is.EqualTo(before.ToJsonString()));
    }

    [Test]
    public async Task ClusterIps_AreIpAddressesInEtcd_KeptAndRepairedAcrossRestarts()
    {
        await using var server = await StartServerAsync();
        await KubeApiserver.Tests.Http.IpAddressAllocationTests.RestartKeepsAndRepairsAsync(server);
        // Where etcdctl users look for it, naming its service.
        await using var direct = Etcd3Storage.Open(new Etcd3StorageOptions { Endpoints = _etcd.ClientUrls });
        var stored = (await direct.GetAsync("/registry/ipaddresses/10.0.0.10", Ct))!;
        Assert.That(JsonNode.Parse(Encoding.UTF8.GetString(stored.Value.Span))!["spec"]!["parentRef"]!["name"]!.ToString(), Is.EqualTo("kept"));
    }

    [Test]
    public async Task TwoServers_OneEtcd_NeverHandOutTheSameClusterIp()
    {
        // A /29 holds six addresses; the kubernetes service has the first, five are left for six services.
        var tiny = new KubeApiserver.Options.ServiceNetworkOptions { ClusterIpRange = "10.0.0.0/29" };
        await using var a = await TestServer.StartAsync(etcdServers: _etcd.ClientUrls, serviceNetwork: tiny);
        await using var b = await TestServer.StartAsync(etcdServers: _etcd.ClientUrls, serviceNetwork: tiny);
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? a : b).Http.SendAsync(HttpMethod.Post,
            "/api/v1/namespaces/default/services", $$$"""{"metadata":{"name":"race{{{i}}}"},"spec":{"ports":[{"port":80}]}}""")));

        var ips = results.Where(r => r.Code == HttpStatusCode.Created).Select(r => r.Body["spec"]!["clusterIP"]!.ToString()).ToList();
        var failed = results.Where(r => r.Code != HttpStatusCode.Created).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(ips, Is.Unique.And.Count.EqualTo(5).And.All.Matches<string>(ip => ip.StartsWith("10.0.0.", StringComparison.Ordinal) && ip != "10.0.0.1"));
            Assert.That(failed.Select(r => r.Body["message"]!.ToString()), Is.EqualTo(new[] { "Internal error occurred: failed to allocate a serviceIP: range is full" }));
        });
    }

    [Test]
    public async Task TwoServers_OneEtcd_WriteThroughOneReachesWatchOnOther()
    {
        await using var a = await StartServerAsync();
        await using var b = await StartServerAsync();
        await CreateNamespaceAsync(a, "shared");
        var list = await b.Http.SendAsync(HttpMethod.Get, "/api/v1/namespaces/shared/configmaps");
        using var watch = await WatchAsync(b, $"/api/v1/namespaces/shared/configmaps?watch=1&resourceVersion={list.Body["metadata"]!["resourceVersion"]}");

        var created = await a.Http.SendAsync(HttpMethod.Post, "/api/v1/namespaces/shared/configmaps", """{"metadata":{"name":"from-a"}}""");
        var added = await watch.NextAsync(Ct);

        Assert.That(added["type"]!.ToString(), Is.EqualTo("ADDED"));
        Assert.That(added["object"]!["metadata"]!["name"]!.ToString(), Is.EqualTo("from-a"));
        Assert.That(added["object"]!["metadata"]!["resourceVersion"]!.ToString(), Is.EqualTo(created.Body["metadata"]!["resourceVersion"]!.ToString()));
    }

    [Test]
    public async Task Readyz_Verbose_ShowsEtcdCheck()
    {
        await using var server = await StartServerAsync();

        var readyz = await server.Http.GetStringAsync("/readyz?verbose", Ct);
        var livez = await server.Http.GetStringAsync("/livez?verbose", Ct);

        Assert.That(readyz, Does.Contain("[+]etcd ok"));
        Assert.That(livez, Does.Contain("[+]etcd ok"));
    }

    [Test]
    public async Task EtcdStopped_RequestAnswers503WithinTimeout_ThenSameServerRecovers()
    {
        await using var server = await StartServerAsync();
        await CreateNamespaceAsync(server, "outage");
        await _etcd.StopAsync(0);

        var clock = Stopwatch.StartNew();
        var failed = await server.Http.SendAsync(HttpMethod.Get, "/api/v1/namespaces/outage/configmaps");
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(15)), "the request timeout is 10s");
        failed.AssertStatus(503, "ServiceUnavailable");
        using (var readyz = await server.Http.GetAsync("/readyz?verbose", Ct))
        {
            Assert.That((int)readyz.StatusCode, Is.GreaterThanOrEqualTo(500));
            Assert.That(await readyz.Content.ReadAsStringAsync(Ct), Does.Contain("[-]etcd failed"));
        }

        await _etcd.RestartAsync(0);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var again = await server.Http.SendAsync(HttpMethod.Post, "/api/v1/namespaces/outage/configmaps", """{"metadata":{"name":"back"}}""");
        while (again.Code != HttpStatusCode.Created && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200, Ct);
            again = await server.Http.SendAsync(HttpMethod.Post, "/api/v1/namespaces/outage/configmaps", """{"metadata":{"name":"back"}}""");
        }

        Assert.That(again.Code, Is.EqualTo(HttpStatusCode.Created), again.Body.ToJsonString());
        Assert.That(await server.Http.GetStringAsync("/readyz?verbose", Ct), Does.Contain("[+]etcd ok"));
    }

    private Task<TestServer> StartServerAsync() => TestServer.StartAsync(etcdServers: _etcd.ClientUrls);

    private static async Task CreateNamespaceAsync(TestServer server, string name)
    {
        var created = await server.Http.SendAsync(HttpMethod.Post, "/api/v1/namespaces", $$$"""{"metadata":{"name":"{{{name}}}"}}""");
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
    }

    private static async Task<WatchStream> WatchAsync(TestServer server, string path)
    {
        var response = await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseHeadersRead);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return new WatchStream(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    /// <summary>An HTTP watch response read one event (line) at a time, each read bounded.</summary>
    private sealed class WatchStream(HttpResponseMessage response, StreamReader reader) : IDisposable
    {
        public async Task<JsonObject> NextAsync(CancellationToken cancellationToken)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            var line = await reader.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("The watch ended.");
            return (JsonObject)JsonNode.Parse(line)!;
        }

        public void Dispose()
        {
            reader.Dispose();
            response.Dispose();
        }
    }
}
