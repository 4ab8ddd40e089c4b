using System.Net;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Storage.Sqlite;
using Apiserver.Kube.Kubelet;
using Apiserver.Kube.Registry.Core;
using Apiserver.Kube.Registry.Core.Nodes;
using Apiserver.Kube.Registry.Core.Pods;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;

namespace Apiserver.Kube.Tests.Kubelet;

/// <summary>
/// Where kubelet-served and proxied requests go, computed (never sent) for nodes on documentation
/// addresses (192.0.2.0/24), which the loopback-only integration tests cannot use.
/// </summary>
[TestFixture]
internal sealed class KubeletLocationTests
{
    private TempStore _store = null!;
    private SqliteStorage _storage = null!;
    private GenericStore _nodes = null!;
    private GenericStore _pods = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _store = await TempStore.OpenAsync("kubelet-locations");
        _storage = _store.Storage;
        _nodes = new GenericStore(NodeResource.Definition, _storage);
        _pods = new GenericStore(PodResource.Definition, _storage);
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        await _store.DisposeAsync();
    }

    private async Task NodeAsync(string name, string addresses, int port, string labels = "{}")
    {
        await _nodes.CreateAsync(new RequestContext(""), new JsonObject { ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = JsonNode.Parse(labels) } }, new CreateOptions(), CancellationToken.None);
        var node = await _nodes.GetAsync(new RequestContext(""), name, new GetOptions(), CancellationToken.None);
        node["status"] = new JsonObject
        {
            ["addresses"] = JsonNode.Parse(addresses),
            ["daemonEndpoints"] = new JsonObject { ["kubeletEndpoint"] = new JsonObject { ["Port"] = port } },
        };
        await new StatusStore(_nodes).UpdateAsync(new RequestContext(""), name, node, new UpdateOptions(), CancellationToken.None);
    }

    private static ConnectRequest Request(string path = "", string query = "") =>
        new("GET", new QueryCollection(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query)), path, query);

    [Test]
    public void PreferredAddress_FollowsTheOrder_WithTheHostnameLabelAsAHostname()
    {
        var node = JsonNode.Parse("""{"metadata":{"labels":{"kubernetes.io/hostname":"from-label"}},"status":{"addresses":[{"type":"ExternalIP","address":"192.0.2.9"},{"type":"InternalIP","address":"192.0.2.1"}]}}""")!.AsObject();

        Assert.That(KubeletConnections.PreferredAddress(node, KubeletClientConfig.DefaultPreferredAddressTypes), Is.EqualTo("from-label"));
        Assert.That(KubeletConnections.PreferredAddress(node, ["ExternalIP", "InternalIP"]), Is.EqualTo("192.0.2.9"));
        Assert.That(KubeletConnections.PreferredAddress(node, ["InternalDNS"]), Is.Null);
    }

    [Test]
    public async Task NodeProxy_GoesToTheKubeletPort_OrToAnotherPortWithoutTheKubeletCredentials()
    {
        await NodeAsync("n1", """[{"type":"InternalIP","address":"192.0.2.10"}]""", 10255);
        var kubelets = new KubeletConnections(_nodes, new KubeletClientConfig { PreferredAddressTypes = ["InternalIP"] });
        var store = new NodeProxyStore(kubelets);

        var kubelet = await store.ConnectAsync(new RequestContext(""), "n1", Request("/stats/summary", "?only=cpu"), CancellationToken.None);
        var other = await store.ConnectAsync(new RequestContext(""), "http:n1:9100", Request("/metrics"), CancellationToken.None);
        var same = await store.ConnectAsync(new RequestContext(""), "n1:10255", Request("/pods"), CancellationToken.None);

        Assert.That(kubelet!.Location.ToString(), Is.EqualTo("https://192.0.2.10:10255/stats/summary?only=cpu"));
        Assert.That(kubelet.Invoker, Is.SameAs(kubelets.Kubelet));
        Assert.That(other!.Location.ToString(), Is.EqualTo("http://192.0.2.10:9100/metrics"));
        Assert.That(other.Invoker, Is.SameAs(kubelets.Proxy));
        Assert.That(same!.Location.ToString(), Is.EqualTo("https://192.0.2.10:10255/pods"));
    }

    [Test]
    public async Task NodeWithoutAPreferredAddress_IsAnInternalError()
    {
        await NodeAsync("n2", """[{"type":"ExternalIP","address":"192.0.2.11"}]""", 0);
        var kubelets = new KubeletConnections(_nodes, new KubeletClientConfig { PreferredAddressTypes = ["InternalIP"] });

        var failure = Assert.ThrowsAsync<StatusException>(() => kubelets.KubeletEndpointAsync("n2", CancellationToken.None));
        Assert.That(failure!.Code, Is.EqualTo(500));
        Assert.That(failure.Message, Is.EqualTo("no preferred addresses found; known addresses: [{ExternalIP 192.0.2.11}]"));
    }

    [Test]
    public async Task NodeWithoutAKubeletPort_UsesTheDefault()
    {
        await NodeAsync("n3", """[{"type":"InternalIP","address":"192.0.2.12"}]""", 0);
        var kubelets = new KubeletConnections(_nodes, new KubeletClientConfig { PreferredAddressTypes = ["InternalIP"] });

        Assert.That(await kubelets.KubeletEndpointAsync("n3", CancellationToken.None), Is.EqualTo(("192.0.2.12", 10250)));
    }

    [Test]
    public async Task PodProxy_GoesToThePodIp_OnTheFirstDeclaredPortByDefault()
    {
        var context = new RequestContext("default");
        await _pods.CreateAsync(context, JsonNode.Parse("""{"metadata":{"name":"p"},"spec":{"containers":[{"name":"a","image":"x"},{"name":"b","image":"x","ports":[{"containerPort":8080}]}]}}""")!.AsObject(), new CreateOptions(), CancellationToken.None);
        var pod = await _pods.GetAsync(context, "p", new GetOptions(), CancellationToken.None);
        pod["status"] = JsonNode.Parse("""{"podIPs":[{"ip":"192.0.2.20"}]}""");
        await new StatusStore(_pods).UpdateAsync(context, "p", pod, new UpdateOptions(), CancellationToken.None);
        var store = new PodProxyStore(_pods, new KubeletConnections(_nodes, new KubeletClientConfig()));

        var byDefault = await store.ConnectAsync(context, "p", Request("/x/"), CancellationToken.None);
        var explicitly = await store.ConnectAsync(context, "https:p:9443", Request(), CancellationToken.None);

        Assert.That(byDefault!.Location.ToString(), Is.EqualTo("http://192.0.2.20:8080/x/"));
        Assert.That(explicitly!.Location.ToString(), Is.EqualTo("https://192.0.2.20:9443/"));
    }

    [TestCase("127.0.0.1", false)]
    [TestCase("169.254.1.1", false)]
    [TestCase("0.0.0.0", false)]
    [TestCase("224.0.0.1", false)]
    [TestCase("::1", false)]
    [TestCase("fe80::1", false)]
    [TestCase("10.1.2.3", true)]
    [TestCase("192.0.2.1", true)]
    [TestCase("2001:db8::1", true)]
    public void GlobalUnicast_AsGoDefinesIt(string ip, bool expected)
    {
        Assert.That(ConnectOptions.IsGlobalUnicast(IPAddress.Parse(ip)), Is.EqualTo(expected));
    }
}
