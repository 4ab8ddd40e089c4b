using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using NUnit.Framework;

namespace KubeApiserver.Tests.Http;

/// <summary>
/// Resource quantities in built-in kinds are stored as kube stores them, in their canonical
/// spelling, whichever way a client wrote them; a string that is no quantity is a 400.
/// </summary>
[TestFixture]
public sealed class QuantityTests : ServerFixture
{
    [Test]
    public async Task PodResources_AreStoredCanonically()
    {
        var ns = await NewNamespaceAsync();
        var pod = """
            {"metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"i","resources":{
              "requests":{"cpu":"0.5","memory":"1024Mi","ephemeral-storage":1000},
              "limits":{"cpu":"2000m","memory":"1.5Gi","ephemeral-storage":"2e3"}}}]}}
            """;
        var created = (await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods", pod)).Body;
        var resources = created["spec"]!["containers"]![0]!["resources"]!;
        Assert.Multiple(() =>
        {
            Assert.That(resources["requests"]!["cpu"]!.ToString(), Is.EqualTo("500m"));
            Assert.That(resources["requests"]!["memory"]!.ToString(), Is.EqualTo("1Gi"));
            Assert.That(resources["requests"]!["ephemeral-storage"]!.GetValueKind(), Is.EqualTo(System.Text.Json.JsonValueKind.String));
            Assert.That(resources["requests"]!["ephemeral-storage"]!.ToString(), Is.EqualTo("1k"), "a JSON number is a quantity too");
            Assert.That(resources["limits"]!["cpu"]!.ToString(), Is.EqualTo("2"));
            Assert.That(resources["limits"]!["memory"]!.ToString(), Is.EqualTo("1536Mi"));
            Assert.That(resources["limits"]!["ephemeral-storage"]!.ToString(), Is.EqualTo("2e3"));
        });

        // The C# client reads back what kube would give it.
        var read = await Server.CreateClient().CoreV1.ReadNamespacedPodAsync("p", ns);
        Assert.That(read.Spec.Containers[0].Resources.Limits["cpu"].ToString(), Is.EqualTo("2"));
    }

    [Test]
    public async Task Patches_AndOtherKinds_AreCanonicalToo()
    {
        var ns = await NewNamespaceAsync();
        using var client = Server.CreateClient();
        await client.CoreV1.CreateNamespacedResourceQuotaAsync(new V1ResourceQuota
        {
            Metadata = new V1ObjectMeta { Name = "q" },
            Spec = new V1ResourceQuotaSpec { Hard = new Dictionary<string, ResourceQuantity> { ["requests.memory"] = new("2048Mi") } },
        }, ns);
        var patched = await client.CoreV1.PatchNamespacedResourceQuotaAsync(
            new V1Patch("""{"spec":{"hard":{"limits.cpu":"4000m"}}}""", V1Patch.PatchType.MergePatch), "q", ns);
        Assert.That(patched.Spec.Hard["requests.memory"].ToString(), Is.EqualTo("2Gi"));
        Assert.That(patched.Spec.Hard["limits.cpu"].ToString(), Is.EqualTo("4"));
    }

    [Test]
    public async Task ANonQuantity_IsABadRequest_AndNothingIsStored()
    {
        var ns = await NewNamespaceAsync();
        var body = (await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods",
            """{"metadata":{"name":"bad"},"spec":{"containers":[{"name":"c","image":"i","resources":{"limits":{"cpu":"two"}}}]}}"""))
            .AssertStatus(400, "BadRequest");
        Assert.That(body["message"]!.ToString(), Is.EqualTo(
            "Pod in version \"v1\" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"));
        (await Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods/bad")).AssertStatus(404, "NotFound");
    }
}
