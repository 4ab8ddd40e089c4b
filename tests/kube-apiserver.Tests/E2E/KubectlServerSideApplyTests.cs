using NUnit.Framework;

namespace KubeApiserver.Tests.E2E;

/// <summary>
/// kubectl's server-side apply against the real server: <c>apply --server-side</c>, conflicts
/// between managers, <c>--force-conflicts</c>, pruning of fields no longer applied, managed fields
/// as <c>get --show-managed-fields</c> prints them, and the move from client-side apply.
/// </summary>
[TestFixture]
[Category("E2E")]
internal sealed class KubectlServerSideApplyTests : KubectlFixture
{
    private const string Namespace = "ssa-e2e";

    protected override Task OnStartedAsync() => Kubectl.OkAsync($"create namespace {Namespace}");

    private string ConfigMapFile(string file, string name, params (string Key, string Value)[] data)
    {
        var path = Path.Combine(ScratchDir, file);
        File.WriteAllText(path, $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: {Namespace}\ndata:\n"
            + string.Concat(data.Select(d => $"  {d.Key}: \"{d.Value}\"\n")));
        return path;
    }

    private Task<string> DataAsync(string name) => Kubectl.OkAsync($"-n {Namespace} get configmap {name} -o jsonpath={{.data}}");

    [Test]
    public async Task ApplyServerSide_CreatesThenConfigures()
    {
        var file = ConfigMapFile("create.yaml", "created", ("a", "1"));
        Assert.That(await Kubectl.OkAsync($"apply --server-side -f {file}"), Does.Contain("configmap/created serverside-applied"));
        var changed = ConfigMapFile("create-2.yaml", "created", ("a", "2"));
        Assert.That(await Kubectl.OkAsync($"apply --server-side -f {changed}"), Does.Contain("configmap/created serverside-applied"));
        Assert.That(await DataAsync("created"), Is.EqualTo("""{"a":"2"}"""));
    }

    [Test]
    public async Task SecondManager_ConflictsUntilItForces()
    {
        await Kubectl.OkAsync($"apply --server-side -f {ConfigMapFile("owned.yaml", "owned", ("a", "1"))}");
        var theirs = ConfigMapFile("owned-other.yaml", "owned", ("a", "2"));
        var (exit, _, error) = await Kubectl.RunAsync($"apply --server-side --field-manager=other -f {theirs}");
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Not.EqualTo(0));
            Assert.That(error, Does.Contain("Apply failed with 1 conflict: conflict with \"kubectl\": .data.a"));
        });
        await Kubectl.OkAsync($"apply --server-side --field-manager=other --force-conflicts -f {theirs}");
        Assert.That(await DataAsync("owned"), Is.EqualTo("""{"a":"2"}"""));
    }

    [Test]
    public async Task ApplyTwiceWithAKeyRemoved_RemovesTheKey()
    {
        await Kubectl.OkAsync($"apply --server-side -f {ConfigMapFile("prune-1.yaml", "pruned", ("a", "1"), ("b", "2"))}");
        await Kubectl.OkAsync($"apply --server-side -f {ConfigMapFile("prune-2.yaml", "pruned", ("a", "1"))}");
        Assert.That(await DataAsync("pruned"), Is.EqualTo("""{"a":"1"}"""));
    }

    [Test]
    public async Task ShowManagedFields_PrintsTheApplyEntry()
    {
        await Kubectl.OkAsync($"apply --server-side -f {ConfigMapFile("show.yaml", "shown", ("a", "1"))}");
        var yaml = await Kubectl.OkAsync($"-n {Namespace} get configmap shown -o yaml --show-managed-fields");
        Assert.That(yaml, Does.Contain("managedFields:").And.Contain("manager: kubectl").And.Contain("operation: Apply")
            .And.Contain("fieldsType: FieldsV1").And.Contain("f:data:").And.Contain("f:a: {}"));
        var plain = await Kubectl.OkAsync($"-n {Namespace} get configmap shown -o yaml");
        Assert.That(plain, Does.Not.Contain("managedFields"), "kubectl hides them unless asked");
    }

    [Test]
    public async Task ClientSideThenServerSide_MigratesWithoutConflicts()
    {
        await Kubectl.OkAsync($"apply -f {ConfigMapFile("csa-1.yaml", "migrated", ("a", "1"), ("b", "2"))}");
        var output = await Kubectl.OkAsync($"apply --server-side -f {ConfigMapFile("csa-2.yaml", "migrated", ("a", "3"))}");
        Assert.That(output, Does.Contain("configmap/migrated serverside-applied"));
        Assert.That(await DataAsync("migrated"), Is.EqualTo("""{"a":"3"}"""), "b, applied client-side before, is no longer applied");
        var managers = await Kubectl.OkAsync($"-n {Namespace} get configmap migrated -o jsonpath={{.metadata.managedFields[*].manager}}");
        Assert.That(managers.Split(' '), Does.Not.Contain("kubectl-client-side-apply"));
    }

    [Test]
    public async Task ServerSideDeployment_ThenScaleByAnotherManager_KeepsBothEntries()
    {
        var path = Path.Combine(ScratchDir, "deploy.yaml");
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
        await Kubectl.OkAsync($"apply --server-side -f {path}");
        await Kubectl.OkAsync($"-n {Namespace} set image deployment/web nginx=nginx:1.26");
        var (exit, _, error) = await Kubectl.RunAsync($"apply --server-side -f {path}");
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Not.EqualTo(0), "the image now belongs to kubectl-set");
            Assert.That(error, Does.Contain("conflict with \"kubectl-set\" using apps/v1").And.Contain(".spec.template.spec.containers[name=\"nginx\"].image"));
        });
    }
}
