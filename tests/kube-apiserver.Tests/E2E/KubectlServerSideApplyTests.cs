using NUnit.Framework;

namespace KubeApiserver.Tests.E2E;

/// <summary>
/// kubectl's server-side apply against the real server: <c>apply --server-side</c>, conflicts
/// between managers, <c>--force-conflicts</c>, pruning of fields no longer applied, managed fields
/// as <c>get --show-managed-fields</c> prints them, and the move from client-side apply.
/// </summary>
[TestFixture]
[Category("E2E")]
public sealed class KubectlServerSideApplyTests
{
    private const string Namespace = "ssa-e2e";
    private TestServer _server = null!;
    private Kubectl _kubectl = null!;
    private string _dir = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await TestServer.StartAsync();
        _kubectl = new Kubectl(_server.KubeconfigPath);
        _dir = Directory.CreateTempSubdirectory("kubectl-ssa-").FullName;
        await _kubectl.OkAsync($"create namespace {Namespace}");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private string ConfigMapFile(string file, string name, params (string Key, string Value)[] data)
    {
        var path = Path.Combine(_dir, file);
        File.WriteAllText(path, $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: {Namespace}\ndata:\n"
            + string.Concat(data.Select(d => $"  {d.Key}: \"{d.Value}\"\n")));
        return path;
    }

    private Task<string> DataAsync(string name) => _kubectl.OkAsync($"-n {Namespace} get configmap {name} -o jsonpath={{.data}}");

    [Test]
    public async Task ApplyServerSide_CreatesThenConfigures()
    {
        var file = ConfigMapFile("create.yaml", "created", ("a", "1"));
        Assert.That(await _kubectl.OkAsync($"apply --server-side -f {file}"), Does.Contain("configmap/created serverside-applied"));
        var changed = ConfigMapFile("create-2.yaml", "created", ("a", "2"));
        Assert.That(await _kubectl.OkAsync($"apply --server-side -f {changed}"), Does.Contain("configmap/created serverside-applied"));
        Assert.That(await DataAsync("created"), Is.EqualTo("""{"a":"2"}"""));
    }

    [Test]
    public async Task SecondManager_ConflictsUntilItForces()
    {
        await _kubectl.OkAsync($"apply --server-side -f {ConfigMapFile("owned.yaml", "owned", ("a", "1"))}");
        var theirs = ConfigMapFile("owned-other.yaml", "owned", ("a", "2"));
        var (exit, _, error) = await _kubectl.RunAsync($"apply --server-side --field-manager=other -f {theirs}");
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Not.EqualTo(0));
            Assert.That(error, Does.Contain("Apply failed with 1 conflict: conflict with \"kubectl\": .data.a"));
        });
        await _kubectl.OkAsync($"apply --server-side --field-manager=other --force-conflicts -f {theirs}");
        Assert.That(await DataAsync("owned"), Is.EqualTo("""{"a":"2"}"""));
    }

    [Test]
    public async Task ApplyTwiceWithAKeyRemoved_RemovesTheKey()
    {
        await _kubectl.OkAsync($"apply --server-side -f {ConfigMapFile("prune-1.yaml", "pruned", ("a", "1"), ("b", "2"))}");
        await _kubectl.OkAsync($"apply --server-side -f {ConfigMapFile("prune-2.yaml", "pruned", ("a", "1"))}");
        Assert.That(await DataAsync("pruned"), Is.EqualTo("""{"a":"1"}"""));
    }

    [Test]
    public async Task ShowManagedFields_PrintsTheApplyEntry()
    {
        await _kubectl.OkAsync($"apply --server-side -f {ConfigMapFile("show.yaml", "shown", ("a", "1"))}");
        var yaml = await _kubectl.OkAsync($"-n {Namespace} get configmap shown -o yaml --show-managed-fields");
        Assert.That(yaml, Does.Contain("managedFields:").And.Contain("manager: kubectl").And.Contain("operation: Apply")
            .And.Contain("fieldsType: FieldsV1").And.Contain("f:data:").And.Contain("f:a: {}"));
        var plain = await _kubectl.OkAsync($"-n {Namespace} get configmap shown -o yaml");
        Assert.That(plain, Does.Not.Contain("managedFields"), "kubectl hides them unless asked");
    }

    [Test]
    public async Task ClientSideThenServerSide_MigratesWithoutConflicts()
    {
        await _kubectl.OkAsync($"apply -f {ConfigMapFile("csa-1.yaml", "migrated", ("a", "1"), ("b", "2"))}");
        var output = await _kubectl.OkAsync($"apply --server-side -f {ConfigMapFile("csa-2.yaml", "migrated", ("a", "3"))}");
        Assert.That(output, Does.Contain("configmap/migrated serverside-applied"));
        Assert.That(await DataAsync("migrated"), Is.EqualTo("""{"a":"3"}"""), "b, applied client-side before, is no longer applied");
        var managers = await _kubectl.OkAsync($"-n {Namespace} get configmap migrated -o jsonpath={{.metadata.managedFields[*].manager}}");
        Assert.That(managers.Split(' '), Does.Not.Contain("kubectl-client-side-apply"));
    }

    [Test]
    public async Task ServerSideDeployment_ThenScaleByAnotherManager_KeepsBothEntries()
    {
        var path = Path.Combine(_dir, "deploy.yaml");
        File.WriteAllText(path, $"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: {Namespace}
            spec:
              replicas: 1
              selector:
                matchLabels: {"{"}app: web{"}"}
              template:
                metadata:
                  labels: {"{"}app: web{"}"}
                spec:
                  containers:
                  - name: nginx
                    image: nginx:1.25
                    ports:
                    - containerPort: 80
            """);
        await _kubectl.OkAsync($"apply --server-side -f {path}");
        await _kubectl.OkAsync($"-n {Namespace} set image deployment/web nginx=nginx:1.26");
        var (exit, _, error) = await _kubectl.RunAsync($"apply --server-side -f {path}");
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Not.EqualTo(0), "the image now belongs to kubectl-set");
            Assert.That(error, Does.Contain("conflict with \"kubectl-set\" using apps/v1").And.Contain(".spec.template.spec.containers[name=\"nginx\"].image"));
        });
    }
}
