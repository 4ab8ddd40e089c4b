using NUnit.Framework;

namespace KubeApiserver.Tests.E2E;

/// <summary>
/// The kubectl verbs that write by patching (client-side <c>apply</c>, <c>patch</c>, <c>label</c>,
/// <c>annotate</c>, <c>edit</c>, <c>diff</c>) against the real server, one server for the fixture.
/// </summary>
[TestFixture]
[Category("E2E")]
public sealed class KubectlPatchTests
{
    private const string Namespace = "patch-e2e";
    private TestServer _server = null!;
    private Kubectl _kubectl = null!;
    private string _dir = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await TestServer.StartAsync();
        _kubectl = new Kubectl(_server.KubeconfigPath);
        _dir = Directory.CreateTempSubdirectory("kubectl-patch-").FullName;
        await _kubectl.OkAsync($"create namespace {Namespace}");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private string WriteFile(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    private static string ConfigMap(string name, params (string Key, string Value)[] data) =>
        $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: {Namespace}\ndata:\n"
        + string.Concat(data.Select(d => $"  {d.Key}: \"{d.Value}\"\n"));

    private Task<string> GetAsync(string resource, string jsonPath) =>
        _kubectl.OkAsync($"-n {Namespace} get {resource} -o jsonpath={jsonPath}");

    [Test]
    public async Task ApplyTwice_WithAKeyRemoved_RemovesTheKey()
    {
        var first = WriteFile("applied-1.yaml", ConfigMap("applied", ("a", "1"), ("b", "2")));
        Assert.That(await _kubectl.OkAsync($"apply -f {first}"), Does.Contain("configmap/applied created"));
        var second = WriteFile("applied-2.yaml", ConfigMap("applied", ("a", "1"), ("c", "3")));
        Assert.That(await _kubectl.OkAsync($"apply -f {second}"), Does.Contain("configmap/applied configured"));

        var data = await GetAsync("configmap applied", "{.data}");
        Assert.That(data, Does.Contain("\"a\":\"1\"").And.Contain("\"c\":\"3\"").And.Not.Contain("\"b\""));
        Assert.That(await _kubectl.OkAsync($"apply -f {second}"), Does.Contain("configmap/applied unchanged"));
    }

    [Test]
    public async Task PatchStrategic_MergesIntoTheObject()
    {
        await _kubectl.OkAsync($"-n {Namespace} create configmap strategic --from-literal=a=1 --from-literal=b=2");
        var output = await _kubectl.OkAsync($"-n {Namespace} patch configmap strategic --type=strategic -p '{{\"data\":{{\"b\":null,\"c\":\"3\"}}}}'");
        Assert.That(output, Does.Contain("configmap/strategic patched"));
        Assert.That(await GetAsync("configmap strategic", "{.data}"), Is.EqualTo("""{"a":"1","c":"3"}"""));
    }

    [Test]
    public async Task PatchServiceAccountSecrets_AreMergedByName()
    {
        var sa = WriteFile("sa.yaml", $"apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: robot\n  namespace: {Namespace}\nsecrets:\n- name: a\n");
        await _kubectl.OkAsync($"apply -f {sa}");
        await _kubectl.OkAsync($"-n {Namespace} patch sa robot -p '{{\"secrets\":[{{\"name\":\"b\"}}]}}'");
        var names = (await GetAsync("sa robot", "{.secrets[*].name}")).Split(' ');
        Assert.That(names, Is.EquivalentTo(new[] { "a", "b" }), "the patch's secret is added, not a replacement of the list");
    }

    [Test]
    public async Task LabelAndAnnotate_AddAndRemoveKeys()
    {
        await _kubectl.OkAsync($"-n {Namespace} create configmap labelled --from-literal=a=1");
        Assert.That(await _kubectl.OkAsync($"-n {Namespace} label configmap labelled tier=web team=x"), Does.Contain("configmap/labelled labeled"));
        Assert.That(await _kubectl.OkAsync($"-n {Namespace} annotate configmap labelled note=hello"), Does.Contain("configmap/labelled annotated"));
        Assert.That(await _kubectl.OkAsync($"-n {Namespace} label configmap labelled team-"), Does.Contain("configmap/labelled unlabeled"));

        Assert.That(await GetAsync("configmap labelled", "{.metadata.labels}"), Is.EqualTo("""{"tier":"web"}"""));
        Assert.That(await GetAsync("configmap labelled", "{.metadata.annotations.note}"), Is.EqualTo("hello"));
    }

    [Test]
    public async Task Edit_WithAScriptedEditor_SavesTheChange()
    {
        await _kubectl.OkAsync($"-n {Namespace} create configmap edited --from-literal=greeting=before-edit");
        var editor = WriteFile("editor.sh", "#!/bin/sh\nsed -i 's/before-edit/after-edit/' \"$1\"\n");
        if (!OperatingSystem.IsWindows())
        {
            System.IO.File.SetUnixFileMode(editor, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var (code, output, error) = await _kubectl.RunAsync($"-n {Namespace} edit configmap edited",
            environment: new Dictionary<string, string> { ["KUBE_EDITOR"] = editor, ["EDITOR"] = editor });
        Assert.That(code, Is.Zero, error);
        Assert.That(output, Does.Contain("configmap/edited edited"));
        Assert.That(await GetAsync("configmap edited", "{.data.greeting}"), Is.EqualTo("after-edit"));
    }

    [Test]
    public async Task Diff_ExitsZeroWhenSameAndOneWhenDifferent()
    {
        var applied = WriteFile("diffed-1.yaml", ConfigMap("diffed", ("a", "1")));
        await _kubectl.OkAsync($"apply -f {applied}");

        var (same, sameOutput, sameError) = await _kubectl.RunAsync($"diff -f {applied}");
        Assert.That(same, Is.Zero, sameError + sameOutput);

        var changed = WriteFile("diffed-2.yaml", ConfigMap("diffed", ("a", "2")));
        var (different, output, error) = await _kubectl.RunAsync($"diff -f {changed}");
        Assert.That(different, Is.EqualTo(1), error);
        Assert.That(output, Does.Contain("-  a: \"1\"").And.Contain("+  a: \"2\""));
        Assert.That(await GetAsync("configmap diffed", "{.data.a}"), Is.EqualTo("1"), "diff changes nothing");
    }
}
