using NUnit.Framework;

namespace KubeApiserver.Tests.E2E;

/// <summary>The real kubectl against autoscaling (v2 and v1), events.k8s.io/v1 and ingresses.</summary>
[TestFixture]
[Category("E2E")]
internal sealed class KubectlNewGroupsTests : KubectlFixture
{
    [Test]
    public async Task ApiResources_ListsHpaAndEventsGroups()
    {
        var output = await Kubectl.OkAsync("api-resources");
        Assert.Multiple(() =>
        {
            Assert.That(output, Does.Match(@"(?m)^horizontalpodautoscalers\s+hpa\s+autoscaling/v2\s+true\s+HorizontalPodAutoscaler\s*$"));
            Assert.That(output, Does.Match(@"(?m)^events\s+ev\s+events\.k8s\.io/v1\s+true\s+Event\s*$"));
        });
    }

    [Test]
    public async Task Autoscale_CreatesAnHpaThatGetHpaShows()
    {
        await Kubectl.OkAsync("create ns hpa-e2e");
        await Kubectl.OkAsync("-n hpa-e2e create deployment web --image=nginx");
        Assert.That(await Kubectl.OkAsync("-n hpa-e2e autoscale deployment web --min 1 --max 3 --cpu-percent 50"),
            Does.Contain("horizontalpodautoscaler.autoscaling/web autoscaled"));
        var table = await Kubectl.OkAsync("-n hpa-e2e get hpa");
        Assert.Multiple(async () =>
        {
            Assert.That(table, Does.Match(@"NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE"));
            Assert.That(table, Does.Match(@"(?m)^web\s+Deployment/web\s+cpu: <unknown>/50%\s+1\s+3\s+0\s+\d+s$"));
            Assert.That(await Kubectl.OkAsync("-n hpa-e2e get hpa web -o jsonpath={.apiVersion}/{.spec.metrics[0].resource.target.averageUtilization}"),
                Is.EqualTo("autoscaling/v2/50"));
            Assert.That(await Kubectl.OkAsync("-n hpa-e2e get horizontalpodautoscalers.v1.autoscaling web -o jsonpath={.apiVersion}/{.spec.targetCPUUtilizationPercentage}"),
                Is.EqualTo("autoscaling/v1/50"));
        });
        const string Bad = """
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: bad, namespace: hpa-e2e}
            spec:
              scaleTargetRef: {kind: Deployment, name: web}
              minReplicas: 0
              maxReplicas: 3
            """;
        var (code, _, error) = await Kubectl.RunAsync("create -f -", Bad);
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Not.Zero);
            Assert.That(error, Does.Contain("spec.minReplicas: Invalid value: 0: must be greater than or equal to 1"));
        });
    }

    [Test]
    public async Task Events_AreShownThroughBothGroups()
    {
        await Kubectl.OkAsync("create ns events-e2e");
        const string Event = """
            apiVersion: events.k8s.io/v1
            kind: Event
            metadata:
              name: web.started
              namespace: events-e2e
            eventTime: "2025-01-02T03:04:05.000000Z"
            reportingController: example.com/e2e
            reportingInstance: e2e-1
            action: Starting
            reason: Started
            type: Normal
            regarding:
              kind: Pod
              name: web-1
              namespace: events-e2e
            note: Started container web
            """;
        Assert.That(await Kubectl.OkAsync("create -f -", Event), Does.Contain("event.events.k8s.io/web.started created"));
        var events = await Kubectl.OkAsync("-n events-e2e events");
        var legacy = await Kubectl.OkAsync("-n events-e2e get events");
        var grouped = await Kubectl.OkAsync("-n events-e2e get events.events.k8s.io");
        Assert.Multiple(() =>
        {
            Assert.That(events, Does.Match(@"(?m)^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE"));
            Assert.That(events, Does.Match(@"(?m)Normal\s+Started\s+Pod/web-1\s+Started container web"));
            Assert.That(legacy, Does.Match(@"(?m)Normal\s+Started\s+pod/web-1\s+Started container web"));
            Assert.That(grouped, Does.Match(@"(?m)Normal\s+Started\s+pod/web-1\s+Started container web"));
        });
    }

    [Test]
    public async Task CreateIngress_SendsProtobufThatGetIngressShows()
    {
        await Kubectl.OkAsync("create ns ing-e2e");
        Assert.That(await Kubectl.OkAsync("-n ing-e2e create ingress simple --rule=foo.com/bar=svc1:8080,tls=my-cert"),
            Does.Contain("ingress.networking.k8s.io/simple created"));
        Assert.That(await Kubectl.OkAsync("-n ing-e2e create ingress catch-all --class=otheringress --rule=/path=svc:port"),
            Does.Contain("ingress.networking.k8s.io/catch-all created"));
        var table = await Kubectl.OkAsync("-n ing-e2e get ingress");
        Assert.Multiple(async () =>
        {
            Assert.That(table, Does.Match(@"NAME\s+CLASS\s+HOSTS\s+ADDRESS\s+PORTS\s+AGE"));
            Assert.That(table, Does.Match(@"(?m)^simple\s+<none>\s+foo\.com\s+80, 443\s+\d+s$"));
            Assert.That(table, Does.Match(@"(?m)^catch-all\s+otheringress\s+\*\s+80\s+\d+s$"));
            Assert.That(await Kubectl.OkAsync("-n ing-e2e get ing simple -o jsonpath={.spec.rules[0].http.paths[0].path}/{.spec.rules[0].http.paths[0].pathType}/{.spec.rules[0].http.paths[0].backend.service.port.number}/{.spec.tls[0].secretName}"),
                Is.EqualTo("/bar/Exact/8080/my-cert"));
            Assert.That(await Kubectl.OkAsync("-n ing-e2e get ing catch-all -o jsonpath={.spec.rules[0].host}|{.spec.rules[0].http.paths[0].backend.service.port.name}"),
                Is.EqualTo("|port"));
        });
    }

    [Test]
    public async Task Explain_MarksKubesRequiredFields()
    {
        var deployment = await Kubectl.OkAsync("explain deployment.spec");
        var hpa = await Kubectl.OkAsync("explain hpa.spec");
        Assert.Multiple(() =>
        {
            Assert.That(deployment, Does.Match(@"(?m)^\s+selector\s+<LabelSelector> -required-"));
            Assert.That(deployment, Does.Match(@"(?m)^\s+template\s+<PodTemplateSpec> -required-"));
            Assert.That(deployment, Does.Match(@"(?m)^\s+replicas\s+<integer>\s*$"));
            Assert.That(hpa, Does.Match(@"(?m)^\s+maxReplicas\s+<integer> -required-"));
        });
    }
}
