using NUnit.Framework;

namespace KubeApiserver.Tests.E2E;

/// <summary>
/// The real kubectl against batch/v1, policy/v1, networking.k8s.io/v1 and discovery.k8s.io/v1: typed create of jobs,
/// cron jobs and pod disruption budgets (protobuf), apply, patch, get and its columns.
/// </summary>
[TestFixture]
[Category("E2E")]
internal sealed class KubectlBatchTests : KubectlFixture
{
    protected override Task OnStartedAsync() => Kubectl.OkAsync("create ns batch-e2e");

    [Test]
    public async Task ApiResources_ListsTheBatchResources()
    {
        var output = await Kubectl.OkAsync("api-resources --api-group=batch");
        Assert.Multiple(() =>
        {
            Assert.That(output, Does.Match(@"(?m)^cronjobs\s+cj\s+batch/v1\s+true\s+CronJob\s*$"));
            Assert.That(output, Does.Match(@"(?m)^jobs\s+batch/v1\s+true\s+Job\s*$"));
        });
    }

    [Test]
    public async Task CreateJob_GetsDefaultsAndColumns()
    {
        Assert.That(await Kubectl.OkAsync("-n batch-e2e create job j --image=busybox -- echo hi"), Does.Contain("job.batch/j created"));
        var job = await Kubectl.OkAsync("-n batch-e2e get job j -o jsonpath={.spec.completions}/{.spec.parallelism}/{.spec.backoffLimit}/{.spec.completionMode}/{.spec.template.spec.restartPolicy}/{.spec.template.spec.containers[0].image}/{.spec.template.spec.containers[0].command[0]}/{.spec.template.metadata.labels.job-name}");
        Assert.That(job, Is.EqualTo("1/1/6/NonIndexed/Never/busybox/echo/j"));
        var table = await Kubectl.OkAsync("-n batch-e2e get jobs");
        Assert.Multiple(() =>
        {
            Assert.That(table, Does.Match(@"(?m)^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE\s*$"));
            Assert.That(table, Does.Match(@"(?m)^j\s+Running\s+0/1\s+\d+s\s*$"));
        });
    }

    [Test]
    public async Task CreateCronJob_GetsDefaultsAndColumns()
    {
        Assert.That(await Kubectl.OkAsync("-n batch-e2e create cronjob c --image=busybox '--schedule=*/5 * * * *'"), Does.Contain("cronjob.batch/c created"));
        var cronJob = await Kubectl.OkAsync("-n batch-e2e get cj c -o jsonpath={.spec.schedule}/{.spec.concurrencyPolicy}/{.spec.suspend}/{.spec.successfulJobsHistoryLimit}/{.spec.failedJobsHistoryLimit}/{.spec.jobTemplate.spec.template.spec.restartPolicy}");
        Assert.That(cronJob, Is.EqualTo("*/5 * * * */Allow/false/3/1/OnFailure"));
        var table = await Kubectl.OkAsync("-n batch-e2e get cronjobs");
        Assert.Multiple(() =>
        {
            Assert.That(table, Does.Match(@"(?m)^NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE\s*$"));
            Assert.That(table, Does.Match(@"(?m)^c\s+\*/5 \* \* \* \*\s+<none>\s+False\s+0\s+<none>\s+\d+s\s*$"));
        });
    }

    [Test]
    public async Task CreateJobFromCronJob_AndGetBoth()
    {
        await Kubectl.OkAsync("-n batch-e2e create cronjob nightly --image=busybox --schedule=@daily");
        Assert.That(await Kubectl.OkAsync("-n batch-e2e create job manual --from=cronjob/nightly"), Does.Contain("job.batch/manual created"));
        var owner = await Kubectl.OkAsync("-n batch-e2e get job manual -o jsonpath={.metadata.ownerReferences[0].kind}/{.metadata.annotations.cronjob\\.kubernetes\\.io/instantiate}");
        Assert.That(owner, Is.EqualTo("CronJob/manual"));
        var both = await Kubectl.OkAsync("-n batch-e2e get jobs,cronjobs");
        Assert.Multiple(() =>
        {
            Assert.That(both, Does.Match(@"(?m)^job\.batch/manual\s+Running\s+0/1\s+\d+s\s*$"));
            Assert.That(both, Does.Match(@"(?m)^cronjob\.batch/nightly\s+@daily\s+<none>\s+False\s+0\s+<none>\s+\d+s\s*$"));
        });
    }

    [Test]
    public async Task CreateJob_WithInvalidCron_ShowsKubesError()
    {
        var (code, _, error) = await Kubectl.RunAsync("-n batch-e2e create cronjob bad --image=busybox '--schedule=not a cron'");
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Not.Zero);
            Assert.That(error, Does.Contain("spec.schedule: Invalid value: \"not a cron\": expected exactly 5 fields, found 3: [not a cron]"));
        });
    }

    [Test]
    public async Task CreatePodDisruptionBudget_AndGetIt()
    {
        Assert.That(await Kubectl.OkAsync("-n batch-e2e create poddisruptionbudget db --selector=app=db --min-available=1"),
            Does.Contain("poddisruptionbudget.policy/db created"));
        Assert.That(await Kubectl.OkAsync("-n batch-e2e get pdb db -o jsonpath={.spec.minAvailable}/{.spec.selector.matchLabels.app}/{.status.expectedPods}"), Is.EqualTo("1/db/0"));
        var table = await Kubectl.OkAsync("-n batch-e2e get pdb");
        Assert.Multiple(() =>
        {
            Assert.That(table, Does.Match(@"(?m)^NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE\s*$"));
            Assert.That(table, Does.Match(@"(?m)^db\s+1\s+N/A\s+0\s+\d+s\s*$"));
        });
        var (code, _, error) = await Kubectl.RunAsync("-n batch-e2e create pdb both --selector=app=db --min-available=1 --max-unavailable=1");
        Assert.That(code, Is.Not.Zero, error);
    }

    [Test]
    public async Task ApplyCronJob_TwiceAndExplain()
    {
        const string yaml = """
            apiVersion: batch/v1
            kind: CronJob
            metadata:
              name: report
              namespace: batch-e2e
            spec:
              schedule: "0 3 * * *"
              timeZone: Etc/UTC
              jobTemplate:
                spec:
                  template:
                    spec:
                      restartPolicy: OnFailure
                      containers:
                      - name: report
                        image: busybox:1.36
            """;
        Assert.That(await Kubectl.OkAsync("apply -f -", yaml), Does.Contain("cronjob.batch/report created"));
        Assert.That(await Kubectl.OkAsync("apply -f -", yaml.Replace("0 3 * * *", "30 4 * * *", StringComparison.Ordinal)), Does.Contain("cronjob.batch/report configured"));
        Assert.That(await Kubectl.OkAsync("-n batch-e2e get cj report -o jsonpath={.spec.schedule}/{.spec.timeZone}/{.metadata.generation}"), Is.EqualTo("30 4 * * */Etc/UTC/2"));
        Assert.That(await Kubectl.OkAsync("explain cronjob.spec.schedule"), Does.Contain("The schedule in Cron format"));
    }

    [Test]
    public async Task NetworkPolicyAndIngressClass_ApplyAndGet()
    {
        const string yaml = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: web
              namespace: batch-e2e
            spec:
              podSelector:
                matchLabels:
                  app: web
              ingress:
              - ports:
                - port: 80
            ---
            apiVersion: networking.k8s.io/v1
            kind: IngressClass
            metadata:
              name: e2e-nginx
            spec:
              controller: k8s.io/ingress-nginx
            """;
        var applied = await Kubectl.OkAsync("apply -f -", yaml);
        Assert.Multiple(() =>
        {
            Assert.That(applied, Does.Contain("networkpolicy.networking.k8s.io/web created"));
            Assert.That(applied, Does.Contain("ingressclass.networking.k8s.io/e2e-nginx created"));
        });
        var netpol = await Kubectl.OkAsync("-n batch-e2e get netpol");
        Assert.Multiple(() =>
        {
            Assert.That(netpol, Does.Match(@"(?m)^NAME\s+POD-SELECTOR\s+AGE\s*$"));
            Assert.That(netpol, Does.Match(@"(?m)^web\s+app=web\s+\d+s\s*$"));
        });
        Assert.That(await Kubectl.OkAsync("get ingressclass e2e-nginx"), Does.Match(@"(?m)^e2e-nginx\s+k8s\.io/ingress-nginx\s+<none>\s+\d+s\s*$"));
        Assert.That(await Kubectl.OkAsync("-n batch-e2e patch netpol web -p '{\"spec\":{\"policyTypes\":[\"Ingress\",\"Egress\"]}}'"), Does.Contain("patched"));
        Assert.That(await Kubectl.OkAsync("-n batch-e2e get netpol web -o jsonpath={.spec.policyTypes}/{.spec.ingress[0].ports[0].protocol}/{.metadata.generation}"), Is.EqualTo("[\"Ingress\",\"Egress\"]/TCP/2"));
    }

    [Test]
    public async Task EndpointSlice_ApplyAndGet()
    {
        const string yaml = """
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata:
              name: web-1
              namespace: batch-e2e
            addressType: IPv4
            ports:
            - name: http
              port: 80
            endpoints:
            - addresses: ["10.1.0.5"]
            """;
        Assert.That(await Kubectl.OkAsync("apply -f -", yaml), Does.Contain("endpointslice.discovery.k8s.io/web-1 created"));
        var table = await Kubectl.OkAsync("-n batch-e2e get endpointslices");
        Assert.Multiple(() =>
        {
            Assert.That(table, Does.Match(@"(?m)^NAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE\s*$"));
            Assert.That(table, Does.Match(@"(?m)^web-1\s+IPv4\s+80\s+10\.1\.0\.5\s+\d+s\s*$"));
        });
        Assert.That(await Kubectl.OkAsync("-n batch-e2e patch endpointslice web-1 -p '{\"endpoints\":[{\"addresses\":[\"10.1.0.6\"]}]}'"), Does.Contain("patched"));
        Assert.That(await Kubectl.OkAsync("-n batch-e2e get endpointslice web-1 -o jsonpath={.endpoints[0].addresses[0]}/{.ports[0].protocol}"), Is.EqualTo("10.1.0.6/TCP"));
    }
}
