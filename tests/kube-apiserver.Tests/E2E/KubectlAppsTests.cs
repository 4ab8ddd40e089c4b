using NUnit.Framework;

namespace KubeApiserver.Tests.E2E;

/// <summary>The real kubectl against apps/v1: typed create (protobuf), get, scale, set image and apply.</summary>
[TestFixture]
[Category("E2E")]
internal sealed class KubectlAppsTests : KubectlFixture
{
    protected override Task OnStartedAsync() => Kubectl.OkAsync("create ns apps-e2e");

    [Test]
    public async Task ApiResources_ListsTheAppsResources()
    {
        var output = await Kubectl.OkAsync("api-resources --api-group=apps");
        Assert.Multiple(() =>
        {
            Assert.That(output, Does.Match(@"(?m)^controllerrevisions\s+apps/v1\s+true\s+ControllerRevision\s*$"));
            Assert.That(output, Does.Match(@"(?m)^daemonsets\s+ds\s+apps/v1\s+true\s+DaemonSet\s*$"));
            Assert.That(output, Does.Match(@"(?m)^deployments\s+deploy\s+apps/v1\s+true\s+Deployment\s*$"));
            Assert.That(output, Does.Match(@"(?m)^replicasets\s+rs\s+apps/v1\s+true\s+ReplicaSet\s*$"));
            Assert.That(output, Does.Match(@"(?m)^statefulsets\s+sts\s+apps/v1\s+true\s+StatefulSet\s*$"));
        });
    }

    [Test]
    public async Task CreateDeployment_GetScaleAndSetImage()
    {
        Assert.That(await Kubectl.OkAsync("-n apps-e2e create deployment web --image=nginx:1.27 --replicas=2 --port=80"),
            Does.Contain("deployment.apps/web created"));
        var created = await Kubectl.OkAsync("-n apps-e2e get deploy web -o jsonpath={.spec.replicas}/{.spec.selector.matchLabels.app}/{.spec.template.spec.containers[0].name}/{.spec.template.spec.containers[0].image}/{.spec.template.spec.containers[0].ports[0].containerPort}/{.spec.template.spec.containers[0].imagePullPolicy}/{.spec.strategy.type}");
        Assert.That(created, Is.EqualTo("2/web/nginx/nginx:1.27/80/IfNotPresent/RollingUpdate"));

        var table = await Kubectl.OkAsync("-n apps-e2e get deploy");
        Assert.Multiple(() =>
        {
            Assert.That(table, Does.Match(@"(?m)^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s*$"));
            Assert.That(table, Does.Match(@"(?m)^web\s+0/2\s+0\s+0\s+\d+s\s*$"));
        });
        var wide = await Kubectl.OkAsync("-n apps-e2e get deploy web -o wide");
        Assert.That(wide, Does.Match(@"(?m)^web\s+0/2\s+0\s+0\s+\d+s\s+nginx\s+nginx:1\.27\s+app=web\s*$"));

        Assert.That(await Kubectl.OkAsync("-n apps-e2e scale deployment web --replicas=5"), Does.Contain("deployment.apps/web scaled"));
        Assert.That(await Kubectl.OkAsync("-n apps-e2e get deploy web -o jsonpath={.spec.replicas}"), Is.EqualTo("5"));

        Assert.That(await Kubectl.OkAsync("-n apps-e2e set image deployment/web nginx=nginx:1.28"), Does.Contain("deployment.apps/web image updated"));
        var image = await Kubectl.OkAsync("-n apps-e2e get deploy web -o jsonpath={.spec.template.spec.containers[0].image}/{.spec.template.spec.containers[0].ports[0].containerPort}/{.metadata.generation}");
        Assert.That(image, Is.EqualTo("nginx:1.28/80/3"));
    }

    [Test]
    public async Task Apply_TwiceWithAChange_UpdatesTheDeployment()
    {
        const string yaml = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: api
              namespace: apps-e2e
            spec:
              replicas: 2
              selector:
                matchLabels:
                  app: api
              template:
                metadata:
                  labels:
                    app: api
                spec:
                  containers:
                  - name: api
                    image: example.com/api:1.0
                    ports:
                    - containerPort: 8080
                  - name: sidecar
                    image: example.com/sidecar:1.0
            """;
        Assert.That(await Kubectl.OkAsync("apply -f -", yaml), Does.Contain("deployment.apps/api created"));
        var changed = yaml.Replace("replicas: 2", "replicas: 3").Replace("api:1.0", "api:1.1");
        Assert.That(await Kubectl.OkAsync("apply -f -", changed), Does.Contain("deployment.apps/api configured"));
        var got = await Kubectl.OkAsync("-n apps-e2e get deploy api -o jsonpath={.spec.replicas}/{.spec.template.spec.containers[*].image}/{.metadata.generation}");
        Assert.That(got, Is.EqualTo("3/example.com/api:1.1 example.com/sidecar:1.0/2"));
        Assert.That(await Kubectl.OkAsync("apply -f -", changed), Does.Contain("deployment.apps/api unchanged"));
    }

    [Test]
    public async Task ApplyAndGet_OtherWorkloads()
    {
        const string yaml = """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata:
              name: db
              namespace: apps-e2e
            spec:
              serviceName: db
              replicas: 1
              selector:
                matchLabels:
                  app: db
              template:
                metadata:
                  labels:
                    app: db
                spec:
                  containers:
                  - name: postgres
                    image: postgres:17
            ---
            apiVersion: apps/v1
            kind: DaemonSet
            metadata:
              name: agent
              namespace: apps-e2e
            spec:
              selector:
                matchLabels:
                  app: agent
              template:
                metadata:
                  labels:
                    app: agent
                spec:
                  containers:
                  - name: agent
                    image: agent:1
            """;
        await Kubectl.OkAsync("apply -f -", yaml);
        Assert.That(await Kubectl.OkAsync("apply -f -", yaml.Replace("postgres:17", "postgres:17.1")), Does.Contain("statefulset.apps/db configured"));
        var output = await Kubectl.OkAsync("-n apps-e2e get sts,ds");
        Assert.Multiple(() =>
        {
            Assert.That(output, Does.Match(@"(?m)^NAME\s+READY\s+AGE\s*$"));
            Assert.That(output, Does.Match(@"(?m)^statefulset\.apps/db\s+0/1\s+\d+s\s*$"));
            Assert.That(output, Does.Match(@"(?m)^NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE\s*$"));
            Assert.That(output, Does.Match(@"(?m)^daemonset\.apps/agent\s+0\s+0\s+0\s+0\s+0\s+<none>\s+\d+s\s*$"));
        });
        Assert.That(await Kubectl.OkAsync("-n apps-e2e scale sts db --replicas=3"), Does.Contain("statefulset.apps/db scaled"));
        Assert.That(await Kubectl.OkAsync("-n apps-e2e get sts db -o jsonpath={.spec.replicas}/{.spec.template.spec.containers[0].image}"), Is.EqualTo("3/postgres:17.1"));
    }

    [Test]
    public async Task Explain_DescribesTheTemplatesContainers()
    {
        var output = await Kubectl.OkAsync("explain deployment.spec.template.spec.containers");
        Assert.Multiple(() =>
        {
            Assert.That(output, Does.Contain("GROUP:      apps"));
            Assert.That(output, Does.Contain("KIND:       Deployment"));
            Assert.That(output, Does.Match(@"(?m)^\s+image\s+<string>"));
        });
    }

    [Test]
    public async Task CreateDeployment_WithoutAnImage_ShowsKubesError()
    {
        var (code, _, error) = await Kubectl.RunAsync("-n apps-e2e create deployment bad --image=");
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Not.Zero);
            Assert.That(error, Does.Contain("Deployment.apps \"bad\" is invalid: spec.template.spec.containers: Required value"));
        });
    }

    [Test]
    public async Task CreateDeployment_SendsProtobuf()
    {
        var (code, output, error) = await Kubectl.RunAsync("-n apps-e2e create deployment proto --image=busybox --port=8080 -v=8");
        Assert.Multiple(async () =>
        {
            Assert.That(code, Is.Zero, error);
            Assert.That(output, Does.Contain("deployment.apps/proto created"));
            Assert.That(error, Does.Contain("Content-Type: application/vnd.kubernetes.protobuf"));
            Assert.That(await Kubectl.OkAsync("-n apps-e2e get deploy proto -o jsonpath={.spec.replicas}/{.spec.template.spec.containers[0].imagePullPolicy}/{.spec.template.spec.containers[0].ports[0].protocol}"),
                Is.EqualTo("1/Always/TCP"));
        });
    }
}
