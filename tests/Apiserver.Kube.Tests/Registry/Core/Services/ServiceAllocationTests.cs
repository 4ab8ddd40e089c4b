using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Storage.Sqlite;
using Apiserver.Kube.Controllers;
using Apiserver.Kube.Registry.Core.Services;
using Apiserver.Kube.Registry.Core.Services.Allocation;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace Apiserver.Kube.Tests.Registry.Core.Services;

/// <summary>Cluster IP and node port allocation of services over the real SQLite store.</summary>
[TestFixture]
internal sealed class ServiceAllocationTests
{
    private static readonly RequestContext Default = new("default");
    private TempStore _store = null!;
    private SqliteStorage _storage = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _store = await TempStore.OpenAsync("service-allocation");
        _storage = _store.Storage;
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        await _store.DisposeAsync();
    }

    private Task<ServiceAllocators> AllocatorsAsync(string cidr = "10.0.0.0/29", string ports = "30000-30003") =>
        ServiceNetworks.AllocatorsAsync(new ServiceNetworkConfig { ClusterIpRange = ServiceIpRange.Parse(cidr), NodePortRange = NodePortRange.Parse(ports) }, _storage);

    private ServiceStore Store(ServiceAllocators allocators) =>
        new(new GenericStore(ServiceResource.Definition, _storage), allocators);

    private static JsonObject Service(string name, string spec = """{"ports":[{"port":80}]}""") =>
        new() { ["metadata"] = new JsonObject { ["name"] = name }, ["spec"] = JsonNode.Parse(spec) };

    private static Task<JsonObject> CreateAsync(ServiceStore store, JsonObject svc) =>
        store.CreateAsync(Default, svc, new CreateOptions(), CancellationToken.None);

    private static string ClusterIp(JsonObject svc) => svc["spec"]!["clusterIP"]!.ToString();

    private static long Num(JsonNode? node) => long.Parse(node!.ToString(), System.Globalization.CultureInfo.InvariantCulture);

    [Test]
    public async Task Create_AllocatesDistinctIpsUntilTheRangeIsFull()
    {
        var store = Store(await AllocatorsAsync()); // A /29 holds six addresses: .1 to .6.
        var ips = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var svc = await CreateAsync(store, Service($"s{i}"));
            ips.Add(ClusterIp(svc));
            Assert.That(svc["spec"]!["clusterIPs"]!.AsArray().Select(n => n!.ToString()), Is.EqualTo(new[] { ClusterIp(svc) }));
        }
        Assert.That(ips, Is.Unique);
        Assert.That(ips, Is.EquivalentTo(new[] { "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6" }));
        var full = Assert.ThrowsAsync<StatusException>(() => CreateAsync(store, Service("s6")));
        Assert.Multiple(() =>
        {
            Assert.That(full!.Code, Is.EqualTo(500));
            Assert.That(full.Message, Does.Contain("failed to allocate a serviceIP: range is full"));
        });
    }

    [Test]
    public async Task ExplicitIp_IsHonouredOnceAndRefusedOutsideTheRange()
    {
        var store = Store(await AllocatorsAsync());
        var svc = await CreateAsync(store, Service("a", """{"clusterIP":"10.0.0.4","ports":[{"port":80}]}"""));
        Assert.That(ClusterIp(svc), Is.EqualTo("10.0.0.4"));
        var taken = Assert.ThrowsAsync<StatusException>(() => CreateAsync(store, Service("b", """{"clusterIP":"10.0.0.4","ports":[{"port":80}]}""")));
        var outside = Assert.ThrowsAsync<StatusException>(() => CreateAsync(store, Service("c", """{"clusterIP":"10.0.1.4","ports":[{"port":80}]}""")));
        Assert.Multiple(() =>
        {
            Assert.That(taken!.Code, Is.EqualTo(422));
            Assert.That(taken.Message, Is.EqualTo("Service \"b\" is invalid: spec.clusterIPs: Invalid value: [\"10.0.0.4\"]: failed to allocate IP 10.0.0.4: provided IP is already allocated"));
            Assert.That(outside!.Code, Is.EqualTo(422));
            // kube 1.34's allocator answers for every ServiceCIDR at once (ErrMismatchedNetwork), no longer naming the flag's range.
            Assert.That(outside.Message, Is.EqualTo("Service \"c\" is invalid: spec.clusterIPs: Invalid value: [\"10.0.1.4\"]: failed to allocate IP 10.0.1.4: the provided network does not match the current range"));
        });
    }

    [Test]
    public async Task Delete_ReleasesTheIpAndNodePorts()
    {
        var store = Store(await AllocatorsAsync());
        var svc = await CreateAsync(store, Service("a", """{"type":"NodePort","clusterIP":"10.0.0.2","ports":[{"port":80,"nodePort":30001}]}"""));
        Assert.That(Num(svc["spec"]!["ports"]![0]!["nodePort"]), Is.EqualTo(30001));
        await store.DeleteAsync(Default, "a", new DeleteOptions(), CancellationToken.None);
        var again = await CreateAsync(store, Service("b", """{"type":"NodePort","clusterIP":"10.0.0.2","ports":[{"port":80,"nodePort":30001}]}"""));
        Assert.That(ClusterIp(again), Is.EqualTo("10.0.0.2"));
    }

    [Test]
    public async Task FailedCreate_GivesBackWhatItTook()
    {
        var store = Store(await AllocatorsAsync());
        await CreateAsync(store, Service("a", """{"type":"NodePort","clusterIP":"10.0.0.1","ports":[{"port":80,"nodePort":30000}]}"""));
        // The IP is allocated before the node port fails: it must be given back.
        Assert.ThrowsAsync<StatusException>(() => CreateAsync(store, Service("b", """{"type":"NodePort","clusterIP":"10.0.0.3","ports":[{"port":80,"nodePort":30000}]}""")));
        var svc = await CreateAsync(store, Service("c", """{"clusterIP":"10.0.0.3","ports":[{"port":80}]}"""));
        Assert.That(ClusterIp(svc), Is.EqualTo("10.0.0.3"));
    }

    [Test]
    public async Task NodePorts_AreAllocatedUntilFullAndKeptAcrossUpdates()
    {
        var store = Store(await AllocatorsAsync());
        var svc = await CreateAsync(store, Service("a", """{"type":"NodePort","ports":[{"name":"a","port":80},{"name":"b","port":81}]}"""));
        var ports = svc["spec"]!["ports"]!.AsArray().Select(p => Num(p!["nodePort"])).ToList();
        Assert.That(ports, Is.Unique.And.All.InRange(30000, 30003));
        // An update that leaves the node ports out keeps them (kube's patchAllocatedValues).
        var update = Service("a", """{"type":"NodePort","ports":[{"name":"a","port":80},{"name":"b","port":81}]}""");
        var updated = (await store.UpdateAsync(Default, "a", update, new UpdateOptions(), CancellationToken.None)).Object;
        Assert.Multiple(() =>
        {
            Assert.That(updated["spec"]!["ports"]!.AsArray().Select(p => Num(p!["nodePort"])), Is.EqualTo(ports));
            Assert.That(ClusterIp(updated), Is.EqualTo(ClusterIp(svc)));
        });
        await CreateAsync(store, Service("b", """{"type":"NodePort","ports":[{"name":"a","port":80},{"name":"b","port":81}]}"""));
        var full = Assert.ThrowsAsync<StatusException>(() => CreateAsync(store, Service("c", """{"type":"NodePort","ports":[{"port":80}]}""")));
        Assert.That(full!.Message, Does.Contain("failed to allocate a nodePort: range is full"));
    }

    [Test]
    public async Task TypeChanges_AllocateAndRelease()
    {
        var allocators = await AllocatorsAsync();
        var store = Store(allocators);
        var svc = await CreateAsync(store, Service("a", """{"type":"NodePort","clusterIP":"10.0.0.6","ports":[{"port":80,"nodePort":30002}]}"""));
        var toClusterIp = Service("a", """{"type":"ClusterIP","clusterIP":"10.0.0.6","ports":[{"port":80,"nodePort":30002}]}""");
        var clusterIp = (await store.UpdateAsync(Default, "a", toClusterIp, new UpdateOptions(), CancellationToken.None)).Object;
        Assert.That(clusterIp["spec"]!["ports"]![0]!["nodePort"], Is.Null, "the node port is dropped with the type");
        Assert.That(await allocators.Ports.IsAllocatedAsync(2, CancellationToken.None), Is.False);

        var toExternal = Service("a", """{"type":"ExternalName","externalName":"example.com","clusterIP":"10.0.0.6","ports":[{"port":80}]}""");
        var external = (await store.UpdateAsync(Default, "a", toExternal, new UpdateOptions(), CancellationToken.None)).Object;
        Assert.That(external["spec"]!["clusterIP"], Is.Null);
        Assert.That(await ServiceNetworks.AllocatedAsync(allocators), Does.Not.Contain("10.0.0.6"));

        var back = Service("a", """{"type":"ClusterIP","ports":[{"port":80}]}""");
        var allocated = (await store.UpdateAsync(Default, "a", back, new UpdateOptions(), CancellationToken.None)).Object;
        Assert.That(ClusterIp(allocated), Does.StartWith("10.0.0."));
        Assert.That(svc.GetName(), Is.EqualTo("a"));
    }

    [Test]
    public async Task HeadlessAndExternalNameServices_TakeNoIp()
    {
        var allocators = await AllocatorsAsync();
        var store = Store(allocators);
        var headless = await CreateAsync(store, Service("h", """{"clusterIP":"None","selector":{"app":"x"}}"""));
        var external = await CreateAsync(store, Service("e", """{"type":"ExternalName","externalName":"example.com"}"""));
        Assert.Multiple(async () =>
        {
            Assert.That(headless["spec"]!["clusterIPs"]!.AsArray().Select(n => n!.ToString()), Is.EqualTo(new[] { "None" }));
            Assert.That(external["spec"]!["clusterIP"], Is.Null);
            Assert.That(await ServiceNetworks.AllocatedAsync(allocators), Is.Empty);
        });
    }

    [Test]
    public async Task Restart_KeepsAllocationsInStorage()
    {
        await CreateAsync(Store(await AllocatorsAsync()), Service("a", """{"clusterIP":"10.0.0.3","ports":[{"port":80}]}"""));
        // A new allocator over the same store (a restart, or another replica) sees the IP taken.
        var second = Store(await AllocatorsAsync());
        var taken = Assert.ThrowsAsync<StatusException>(() => CreateAsync(second, Service("b", """{"clusterIP":"10.0.0.3","ports":[{"port":80}]}""")));
        Assert.That(taken!.Message, Does.Contain("provided IP is already allocated"));
    }

    [Test]
    public async Task PortRepair_RebuildsALostBitmapAndFreesLeaksAfterSeveralPasses()
    {
        var allocators = await AllocatorsAsync();
        var store = Store(allocators);
        await CreateAsync(store, Service("a", """{"type":"NodePort","ports":[{"port":80,"nodePort":30001}]}"""));
        await _storage.DeleteAsync("/registry/ranges/servicenodeports");
        await allocators.AllocatePortAsync(30003, CancellationToken.None); // a leak: no service holds it
        var repair = new ServiceAllocationRepair(store, allocators, NullLogger.Instance, leakPasses: 2);

        await repair.RepairOnceAsync(CancellationToken.None);
        Assert.That(await allocators.Ports.AllocatedAsync(CancellationToken.None), Is.EquivalentTo(new[] { 1, 3 }));
        await repair.RepairOnceAsync(CancellationToken.None);
        Assert.That(await allocators.Ports.AllocatedAsync(CancellationToken.None), Is.EquivalentTo(new[] { 1 }));
    }

    [Test]
    public void Ranges_ParseAsKubeDoes()
    {
        var v4 = ServiceIpRange.Parse("10.96.0.7/12");
        var v6 = ServiceIpRange.Parse("fd00::/108");
        Assert.Multiple(() =>
        {
            Assert.That(v4.Cidr, Is.EqualTo("10.96.0.0/12"));
            Assert.That(v4.At(0).ToString(), Is.EqualTo("10.96.0.1"));
            Assert.That(v6.At(0).ToString(), Is.EqualTo("fd00::1"));
            Assert.That(ServiceIpRange.Parse("fd00::/64").At(0).ToString(), Is.EqualTo("fd00::1"), "kube 1.34 drops the /108 limit");
            Assert.That(() => ServiceIpRange.Parse("10.0.0.0/31"), Throws.TypeOf<FormatException>().With.Message.Contains("too small"));
            Assert.That(NodePortRange.Parse("30000-32767"), Is.EqualTo(NodePortRange.Default));
            Assert.That(() => NodePortRange.Parse("3-2"), Throws.TypeOf<FormatException>());
        });
    }
}
