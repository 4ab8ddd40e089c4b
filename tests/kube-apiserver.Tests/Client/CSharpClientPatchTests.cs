using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using NUnit.Framework;

namespace KubeApiserver.Tests.Client;

/// <summary>The official C# client's patch calls with each of the four patch types, and the managed fields they leave.</summary>
[TestFixture]
public sealed class CSharpClientPatchTests
{
    private TestServer _server = null!;
    private Kubernetes _client = null!;
    private string _namespace = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await TestServer.StartAsync();
        _client = _server.CreateClient();
        _namespace = "cs-patch";
        await _client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = _namespace } });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private async Task<V1ConfigMap> CreateAsync(string name) =>
        await _client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name }, Data = new Dictionary<string, string> { ["a"] = "1" } }, _namespace, fieldManager: "creator");

    [Test]
    public async Task JsonPatch_ReplacesAValue()
    {
        await CreateAsync("json");
        var patched = await _client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("""[{"op":"replace","path":"/data/a","value":"2"}]""", V1Patch.PatchType.JsonPatch), "json", _namespace, fieldManager: "json-patcher");
        var fields = patched.Metadata.ManagedFields.ToDictionary(m => m.Manager, m => m.FieldsV1.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(patched.Data["a"], Is.EqualTo("2"));
            Assert.That(fields["json-patcher"], Does.Contain("f:a"));
            Assert.That(fields["creator"], Does.Not.Contain("f:a"), "the patcher took the value the creator set; the creator keeps the data map itself");
        });
    }

    [Test]
    public async Task MergePatch_AddsAKey()
    {
        await CreateAsync("merge");
        var patched = await _client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("""{"data":{"b":"2"}}""", V1Patch.PatchType.MergePatch), "merge", _namespace, fieldManager: "merger");
        Assert.Multiple(() =>
        {
            Assert.That(patched.Data, Is.EquivalentTo(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }));
            Assert.That(patched.Metadata.ManagedFields.Select(m => m.Manager), Is.EqualTo(new[] { "creator", "merger" }));
        });
    }

    [Test]
    public async Task StrategicMergePatch_MergesContainersByName()
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "smp" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "nginx" }] },
        };
        await _client.CoreV1.CreateNamespacedPodAsync(pod, _namespace);
        var patched = await _client.CoreV1.PatchNamespacedPodAsync(
            new V1Patch("""{"spec":{"containers":[{"name":"app","image":"nginx:2"}]}}""", V1Patch.PatchType.StrategicMergePatch), "smp", _namespace, fieldManager: "smp");
        Assert.Multiple(() =>
        {
            Assert.That(patched.Spec.Containers.Single().Image, Is.EqualTo("nginx:2"));
            Assert.That(patched.Metadata.ManagedFields.Single(m => m.Manager == "smp").Operation, Is.EqualTo("Update"));
        });
    }

    [Test]
    public async Task ApplyPatch_CreatesConflictsAndForces()
    {
        // The client writes a string body as raw JSON, so the configuration is JSON (which is YAML too).
        const string config = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"applied"},"data":{"a":"1"}}""";
        var created = await _client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(config, V1Patch.PatchType.ApplyPatch), "applied", _namespace, fieldManager: "tool");
        Assert.That(created.Metadata.ManagedFields.Single().Operation, Is.EqualTo("Apply"));

        var other = config.Replace("\"1\"", "\"2\"");
        var e = Assert.ThrowsAsync<HttpOperationException>(() =>
            _client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(other, V1Patch.PatchType.ApplyPatch), "applied", _namespace, fieldManager: "other"))!;
        Assert.That(e.Response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));

        var forced = await _client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(other, V1Patch.PatchType.ApplyPatch), "applied", _namespace, fieldManager: "other", force: true);
        Assert.Multiple(() =>
        {
            Assert.That(forced.Data["a"], Is.EqualTo("2"));
            Assert.That(forced.Metadata.ManagedFields.Select(m => m.Manager), Is.EqualTo(new[] { "other" }), "tool lost its only field");
        });
    }
}
