using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Storage.Sqlite;
using Apiserver.Kube.Controllers;
using Apiserver.Kube.Registry.Core.Services;
using Apiserver.Kube.Registry.Core.Services.Allocation;
using Apiserver.Kube.Registry.Networking.ServiceCidrs;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace Apiserver.Kube.Tests.Controllers;

/// <summary>The default ServiceCIDR <c>kubernetes</c> as kube's controller keeps it, over SQLite.</summary>
[TestFixture]
internal sealed class DefaultServiceCidrControllerTests
{
    private TempStore _store = null!;
    private SqliteStorage _storage = null!;
    private GenericStore _serviceCidrs = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _store = await TempStore.OpenAsync("default-service-cidr");
        _storage = _store.Storage;
        _serviceCidrs = new GenericStore(ServiceCidrResource.Definition, _storage);
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        await _store.DisposeAsync();
    }

    private DefaultServiceCidrController Controller(string primary, string? secondary = null) => new(_serviceCidrs, new ServiceNetworkConfig
    {
        ClusterIpRange = ServiceIpRange.Parse(primary),
        SecondaryClusterIpRange = secondary is null ? null : ServiceIpRange.Parse(secondary),
    }, NullLogger.Instance);

    private async Task<string> CidrsAsync() =>
        (await _serviceCidrs.GetAsync(new RequestContext(""), DefaultServiceCidrController.Name, new GetOptions(), CancellationToken.None))["spec"]!["cidrs"]!.ToJsonString();

    [Test]
    public async Task SingleStackDefault_IsUpgradedWhenTheFlagGainsTheOtherFamily_AndOtherwiseLeftAlone()
    {
        var single = Controller("10.0.0.0/24");
        Assert.That(single.Exists.IsCompleted, Is.False);
        await single.ReconcileAsync(CancellationToken.None);
        Assert.That(single.Exists.IsCompleted, Is.True);
        Assert.That(await CidrsAsync(), Is.EqualTo("""["10.0.0.0/24"]"""));

        await Controller("10.0.0.0/24", "fd00::/112").ReconcileAsync(CancellationToken.None);
        Assert.That(await CidrsAsync(), Is.EqualTo("""["10.0.0.0/24","fd00::/112"]"""));

        // A different primary is the administrator's to settle: reported, never rewritten.
        await Controller("10.1.0.0/24", "fd00::/112").ReconcileAsync(CancellationToken.None);
        Assert.That(await CidrsAsync(), Is.EqualTo("""["10.0.0.0/24","fd00::/112"]"""));
    }
}
