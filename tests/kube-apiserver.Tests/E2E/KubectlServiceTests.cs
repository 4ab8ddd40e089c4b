using NUnit.Framework;

namespace KubeApiserver.Tests.E2E;

/// <summary>The real kubectl creating, exposing and listing services, and draining a node past a disruption budget.</summary>
[TestFixture]
[Category("E2E")]
internal sealed class KubectlServiceTests : KubectlFixture
{
    [Test]
    public async Task CreateServiceAndExpose_ShowKubesColumns()
    {
        await Kubectl.OkAsync("create ns svc-e2e");
        Assert.That(await Kubectl.OkAsync("-n svc-e2e create service clusterip x --tcp=80:8080"), Does.Contain("service/x created"));
        Assert.That(await Kubectl.OkAsync("-n svc-e2e create service nodeport np --tcp=80:8080 --node-port=30080"), Does.Contain("service/np created"));
        Assert.That(await Kubectl.OkAsync("-n svc-e2e create service externalname ext --external-name=example.com"), Does.Contain("service/ext created"));
        await Kubectl.OkAsync("-n svc-e2e create deployment web --image=nginx --port=80");
        Assert.That(await Kubectl.OkAsync("-n svc-e2e expose deployment web --type=LoadBalancer"), Does.Contain("service/web exposed"));

        var table = await Kubectl.OkAsync("-n svc-e2e get svc -o wide");
        Assert.Multiple(() =>
        {
            Assert.That(table, Does.Match(@"^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\s+SELECTOR\n"));
            Assert.That(table, Does.Match(@"(?m)^x\s+ClusterIP\s+10\.0\.0\.\d+\s+<none>\s+80/TCP\s+\S+\s+app=x$"));
            Assert.That(table, Does.Match(@"(?m)^np\s+NodePort\s+10\.0\.0\.\d+\s+<none>\s+80:30080/TCP\s+"));
            Assert.That(table, Does.Match(@"(?m)^ext\s+ExternalName\s+<none>\s+example\.com\s+<none>\s+"));
            Assert.That(table, Does.Match(@"(?m)^web\s+LoadBalancer\s+10\.0\.0\.\d+\s+<pending>\s+80:3\d{4}/TCP\s+\S+\s+app=web$"));
        });
        var (code, _, error) = await Kubectl.RunAsync("-n svc-e2e create service nodeport np2 --tcp=81 --node-port=30080");
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Not.Zero);
            Assert.That(error, Does.Contain("spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated"));
        });
        Assert.That(await Kubectl.OkAsync("get svc kubernetes -o jsonpath={.spec.clusterIP}"), Is.EqualTo("10.0.0.1"));
    }

    [Test]
    public async Task Drain_EvictsOnlyWhatTheBudgetAllows()
    {
        await Kubectl.OkAsync("create ns drain-e2e");
        await Kubectl.OkAsync("create -f -", "apiVersion: v1\nkind: Node\nmetadata:\n  name: drain-node\n");
        await Kubectl.OkAsync("-n drain-e2e run p --image=nginx -l app=p --overrides={\"spec\":{\"nodeName\":\"drain-node\"}}");
        await Kubectl.OkAsync("-n drain-e2e patch pod p --subresource=status --type=merge -p {\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}");
        await Kubectl.OkAsync("-n drain-e2e create pdb p --selector=app=p --min-available=1");
        await Kubectl.OkAsync("-n drain-e2e patch pdb p --subresource=status --type=merge -p {\"status\":{\"observedGeneration\":1,\"disruptionsAllowed\":0,\"currentHealthy\":1,\"desiredHealthy\":1,\"expectedPods\":1}}");

        var (code, output, error) = await Kubectl.RunAsync("drain drain-node --force --timeout=3s");
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Not.Zero, output);
            Assert.That(output + error, Does.Contain("node/drain-node cordoned"));
            Assert.That(output + error, Does.Contain("Cannot evict pod as it would violate the pod's disruption budget."));
        });
        Assert.That(await Kubectl.OkAsync("-n drain-e2e get pod p -o name"), Does.Contain("pod/p"));

        await Kubectl.OkAsync("-n drain-e2e patch pdb p --subresource=status --type=merge -p {\"status\":{\"disruptionsAllowed\":1}}");
        var drained = await Kubectl.OkAsync("drain drain-node --force --timeout=20s");
        Assert.That(drained, Does.Contain("pod/p evicted").And.Contain("node/drain-node drained"));
    }
}
