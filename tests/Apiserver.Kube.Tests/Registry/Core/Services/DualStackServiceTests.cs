using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Storage.Sqlite;
using Apiserver.Kube.Registry.Core.Services;
using Apiserver.Kube.Registry.Core.Services.Allocation;
using NUnit.Framework;

namespace Apiserver.Kube.Tests.Registry.Core.Services;

/// <summary>
/// Dual-stack services (<c>ipFamilyPolicy</c>, <c>ipFamilies</c>, <c>clusterIPs</c>) on single- and
/// dual-stack clusters, with kube's defaulting, its 422s and allocation from both ranges, over SQLite.
/// </summary>
[TestFixture]
internal sealed class DualStackServiceTests
{
    private static readonly RequestContext Default = new("default");
    private TempStore _store = null!;
    private SqliteStorage _storage = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _store = await TempStore.OpenAsync("dual-stack");
        _storage = _store.Storage;
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        await _store.DisposeAsync();
    }

    private Task<ServiceAllocators> AllocatorsAsync(string primary = "10.0.0.0/29", string? secondary = null) => ServiceNetworks.AllocatorsAsync(new ServiceNetworkConfig
    {
        ClusterIpRange = ServiceIpRange.Parse(primary),
        SecondaryClusterIpRange = secondary is null ? null : ServiceIpRange.Parse(secondary),
    }, _storage);

    private ServiceStore Store(ServiceAllocators allocators) => new(new GenericStore(ServiceResource.Definition, _storage), allocators);

    private async Task<ServiceStore> StoreAsync() => Store(await AllocatorsAsync());

    // Explicit addresses below (.3, ::3) sit in each range's static band, which random allocation takes last.
    private async Task<(ServiceStore Store, ServiceAllocators Allocators)> DualStackAsync()
    {
        var allocators = await AllocatorsAsync("10.0.0.0/24", "fd00::/112");
        return (Store(allocators), allocators);
    }

    private static JsonObject Service(string name, string spec) =>
        new() { ["metadata"] = new JsonObject { ["name"] = name }, ["spec"] = JsonNode.Parse(spec) };

    private static Task<JsonObject> CreateAsync(ServiceStore store, string name, string spec) =>
        store.CreateAsync(Default, Service(name, spec), new CreateOptions(), CancellationToken.None);

    private static async Task<JsonObject> UpdateAsync(ServiceStore store, string name, Action<JsonObject> change)
    {
        var svc = await store.GetAsync(Default, name, new GetOptions(), CancellationToken.None);
        change((JsonObject)svc["spec"]!);
        return (await store.UpdateAsync(Default, name, svc, new UpdateOptions(), CancellationToken.None)).Object;
    }

    private static string[] Strings(JsonObject svc, string field) => [.. svc["spec"]![field]!.AsArray().Select(n => n!.ToString())];

    private static string Policy(JsonObject svc) => svc["spec"]!["ipFamilyPolicy"]!.ToString();

    [Test]
    public async Task SingleStackCluster_DefaultsAsBefore()
    {
        var svc = await CreateAsync(await StoreAsync(), "a", """{"ports":[{"port":80}]}""");
        Assert.Multiple(() =>
        {
            Assert.That(Policy(svc), Is.EqualTo("SingleStack"));
            Assert.That(Strings(svc, "ipFamilies"), Is.EqualTo(new[] { "IPv4" }));
            Assert.That(Strings(svc, "clusterIPs"), Has.Length.EqualTo(1).And.All.StartsWith("10.0.0."));
        });
    }

    [Test]
    public async Task SingleStackCluster_PreferDualStackGetsOneFamily()
    {
        var svc = await CreateAsync(await StoreAsync(), "a", """{"ipFamilyPolicy":"PreferDualStack","ports":[{"port":80}]}""");
        Assert.That(Policy(svc), Is.EqualTo("PreferDualStack"));
        Assert.That(Strings(svc, "ipFamilies"), Is.EqualTo(new[] { "IPv4" }));
        Assert.That(Strings(svc, "clusterIPs"), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task SingleStackCluster_RequireDualStack_Answers422()
    {
        var store = await StoreAsync();
        var e = Assert.ThrowsAsync<StatusException>(() => CreateAsync(store, "a", """{"ipFamilyPolicy":"RequireDualStack","ports":[{"port":80}]}"""));
        Assert.That(e!.Code, Is.EqualTo(422));
        Assert.That(e.Message, Is.EqualTo("Service \"a\" is invalid: spec.ipFamilyPolicy: Invalid value: \"RequireDualStack\": this cluster is not configured for dual-stack services"));
    }

    [Test]
    public async Task SingleStackCluster_AnUnconfiguredFamily_Answers422()
    {
        var store = await StoreAsync();
        var e = Assert.ThrowsAsync<StatusException>(() => CreateAsync(store, "a", """{"ipFamilies":["IPv6"],"ports":[{"port":80}]}"""));
        Assert.That(e!.Message, Is.EqualTo("Service \"a\" is invalid: spec.ipFamilies[0]: Invalid value: \"IPv6\": not configured on this cluster"));
        var ip = Assert.ThrowsAsync<StatusException>(() => CreateAsync(store, "b", """{"clusterIP":"fd00::5","ports":[{"port":80}]}"""));
        Assert.That(ip!.Message, Is.EqualTo("Service \"b\" is invalid: spec.clusterIPs[0]: Invalid value: [\"fd00::5\"]: IPv6 is not configured on this cluster"));
    }

    [Test]
    public async Task DualStackCluster_PreferDualStack_GetsAnIpOfEachFamilyInFamilyOrder()
    {
        var (store, _) = await DualStackAsync();
        var v4First = await CreateAsync(store, "a", """{"ipFamilyPolicy":"PreferDualStack","ports":[{"port":80}]}""");
        var v6First = await CreateAsync(store, "b", """{"ipFamilyPolicy":"PreferDualStack","ipFamilies":["IPv6"],"ports":[{"port":80}]}""");
        Assert.Multiple(() =>
        {
            Assert.That(Strings(v4First, "ipFamilies"), Is.EqualTo(new[] { "IPv4", "IPv6" }));
            Assert.That(Strings(v4First, "clusterIPs")[0], Does.StartWith("10.0.0.").And.EqualTo(v4First["spec"]!["clusterIP"]!.ToString()));
            Assert.That(Strings(v4First, "clusterIPs")[1], Does.StartWith("fd00::"));
            Assert.That(Strings(v6First, "ipFamilies"), Is.EqualTo(new[] { "IPv6", "IPv4" }));
            Assert.That(Strings(v6First, "clusterIPs")[0], Does.StartWith("fd00::"));
            Assert.That(Strings(v6First, "clusterIPs")[1], Does.StartWith("10.0.0."));
        });
    }

    [Test]
    public async Task DualStackCluster_DefaultsToSingleStackOfThePrimaryFamily_AndIPv6OnAsking()
    {
        var (store, _) = await DualStackAsync();
        var plain = await CreateAsync(store, "a", """{"ports":[{"port":80}]}""");
        var v6 = await CreateAsync(store, "b", """{"ipFamilies":["IPv6"],"ports":[{"port":80}]}""");
        var twoIps = await CreateAsync(store, "c", """{"clusterIPs":["10.0.0.3","fd00::3"],"ports":[{"port":80}]}""");
        Assert.Multiple(() =>
        {
            Assert.That(Policy(plain), Is.EqualTo("SingleStack"));
            Assert.That(Strings(plain, "clusterIPs"), Has.Length.EqualTo(1).And.All.StartsWith("10.0.0."));
            Assert.That(Strings(v6, "ipFamilies"), Is.EqualTo(new[] { "IPv6" }));
            Assert.That(Strings(v6, "clusterIPs"), Has.Length.EqualTo(1).And.All.StartsWith("fd00::"));
            Assert.That(Policy(twoIps), Is.EqualTo("RequireDualStack"), "two cluster IPs ask for dual-stack");
            Assert.That(Strings(twoIps, "clusterIPs"), Is.EqualTo(new[] { "10.0.0.3", "fd00::3" }));
            Assert.That(Strings(twoIps, "ipFamilies"), Is.EqualTo(new[] { "IPv4", "IPv6" }));
        });
    }

    [Test]
    public async Task DualStackCluster_InconsistentRequests_Answer422()
    {
        var (store, _) = await DualStackAsync();
        var single = Assert.ThrowsAsync<StatusException>(() => CreateAsync(store, "a", """{"ipFamilyPolicy":"SingleStack","ipFamilies":["IPv4","IPv6"],"ports":[{"port":80}]}"""));
        Assert.That(single!.Message, Is.EqualTo("Service \"a\" is invalid: spec.ipFamilyPolicy: Invalid value: \"SingleStack\": must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
        var sameFamily = Assert.ThrowsAsync<StatusException>(() => CreateAsync(store, "b", """{"clusterIPs":["10.0.0.3","10.0.0.4"],"ports":[{"port":80}]}"""));
        Assert.That(sameFamily!.Message, Does.Contain("spec.clusterIPs: Invalid value: [\"10.0.0.3\",\"10.0.0.4\"]: may specify no more than one IP for each IP family"));
        var mismatch = Assert.ThrowsAsync<StatusException>(() => CreateAsync(store, "c", """{"ipFamilies":["IPv6"],"clusterIP":"10.0.0.3","ports":[{"port":80}]}"""));
        Assert.That(mismatch!.Message, Is.EqualTo("Service \"c\" is invalid: spec.clusterIPs[0]: Invalid value: \"10.0.0.3\": expected an IPv6 value as indicated by `ipFamilies[0]`"));
    }

    [Test]
    public async Task DualStackCluster_DeleteReleasesBothAddresses()
    {
        var (store, allocators) = await DualStackAsync();
        await CreateAsync(store, "a", """{"ipFamilyPolicy":"RequireDualStack","ports":[{"port":80}]}""");
        Assert.That(await ServiceNetworks.AllocatedAsync(allocators, "IPv4"), Has.Count.EqualTo(1));
        Assert.That(await ServiceNetworks.AllocatedAsync(allocators, "IPv6"), Has.Count.EqualTo(1));

        await store.DeleteAsync(Default, "a", new DeleteOptions(), CancellationToken.None);

        Assert.That(await ServiceNetworks.AllocatedAsync(allocators), Is.Empty);
    }

    [Test]
    public async Task DualStackCluster_UpgradeAllocatesTheSecondaryAndDowngradeReleasesIt()
    {
        var (store, allocators) = await DualStackAsync();
        var created = await CreateAsync(store, "a", """{"ports":[{"port":80}]}""");
        var primary = Strings(created, "clusterIPs")[0];

        var upgraded = await UpdateAsync(store, "a", spec => spec["ipFamilyPolicy"] = "PreferDualStack");
        Assert.That(Strings(upgraded, "clusterIPs"), Has.Length.EqualTo(2));
        Assert.That(Strings(upgraded, "clusterIPs")[0], Is.EqualTo(primary));
        Assert.That(Strings(upgraded, "ipFamilies"), Is.EqualTo(new[] { "IPv4", "IPv6" }));
        Assert.That(await ServiceNetworks.AllocatedAsync(allocators, "IPv6"), Is.EqualTo(new[] { Strings(upgraded, "clusterIPs")[1] }));

        var downgraded = await UpdateAsync(store, "a", spec => spec["ipFamilyPolicy"] = "SingleStack");
        Assert.That(Strings(downgraded, "clusterIPs"), Is.EqualTo(new[] { primary }));
        Assert.That(Strings(downgraded, "ipFamilies"), Is.EqualTo(new[] { "IPv4" }));
        Assert.That(await ServiceNetworks.AllocatedAsync(allocators, "IPv6"), Is.Empty);
        Assert.That(await ServiceNetworks.AllocatedAsync(allocators, "IPv4"), Is.EqualTo(new[] { primary }));
    }

    [Test]
    public async Task DualStackCluster_ReleasingTheSecondaryNeedsSingleStack()
    {
        var (store, _) = await DualStackAsync();
        await CreateAsync(store, "a", """{"ipFamilyPolicy":"RequireDualStack","ports":[{"port":80}]}""");
        var e = Assert.ThrowsAsync<StatusException>(() => UpdateAsync(store, "a", spec => spec["clusterIPs"] = new JsonArray(spec["clusterIPs"]![0]!.DeepClone())));
        Assert.That(e!.Message, Is.EqualTo("Service \"a\" is invalid: spec.ipFamilyPolicy: Invalid value: \"RequireDualStack\": must be set to 'SingleStack' when releasing the secondary clusterIP"));
    }
}
