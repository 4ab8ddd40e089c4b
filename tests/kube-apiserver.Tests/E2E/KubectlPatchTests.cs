using NUnit.Framework;

namespace KubeApiserver.Tests.E2E;

/// <summary>
/// The kubectl verbs that write by patching (client-side <c>apply</c>, <c>patch</c>, <c>label</c>,
/// <c>annotate</c>, <c>edit</c>, <c>diff</c>) against the real server, one server for the fixture.
/// </summary>
[TestFixture]
[Category("E2E")]
internal sealed class KubectlPatchTests : KubectlFixture
{
    private const string Namespace = "patch-e2e";

    protected override Task OnStartedAsync() => Kubectl.OkAsync($"create namespace {Namespace}");

    private string WriteFile(string name, string content)
    {
        var path = Path.Combine(ScratchDir, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    private static string ConfigMap(string name, params (string Key, string Value)[] data) =>
        $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: {Namespace}\ndata:\n"
        + string.Concat(data.Select(d => $"  {d.Key}: \"{d.Value}\"\n"));

    private Task<string> GetAsync(string resource, string jsonPath) =>
        Kubectl.OkAsync($"-n {Namespace} get {resource} -o jsonpath={jsonPath}");

    [Test]
    public async Task ApplyTwice_WithAKeyRemoved_RemovesTheKey()
    {
        var first = WriteFile("applied-1.yaml", ConfigMap("applied", ("a", "1"), ("b", "2")));
        Assert.That(await Kubectl.OkAsync($"apply -f {first}"), Does.Contain("configmap/applied created"));
        var second = WriteFile("applied-2.yaml", ConfigMap("applied", ("a", "1"), ("c", "3")));
        Assert.That(await Kubectl.OkAsync($"apply -f {second}"), Does.Contain("configmap/applied configured"));

        var data = await GetAsync("configmap applied", "{.data}");
        Assert.That(data, Does.Contain("\"a\":\"1\"").And.Contain("\"c\":\"3\"").And.Not.Contain("\"b\""));
        Assert.That(await Kubectl.OkAsync($"apply -f {second}"), Does.Contain("configmap/applied unchanged"));
    }

    [Test]
    public async Task PatchStrategic_MergesIntoTheObject()
    {
        await Kubectl.OkAsync($"-n {Namespace} create configmap strategic --from-literal=a=1 --from-literal=b=2");
        var output = await Kubectl.OkAsync($"-n {Namespace} patch configmap strategic --type=strategic -p '{{\"data\":{{\"b\":null,\"c\":\"3\"}}}}'");
        Assert.That(output, Does.Contain("configmap/strategic patched"));
        Assert.That(await GetAsync("configmap strategic", "{.data}"), Is.EqualTo("""{"a":"1","c":"3"}"""));
    }

    [Test]
    public async Task PatchServiceAccountSecrets_AreMergedByName()
    {
        var sa = WriteFile("sa.yaml", $"apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: robot\n  namespace: {Namespace}\nsecrets:\n- name: a\n");
        await Kubectl.OkAsync($"apply -f {sa}");
        await Kubectl.OkAsync($"-n {Namespace} patch sa robot -p '{{\"secrets\":[{{\"name\":\"b\"}}]}}'");
        var names = (await GetAsync("sa robot", "{.secrets[*].name}")).Split(' ');
        Assert.That(names, Is.EquivalentTo(new[] { "a", "b" }), "the patch's secret is added, not a replacement of the list");
    }

    [Test]
    public async Task LabelAndAnnotate_AddAndRemoveKeys()
    {
        await Kubectl.OkAsync($"-n {Namespace} create configmap labelled --from-literal=a=1");
        Assert.That(await Kubectl.OkAsync($"-n {Namespace} label configmap labelled tier=web team=x"), Does.Contain("configmap/labelled labeled"));
        Assert.That(await Kubectl.OkAsync($"-n {Namespace} annotate configmap labelled note=hello"), Does.Contain("configmap/labelled annotated"));
        Assert.That(await Kubectl.OkAsync($"-n {Namespace} label configmap labelled team-"), Does.Contain("configmap/labelled unlabeled"));

        Assert.That(await GetAsync("configmap labelled", "{.metadata.labels}"), Is.EqualTo("""{"tier":"web"}"""));
        Assert.That(await GetAsync("configmap labelled", "{.metadata.annotations.note}"), Is.EqualTo("hello"));
    }

    [Test]
    public async Task Edit_WithAScriptedEditor_SavesTheChange()
    {
        await Kubectl.OkAsync($"-n {Namespace} create configmap edited --from-literal=greeting=before-edit");
        var editor = WriteFile("editor.sh", "#!/bin/sh\nsed -i 's/before-edit/after-edit/' \"$1\"\n");
        if (!OperatingSystem.IsWindows())
        {
            System.IO.File.SetUnixFileMode(editor, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var (code, output, error) = await Kubectl.RunAsync($"-n {Namespace} edit configmap edited",
            environment: new Dictionary<string, string> { ["KUBE_EDITOR"] = editor, ["EDITOR"] = editor });
        Assert.That(code, Is.Zero, error);
        Assert.That(output, Does.Contain("configmap/edited edited"));
        Assert.That(await GetAsync("configmap edited", "{.data.greeting}"), Is.EqualTo("after-edit"));
    }

    [Test]
    public async Task Diff_ExitsZeroWhenSameAndOneWhenDifferent()
    {
        var applied = WriteFile("diffed-1.yaml", ConfigMap("diffed", ("a", "1")));
        await Kubectl.OkAsync($"apply -f {applied}");

        var (same, sameOutput, sameError) = await Kubectl.RunAsync($"diff -f {applied}");
        Assert.That(same, Is.Zero, sameError + sameOutput);

        var changed = WriteFile("diffed-2.yaml", ConfigMap("diffed", ("a", "2")));
        var (different, output, error) = await Kubectl.RunAsync($"diff -f {changed}");
        Assert.That(different, Is.EqualTo(1), error);
        Assert.That(output, Does.Contain("-  a: \"1\"").And.Contain("+  a: \"2\""));
        Assert.That(await GetAsync("configmap diffed", "{.data.a}"), Is.EqualTo("1"), "diff changes nothing");
    }

    /// <summary>
    /// Built-in kinds without a protobuf message still take strategic merge patch (kube answers 415
    /// only for custom resources): each is applied, re-applied with a field changed, and patched
    /// with kubectl's default (strategic) patch type.
    /// </summary>
    private static IEnumerable<TestCaseData> TypedKinds()
    {
        yield return new TestCaseData("endpoints", "ep",
            "apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: ep\n  namespace: patch-e2e\nsubsets:\n- addresses:\n  - ip: 10.1.0.{0}\n  ports:\n  - port: 80\n",
            "{.subsets[0].addresses[0].ip}", "10.1.0.",
            """{"metadata":{"labels":{"patched":"yes"}}}""")
            .SetName("ApplyTwiceAndPatch_Endpoints");
        yield return new TestCaseData("lease", "holder",
            "apiVersion: coordination.k8s.io/v1\nkind: Lease\nmetadata:\n  name: holder\n  namespace: patch-e2e\nspec:\n  holderIdentity: node-{0}\n  leaseDurationSeconds: 15\n",
            "{.spec.holderIdentity}", "node-",
            """{"spec":{"leaseDurationSeconds":30},"metadata":{"labels":{"patched":"yes"}}}""")
            .SetName("ApplyTwiceAndPatch_Lease");
        yield return new TestCaseData("storageclass", "patched-sc",
            "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: patched-sc\n  annotations:\n    revision: \"{0}\"\nprovisioner: example.com/disk\n",
            "{.metadata.annotations.revision}", "",
            """{"metadata":{"labels":{"patched":"yes"}}}""")
            .SetName("ApplyTwiceAndPatch_StorageClass");
        yield return new TestCaseData("validatingwebhookconfiguration", "patched-vwc",
            "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nmetadata:\n  name: patched-vwc\nwebhooks:\n- name: a.example.com\n  clientConfig:\n    url: https://a.example.com/validate\n  sideEffects: None\n  admissionReviewVersions: [v1]\n  timeoutSeconds: {0}\n",
            "{.webhooks[0].timeoutSeconds}", "",
            """{"metadata":{"labels":{"patched":"yes"}}}""")
            .SetName("ApplyTwiceAndPatch_ValidatingWebhookConfiguration");
    }

    [TestCaseSource(nameof(TypedKinds))]
    public async Task ApplyTwiceAndPatch_TypedKindsWithoutProtobuf(string resource, string name, string manifest, string field, string prefix, string patch)
    {
        var scope = resource is "storageclass" or "validatingwebhookconfiguration" ? "" : $"-n {Namespace} ";
        var first = WriteFile($"{resource}-1.yaml", manifest.Replace("{0}", "1"));
        Assert.That(await Kubectl.OkAsync($"apply -f {first}"), Does.Contain(" created"));
        var second = WriteFile($"{resource}-2.yaml", manifest.Replace("{0}", "2"));
        Assert.That(await Kubectl.OkAsync($"apply -f {second}"), Does.Contain(" configured"));
        Assert.That(await Kubectl.OkAsync($"{scope}get {resource} {name} -o jsonpath={field}"), Is.EqualTo(prefix + "2"));

        Assert.That(await Kubectl.OkAsync($"{scope}patch {resource} {name} -p '{patch}'"), Does.Contain(" patched"));
        Assert.That(await Kubectl.OkAsync($"{scope}get {resource} {name} -o jsonpath={{.metadata.labels.patched}}"), Is.EqualTo("yes"));
    }

    [Test]
    public async Task PatchWebhooks_AreMergedByName()
    {
        var vwc = WriteFile("merged-vwc.yaml",
            "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nmetadata:\n  name: merged-vwc\nwebhooks:\n- name: a.example.com\n  clientConfig:\n    url: https://a.example.com/validate\n  sideEffects: None\n  admissionReviewVersions: [v1]\n");
        await Kubectl.OkAsync($"apply -f {vwc}");
        const string second = """{"webhooks":[{"name":"b.example.com","clientConfig":{"url":"https://b.example.com/validate"},"sideEffects":"None","admissionReviewVersions":["v1"]}]}""";
        await Kubectl.OkAsync($"patch validatingwebhookconfiguration merged-vwc -p '{second}'");

        var names = (await Kubectl.OkAsync("get validatingwebhookconfiguration merged-vwc -o jsonpath={.webhooks[*].name}")).Split(' ');
        Assert.That(names, Is.EquivalentTo(new[] { "a.example.com", "b.example.com" }), "the patch's webhook is added by its name, not a replacement of the list");
    }

    [Test]
    public async Task PatchScaleSubresource_WithTheDefaultStrategicType_SetsReplicas()
    {
        await Kubectl.OkAsync($"-n {Namespace} create deployment scaled --image=nginx");
        var output = await Kubectl.OkAsync($"-n {Namespace} patch deployment scaled --subresource=scale -p '{{\"spec\":{{\"replicas\":3}}}}'");
        Assert.That(output, Does.Contain("scale.autoscaling/scaled patched"), "kubectl names the Scale the server answers with");
        Assert.That(await GetAsync("deployment scaled", "{.spec.replicas}"), Is.EqualTo("3"));
    }
}
