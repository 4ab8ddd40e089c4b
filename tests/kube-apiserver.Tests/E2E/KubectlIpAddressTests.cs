using KubeApiserver.Options;
using NUnit.Framework;

namespace KubeApiserver.Tests.E2E;

/// <summary>
/// kube 1.34's cluster IP allocation seen through kubectl on a server with a tiny range (a /29: six
/// addresses, the <c>kubernetes</c> service holding the first): every cluster IP is an IPAddress,
/// deleting the service frees it, a taken one is refused, a second ServiceCIDR extends the range, and a
/// restart keeps (and repairs) the allocations.
/// </summary>
[TestFixture]
[Category("E2E")]
internal sealed class KubectlIpAddressTests : KubectlFixture
{
    protected override Task<TestServer> NewServerAsync() =>
        TestServer.StartAsync(serviceNetwork: new ServiceNetworkOptions { ClusterIpRange = "10.0.0.0/29" });

    protected override Task OnStartedAsync() => Kubectl.OkAsync("create namespace ipalloc");

    private Task<string> ClusterIpAsync(string name) => Kubectl.OkAsync($"-n ipalloc get svc {name} -o jsonpath={{.spec.clusterIP}}");

    private async Task<string> ApplyAsync(string name, string yaml)
    {
        var path = Path.Combine(ScratchDir, name + ".yaml");
        await File.WriteAllTextAsync(path, yaml);
        return await Kubectl.OkAsync($"apply -f {path}");
    }

    [Test]
    public async Task ServiceIpAddress_IsListedWithKubesColumnsAndFreedOnDelete()
    {
        await Kubectl.OkAsync("-n ipalloc create service clusterip listed --tcp=80");
        var ip = await ClusterIpAsync("listed");
        var table = await Kubectl.OkAsync("get ipaddresses");
        Assert.Multiple(async () =>
        {
            Assert.That(table, Does.Match(@"^NAME\s+PARENTREF\n"));
            Assert.That(table, Does.Match($@"(?m)^{ip.Replace(".", @"\.", StringComparison.Ordinal)}\s+services/ipalloc/listed$"));
            Assert.That(table, Does.Match(@"(?m)^10\.0\.0\.1\s+services/default/kubernetes$"));
            Assert.That(await Kubectl.OkAsync($"get ipaddress {ip} -o jsonpath={{.metadata.labels}}"),
                Is.EqualTo("""{"ipaddress.kubernetes.io/ip-family":"IPv4","ipaddress.kubernetes.io/managed-by":"ipallocator.k8s.io"}"""));
        });

        await Kubectl.OkAsync("-n ipalloc delete service listed");
        var (code, _, error) = await Kubectl.RunAsync($"get ipaddress {ip}");
        Assert.That(code, Is.Not.Zero);
        Assert.That(error, Does.Contain($"ipaddresses.networking.k8s.io \"{ip}\" not found"));
    }

    [Test]
    public async Task TakenIp_IsRefusedWithKubes422()
    {
        var (code, _, error) = await Kubectl.RunAsync("-n ipalloc create service clusterip dup --tcp=80 --clusterip=10.0.0.1");
        Assert.That(code, Is.Not.Zero);
        Assert.That(error, Does.Contain("Service \"dup\" is invalid: spec.clusterIPs: Invalid value: [\"10.0.0.1\"]: failed to allocate IP 10.0.0.1: provided IP is already allocated"));
    }

    [Test]
    public async Task SecondServiceCidr_ServesOnceTheFirstIsFull()
    {
        // Fill what the /29 has left (other tests of this fixture may hold some of it).
        string error;
        var i = 0;
        while (true)
        {
            int code;
            (code, _, error) = await Kubectl.RunAsync($"-n ipalloc create service clusterip fill{i++} --tcp=80");
            if (code != 0) break;
            Assert.That(i, Is.LessThanOrEqualTo(6), "a /29 holds six addresses");
        }
        Assert.That(error, Does.Contain("Internal error occurred: failed to allocate a serviceIP: range is full"));

        await ApplyAsync("extra", "apiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata:\n  name: extra\nspec:\n  cidrs:\n  - 10.0.1.0/29\n");
        Assert.That(await Kubectl.OkAsync("get servicecidrs"), Does.Match(@"(?m)^kubernetes\s+10\.0\.0\.0/29\s+").And.Match(@"(?m)^extra\s+10\.0\.1\.0/29\s+"));
        await Kubectl.OkAsync("-n ipalloc create service clusterip extended --tcp=80");
        Assert.That(await ClusterIpAsync("extended"), Does.Match(@"^10\.0\.1\.[1-6]$"));

        for (var j = 0; j < i - 1; j++) await Kubectl.OkAsync($"-n ipalloc delete service fill{j}");
    }
}
