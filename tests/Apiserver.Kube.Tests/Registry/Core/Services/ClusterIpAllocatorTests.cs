using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Storage.Sqlite;
using Apiserver.Kube.Controllers;
using Apiserver.Kube.Registry.Core.Services;
using Apiserver.Kube.Registry.Core.Services.Allocation;
using Apiserver.Kube.Registry.Networking.ServiceCidrs;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace Apiserver.Kube.Tests.Registry.Core.Services;

/// <summary>
/// kube 1.34's cluster IP allocation through IPAddress objects and ServiceCIDRs, and its repair
/// controller, over the real SQLite store.
/// </summary>
[TestFixture]
internal sealed class ClusterIpAllocatorTests
{
    private static readonly RequestContext Default = new("default"), Cluster = new("");
    private TempStore _store = null!;
    private SqliteStorage _storage = null!;
    private ServiceAllocators _allocators = null!;
    private ServiceStore _services = null!;
    private GenericStore _serviceCidrs = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _store = await TempStore.OpenAsync("cluster-ip");
        _storage = _store.Storage;
        _allocators = await ServiceNetworks.AllocatorsAsync(new ServiceNetworkConfig { ClusterIpRange = ServiceIpRange.Parse("10.0.0.0/29") }, _storage);
        _services = new ServiceStore(new GenericStore(ServiceResource.Definition, _storage), _allocators);
        _serviceCidrs = new GenericStore(ServiceCidrResource.Definition, _storage);
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        await _store.DisposeAsync();
    }

    private Task<JsonObject> CreateAsync(string name, string spec = """{"ports":[{"port":80}]}""", bool dryRun = false) =>
        _services.CreateAsync(Default, new JsonObject { ["metadata"] = new JsonObject { ["name"] = name }, ["spec"] = JsonNode.Parse(spec) },
            new CreateOptions(DryRun: dryRun), CancellationToken.None);

    private Task<JsonObject> IpAddressAsync(string ip) => _allocators.ClusterIps.IpAddresses.GetAsync(Cluster, ip, new GetOptions(), CancellationToken.None);

    private Task<JsonObject> AddServiceCidrAsync(string name, string cidr, JsonArray? finalizers = null) =>
        _serviceCidrs.CreateAsync(Cluster, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["finalizers"] = finalizers },
            ["spec"] = new JsonObject { ["cidrs"] = new JsonArray(cidr) },
        }, new CreateOptions(), CancellationToken.None);

    private static string ClusterIp(JsonObject svc) => svc["spec"]!["clusterIP"]!.ToString();

    private async Task FillDefaultRangeAsync()
    {
        for (var i = 0; i < 6; i++) await CreateAsync($"fill{i}");
    }

    [Test]
    public async Task Create_MakesTheIpAddressKubesAllocatorMakes()
    {
        var svc = await CreateAsync("web");
        var address = await IpAddressAsync(ClusterIp(svc));
        Assert.Multiple(() =>
        {
            Assert.That(address.Metadata()["labels"]!.ToJsonString(), Is.EqualTo("""{"ipaddress.kubernetes.io/ip-family":"IPv4","ipaddress.kubernetes.io/managed-by":"ipallocator.k8s.io"}"""));
            Assert.That(address["spec"]!["parentRef"]!.ToJsonString(), Is.EqualTo("""{"group":"","resource":"services","namespace":"default","name":"web"}"""));
        });
    }

    [Test]
    public async Task GeneratedName_IsTheOneTheIpAddressNames()
    {
        var svc = await _services.CreateAsync(Default, new JsonObject
        {
            ["metadata"] = new JsonObject { ["generateName"] = "gen-" },
            ["spec"] = JsonNode.Parse("""{"ports":[{"port":80}]}"""),
        }, new CreateOptions(), CancellationToken.None);
        Assert.That(svc.GetName(), Does.Match("^gen-[a-z0-9]{5}$"));
        Assert.That((await IpAddressAsync(ClusterIp(svc)))["spec"]!["parentRef"]!["name"]!.ToString(), Is.EqualTo(svc.GetName()));
    }

    [Test]
    public async Task ServiceWithAFinalizer_FreesItsIpWhenTheLastFinalizerGoes()
    {
        var svc = await _services.CreateAsync(Default, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "held", ["finalizers"] = new JsonArray("example.com/hold") },
            ["spec"] = JsonNode.Parse("""{"clusterIP":"10.0.0.4","ports":[{"port":80}]}"""),
        }, new CreateOptions(), CancellationToken.None);
        await _services.DeleteAsync(Default, "held", new DeleteOptions(), CancellationToken.None);
        Assert.That(await ServiceNetworks.AllocatedAsync(_allocators), Does.Contain("10.0.0.4"), "a service being deleted keeps its IP");

        var terminating = await _services.GetAsync(Default, "held", new GetOptions(), CancellationToken.None);
        terminating.Metadata()["finalizers"] = new JsonArray();
        await _services.UpdateAsync(Default, "held", terminating, new UpdateOptions(), CancellationToken.None);

        Assert.That(() => _services.GetAsync(Default, "held", new GetOptions(), CancellationToken.None), Throws.TypeOf<StatusException>());
        Assert.That(await ServiceNetworks.AllocatedAsync(_allocators), Does.Not.Contain(ClusterIp(svc)));
    }

    [Test]
    public async Task AddedServiceCidr_ServesOnceTheDefaultIsFull()
    {
        await FillDefaultRangeAsync();
        Assert.That(Assert.ThrowsAsync<StatusException>(() => CreateAsync("over"))!.Message, Does.Contain("failed to allocate a serviceIP: range is full"));
        var outside = Assert.ThrowsAsync<StatusException>(() => CreateAsync("asked", """{"clusterIP":"10.0.1.3","ports":[{"port":80}]}"""));
        Assert.That(outside!.Message, Does.EndWith("failed to allocate IP 10.0.1.3: the provided network does not match the current range"));

        await AddServiceCidrAsync("extra", "10.0.1.0/29");
        // The asked-for address first: the next free one is random, and could be it.
        var asked = await CreateAsync("asked", """{"clusterIP":"10.0.1.3","ports":[{"port":80}]}""");
        var next = await CreateAsync("over");
        Assert.Multiple(async () =>
        {
            Assert.That(ClusterIp(next), Does.Match(@"^10\.0\.1\.[124-6]$"));
            Assert.That(ClusterIp(asked), Is.EqualTo("10.0.1.3"));
            Assert.That(await ServiceNetworks.AllocatedAsync(_allocators), Has.Count.EqualTo(8));
        });
    }

    [Test]
    public async Task ServiceCidrNotReadyOrBeingDeleted_IsNotAllocatedFrom()
    {
        await FillDefaultRangeAsync();
        var notReady = await AddServiceCidrAsync("not-ready", "10.0.1.0/29");
        notReady["status"] = JsonNode.Parse("""{"conditions":[{"type":"Ready","status":"False","reason":"Terminating","message":"x","lastTransitionTime":"2025-01-01T00:00:00Z"}]}""");
        await new StatusStore(_serviceCidrs).UpdateAsync(Cluster, "not-ready", notReady, new UpdateOptions(), CancellationToken.None);
        await AddServiceCidrAsync("deleting", "10.0.2.0/29", new JsonArray("example.com/hold"));
        await _serviceCidrs.DeleteAsync(Cluster, "deleting", new DeleteOptions(), CancellationToken.None);

        Assert.That(Assert.ThrowsAsync<StatusException>(() => CreateAsync("over"))!.Message, Does.Contain("range is full"));
        Assert.That(Assert.ThrowsAsync<StatusException>(() => CreateAsync("a", """{"clusterIP":"10.0.1.2","ports":[{"port":80}]}"""))!.Message,
            Does.EndWith("the provided network does not match the current range"));
        Assert.That(Assert.ThrowsAsync<StatusException>(() => CreateAsync("b", """{"clusterIP":"10.0.2.2","ports":[{"port":80}]}"""))!.Message,
            Does.EndWith("the provided network does not match the current range"));
    }

    [Test]
    public async Task DryRun_CreatesNoIpAddress_AndAnswersAsKubesDryRunAllocator()
    {
        await CreateAsync("taken", """{"clusterIP":"10.0.0.2","ports":[{"port":80}]}""");
        var dry = await CreateAsync("dry", dryRun: true);
        // kube's dry-run allocator checks an asked-for IP against the range only, not whether it is taken.
        var dup = await CreateAsync("dup", """{"clusterIP":"10.0.0.2","ports":[{"port":80}]}""", dryRun: true);
        var outside = Assert.ThrowsAsync<StatusException>(() => CreateAsync("out", """{"clusterIP":"10.0.9.2","ports":[{"port":80}]}""", dryRun: true));
        Assert.Multiple(async () =>
        {
            Assert.That(ClusterIp(dry), Is.EqualTo("10.0.0.0"), "kube's dry run answers the range's network address");
            Assert.That(ClusterIp(dup), Is.EqualTo("10.0.0.2"));
            Assert.That(outside!.Message, Does.EndWith("failed to allocate IP 10.0.9.2: the provided network does not match the current range"));
            Assert.That(await ServiceNetworks.AllocatedAsync(_allocators), Is.EqualTo(new[] { "10.0.0.2" }));
        });
    }

    [Test]
    public async Task Repair_RecreatesMissingAndWrongIpAddresses()
    {
        var a = await CreateAsync("a");
        var b = await CreateAsync("b");
        // Lost (or never written by an older server), and rewritten to name another parent.
        await _allocators.ClusterIps.ReleaseAsync(System.Net.IPAddress.Parse(ClusterIp(a)), CancellationToken.None);
        await _allocators.ClusterIps.ReleaseAsync(System.Net.IPAddress.Parse(ClusterIp(b)), CancellationToken.None);
        await _allocators.ClusterIps.TryCreateAsync(System.Net.IPAddress.Parse(ClusterIp(b)), "default", "gone", CancellationToken.None);

        await new ClusterIpRepair(_services, _allocators.ClusterIps, NullLogger.Instance).RepairOnceAsync(CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That((await IpAddressAsync(ClusterIp(a)))["spec"]!["parentRef"]!["name"]!.ToString(), Is.EqualTo("a"));
            Assert.That((await IpAddressAsync(ClusterIp(b)))["spec"]!["parentRef"]!["name"]!.ToString(), Is.EqualTo("b"));
        });
    }

    [Test]
    public async Task Repair_DeletesOrphansOnlyPastTheGrace()
    {
        var kept = await CreateAsync("kept", """{"clusterIP":"10.0.0.1","ports":[{"port":80}]}""");
        await _allocators.ClusterIps.TryCreateAsync(System.Net.IPAddress.Parse("10.0.0.6"), "default", "never-stored", CancellationToken.None);
        // Not the allocator's: repair leaves it alone whatever its parent.
        var foreign = ClusterIpAllocator.NewIpAddress(System.Net.IPAddress.Parse("10.0.0.5"), "default", "other");
        foreign.Metadata()["labels"]![ClusterIpAllocator.ManagedByLabel] = "someone-else";
        await _allocators.ClusterIps.IpAddresses.CreateAsync(Cluster, foreign, new CreateOptions(), CancellationToken.None);
        var time = new ShiftedTime();
        var repair = new ClusterIpRepair(_services, _allocators.ClusterIps, NullLogger.Instance, TimeSpan.FromSeconds(60), time);

        await repair.RepairOnceAsync(CancellationToken.None);
        Assert.That(await ServiceNetworks.AllocatedAsync(_allocators), Does.Contain("10.0.0.6"), "a young IPAddress may belong to a service being created");

        time.Shift = TimeSpan.FromSeconds(61);
        await repair.RepairOnceAsync(CancellationToken.None);
        Assert.That(await ServiceNetworks.AllocatedAsync(_allocators), Is.EquivalentTo(new[] { ClusterIp(kept), "10.0.0.5" }));
    }

    [Test]
    public void ServiceCidrRanges_WalkTheDynamicBandFirst_AndTakeKubesPrefixes()
    {
        var v4 = ServiceCidrRange.TryParse("10.0.0.0/24")!;
        var order = v4.Candidates().Select(ip => (int)ip.GetAddressBytes()[3]).ToList();
        var v6 = ServiceCidrRange.TryParse("fd00::/64")!;
        Assert.Multiple(() =>
        {
            // 254 addresses (.1 to .254); the lowest 16 (min(max(16, 256/16), 256)) come last.
            Assert.That(order, Is.Unique.And.Count.EqualTo(254));
            Assert.That(order.Take(238), Is.All.InRange(17, 254));
            Assert.That(order.Skip(238), Is.All.InRange(1, 16));
            Assert.That(v4.Contains(System.Net.IPAddress.Parse("10.0.0.0")) || v4.Contains(System.Net.IPAddress.Parse("10.0.0.255")), Is.False);
            Assert.That(v6.Contains(v6.Candidates().First()), Is.True);
            Assert.That(v6.Contains(System.Net.IPAddress.Parse("fd00::ffff:ffff:ffff:ffff")), Is.True, "IPv6 has no broadcast address");
            Assert.That(ServiceCidrRange.TryParse("fd00::/63"), Is.Null, "kube's allocator takes no IPv6 prefix shorter than /64");
            Assert.That(ServiceCidrRange.TryParse("10.0.0.0/29")!.Candidates().Count(), Is.EqualTo(6));
        });
    }

    /// <summary>The clock, moved on by <see cref="Shift"/>.</summary>
    private sealed class ShiftedTime : TimeProvider
    {
        public TimeSpan Shift { get; set; }

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Shift;
    }
}
