using KubeApiserver.Options;
using NUnit.Framework;

namespace KubeApiserver.Tests.E2E;

/// <summary>
/// A dual-stack server (<c>--service-cluster-ip-range</c> with an IPv4 and an IPv6 CIDR) driven by
/// kubectl: services get one address per family in the order of their <c>ipFamilies</c>, and give
/// both back when deleted.
/// </summary>
[TestFixture]
[Category("E2E")]
internal sealed class KubectlDualStackTests : KubectlFixture
{
    protected override Task<TestServer> NewServerAsync() =>
        TestServer.StartAsync(serviceNetwork: new ServiceNetworkOptions { ClusterIpRange = "10.0.0.0/24,fd00:10:96::/112" });

    protected override Task OnStartedAsync() => Kubectl.OkAsync("create namespace dual");

    private async Task<string> ApplyAsync(string name, string spec)
    {
        var path = Path.Combine(ScratchDir, name + ".yaml");
        await File.WriteAllTextAsync(path, $"apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\n  namespace: dual\nspec:\n{spec}  ports:\n  - port: 80\n");
        return await Kubectl.OkAsync($"apply -f {path}");
    }

    private Task<string> GetAsync(string name, string jsonPath) => Kubectl.OkAsync($"-n dual get svc {name} -o jsonpath={jsonPath}");

    [Test]
    public async Task PreferDualStack_GetsTwoClusterIpsInFamilyOrder()
    {
        await ApplyAsync("both", "  ipFamilyPolicy: PreferDualStack\n");
        var ips = (await GetAsync("both", "{.spec.clusterIPs[*]}")).Split(' ');
        Assert.Multiple(async () =>
        {
            Assert.That(ips, Has.Length.EqualTo(2));
            Assert.That(ips[0], Does.Match(@"^10\.0\.0\.\d+$"));
            Assert.That(ips[1], Does.StartWith("fd00:10:96::"));
            Assert.That(await GetAsync("both", "{.spec.ipFamilies[*]}"), Is.EqualTo("IPv4 IPv6"));
            Assert.That(await GetAsync("both", "{.spec.clusterIP}"), Is.EqualTo(ips[0]));
        });
    }

    [Test]
    public async Task IPv6Only_GetsAnIPv6Address()
    {
        await ApplyAsync("six", "  ipFamilies: [IPv6]\n");
        Assert.That(await GetAsync("six", "{.spec.clusterIPs[*]}"), Does.Match(@"^fd00:10:96::[0-9a-f:]+$"));
        Assert.That(await GetAsync("six", "{.spec.ipFamilyPolicy}"), Is.EqualTo("SingleStack"));
    }

    [Test]
    public async Task Delete_ReleasesBothAddressesForReuse()
    {
        await ApplyAsync("first", "  ipFamilyPolicy: RequireDualStack\n");
        var ips = (await GetAsync("first", "{.spec.clusterIPs[*]}")).Split(' ');
        await Kubectl.OkAsync("-n dual delete svc first");

        // Both addresses are free again: a service can ask for exactly them.
        await ApplyAsync("second", $"  clusterIPs: [\"{ips[0]}\", \"{ips[1]}\"]\n");
        Assert.That(await GetAsync("second", "{.spec.clusterIPs[*]}"), Is.EqualTo($"{ips[0]} {ips[1]}"));
        Assert.That(await GetAsync("second", "{.spec.ipFamilyPolicy}"), Is.EqualTo("RequireDualStack"));
    }

    [Test]
    public async Task DefaultServiceCidr_HoldsBothFamilies_AndEachClusterIpIsAnIpAddressOfItsFamily()
    {
        Assert.That(await Kubectl.OkAsync("get servicecidr kubernetes -o jsonpath={.spec.cidrs[*]}"), Is.EqualTo("10.0.0.0/24 fd00:10:96::/112"));
        await ApplyAsync("addressed", "  ipFamilyPolicy: RequireDualStack\n");
        var ips = (await GetAsync("addressed", "{.spec.clusterIPs[*]}")).Split(' ');
        Assert.Multiple(async () =>
        {
            Assert.That(await Kubectl.OkAsync($"get ipaddress {ips[0]} -o jsonpath={{.metadata.labels.ipaddress\\.kubernetes\\.io/ip-family}}"), Is.EqualTo("IPv4"));
            Assert.That(await Kubectl.OkAsync($"get ipaddress {ips[1]} -o jsonpath={{.metadata.labels.ipaddress\\.kubernetes\\.io/ip-family}}"), Is.EqualTo("IPv6"));
            Assert.That(await Kubectl.OkAsync($"get ipaddress {ips[1]} -o jsonpath={{.spec.parentRef.name}}"), Is.EqualTo("addressed"));
        });
    }

    [Test]
    public async Task TheKubernetesService_StaysSingleStackOnThePrimaryFamily()
    {
        Assert.That(await Kubectl.OkAsync("get svc kubernetes -o jsonpath={.spec.clusterIPs[*]}"), Is.EqualTo("10.0.0.1"));
    }
}
