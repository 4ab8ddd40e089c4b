using System.Net;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace KubeApiserver.Tests.Http;

/// <summary>
/// A pod's generation as kube 1.34 tracks it (PodObservedGenerationTracking): 1 at creation, one
/// more for every write that changes the spec (an update, ephemeral containers, a resize) and none
/// for metadata or status; the status's <c>observedGeneration</c> and its conditions' stay when a
/// status write leaves them out; the QoS class never changes.
/// </summary>
[TestFixture]
public sealed class PodGenerationTests : ServerFixture
{
    private async Task<string> PodAsync()
    {
        var ns = await NewNamespaceAsync();
        var created = await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods",
            """{"metadata":{"name":"web"},"spec":{"containers":[{"name":"c","image":"nginx","resources":{"requests":{"cpu":"100m"}}}]}}""");
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        return $"/api/v1/namespaces/{ns}/pods/web";
    }

    private async Task<long> GenerationAsync(string path) =>
        (await Http.SendAsync(HttpMethod.Get, path)).Body["metadata"]!["generation"]!.GetValue<long>();

    private async Task<JsonObject> PutStatusAsync(string path, string status)
    {
        var pod = (await Http.SendAsync(HttpMethod.Get, path)).Body;
        pod["status"] = JsonNode.Parse(status);
        var written = await Http.SendAsync(HttpMethod.Put, path + "/status", pod.ToJsonString());
        Assert.That(written.Code, Is.EqualTo(HttpStatusCode.OK), written.Body.ToJsonString());
        return written.Body;
    }

    [Test]
    public async Task SpecWrites_BumpTheGeneration_MetadataAndStatusWritesDoNot()
    {
        var path = await PodAsync();
        Assert.That(await GenerationAsync(path), Is.EqualTo(1));

        await Http.SendAsync(HttpMethod.Patch, path, """{"metadata":{"labels":{"a":"b"}}}""", "application/merge-patch+json");
        await PutStatusAsync(path, """{"phase":"Running","qosClass":"Burstable"}""");
        Assert.That(await GenerationAsync(path), Is.EqualTo(1));

        var image = await Http.SendAsync(HttpMethod.Patch, path, """{"spec":{"containers":[{"name":"c","image":"nginx:2"}]}}""", "application/strategic-merge-patch+json");
        Assert.That(image.Body["metadata"]!["generation"]!.GetValue<long>(), Is.EqualTo(2), image.Body.ToJsonString());

        var pod = (await Http.SendAsync(HttpMethod.Get, path)).Body;
        pod["spec"]!["ephemeralContainers"] = JsonNode.Parse("""[{"name":"debugger","image":"busybox"}]""");
        var debugged = await Http.SendAsync(HttpMethod.Put, path + "/ephemeralcontainers", pod.ToJsonString());
        Assert.That(debugged.Body["metadata"]!["generation"]!.GetValue<long>(), Is.EqualTo(3), debugged.Body.ToJsonString());

        var resized = await Http.SendAsync(HttpMethod.Patch, path + "/resize", """{"spec":{"containers":[{"name":"c","resources":{"requests":{"cpu":"200m"}}}]}}""", "application/strategic-merge-patch+json");
        Assert.That(resized.Body["metadata"]!["generation"]!.GetValue<long>(), Is.EqualTo(4), resized.Body.ToJsonString());
    }

    [Test]
    public async Task AStatusWriteWithoutObservedGeneration_KeepsTheStoredOnes()
    {
        var path = await PodAsync();
        await PutStatusAsync(path, """{"phase":"Running","qosClass":"Burstable","observedGeneration":1,"conditions":[{"type":"Ready","status":"True","observedGeneration":1},{"type":"PodScheduled","status":"True","observedGeneration":1}]}""");

        // An older kubelet writes no observedGeneration, nor the QoS class.
        var written = await PutStatusAsync(path, """{"phase":"Running","conditions":[{"type":"Ready","status":"False"},{"type":"Custom","status":"True"}]}""");
        var status = written["status"]!;
        Assert.Multiple(() =>
        {
            Assert.That(status["observedGeneration"]!.GetValue<long>(), Is.EqualTo(1));
            Assert.That(status["qosClass"]!.ToString(), Is.EqualTo("Burstable"));
            Assert.That(status["conditions"]![0]!["observedGeneration"]!.GetValue<long>(), Is.EqualTo(1), "Ready keeps its own");
            Assert.That(status["conditions"]![1]!["observedGeneration"], Is.Null, "a new condition type has none to keep");
        });

        // A newer one moves it on.
        var moved = await PutStatusAsync(path, """{"phase":"Running","qosClass":"Burstable","observedGeneration":2}""");
        Assert.That(moved["status"]!["observedGeneration"]!.GetValue<long>(), Is.EqualTo(2));
    }

    [Test]
    public async Task TheQosClass_MayNotChangeThroughStatus()
    {
        var path = await PodAsync();
        var pod = (await Http.SendAsync(HttpMethod.Get, path)).Body;
        pod["status"]!["qosClass"] = "Guaranteed";
        var refused = await Http.SendAsync(HttpMethod.Put, path + "/status", pod.ToJsonString());
        Assert.That(refused.AssertStatus(422, "Invalid")["message"]!.ToString(), Is.EqualTo("Pod \"web\" is invalid: status.qosClass: Invalid value: \"Guaranteed\": field is immutable"));
    }
}
