using System.Net;
using System.Text.Json.Nodes;
using KubeApiserver.Tests.E2E;
using NUnit.Framework;

namespace KubeApiserver.Tests.Http;

/// <summary>The pods/ephemeralcontainers subresource: kubectl debug adds through it, and kube's rules hold.</summary>
[TestFixture]
public sealed class PodEphemeralContainersTests : ServerFixture
{
    private async Task<(string Ns, string Path)> PodAsync()
    {
        var ns = await NewNamespaceAsync();
        var created = await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods",
            """{"metadata":{"name":"web"},"spec":{"containers":[{"name":"nginx","image":"nginx"}]}}""");
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        return (ns, $"/api/v1/namespaces/{ns}/pods/web");
    }

    private async Task<(HttpStatusCode Code, JsonObject Body)> PutEphemeralAsync(string path, string containers)
    {
        var pod = (await Http.SendAsync(HttpMethod.Get, path)).Body;
        pod["spec"]!["ephemeralContainers"] = JsonNode.Parse(containers);
        return await Http.SendAsync(HttpMethod.Put, path + "/ephemeralcontainers", pod.ToJsonString());
    }

    [Test]
    public async Task KubectlDebug_AddsAnEphemeralContainer_ThatCanBeNeitherChangedNorRemoved()
    {
        var (ns, path) = await PodAsync();
        await new Kubectl(Server.KubeconfigPath).OkAsync($"debug web -n {ns} --image=busybox --container=debugger --profile=general");
        var added = (await Http.SendAsync(HttpMethod.Get, path)).Body["spec"]!["ephemeralContainers"]!.AsArray();
        Assert.That(added.Select(c => c!["name"]!.ToString()), Is.EqualTo(new[] { "debugger" }));
        Assert.That(added[0]!["image"]!.ToString(), Is.EqualTo("busybox"));

        var removed = await PutEphemeralAsync(path, "[]");
        Assert.That(removed.AssertStatus(422, "Invalid")["message"]!.ToString(), Does.Contain("spec.ephemeralContainers: Forbidden: existing ephemeral containers \"debugger\" may not be removed"));
        var changed = await PutEphemeralAsync(path, """[{"name":"debugger","image":"alpine"}]""");
        Assert.That(changed.AssertStatus(422, "Invalid")["message"]!.ToString(), Does.Contain("existing ephemeral containers \"debugger\" may not be changed"));

        // A plain update may not touch them at all, and may still change what it may.
        var pod = (await Http.SendAsync(HttpMethod.Get, path)).Body;
        pod["spec"]!["ephemeralContainers"]!.AsArray().Add(JsonNode.Parse("""{"name":"second","image":"busybox"}"""));
        (await Http.SendAsync(HttpMethod.Put, path, pod.ToJsonString())).AssertStatus(422, "Invalid");
        var relabelled = await Http.SendAsync(HttpMethod.Patch, path, """{"metadata":{"labels":{"debugged":"yes"}}}""", "application/merge-patch+json");
        Assert.That(relabelled.Code, Is.EqualTo(HttpStatusCode.OK), relabelled.Body.ToJsonString());
    }

    [Test]
    public async Task NewEphemeralContainers_FollowKubesRules()
    {
        var (_, path) = await PodAsync();
        var bad = await PutEphemeralAsync(path,
            """[{"name":"nginx","image":"busybox"},{"name":"probe","image":"busybox","ports":[{"containerPort":80}],"resources":{"limits":{"cpu":"1"}}},{"name":"target","image":"busybox","targetContainerName":"missing"},{"name":"noimage"}]""");
        var causes = bad.AssertStatus(422, "Invalid")["details"]!["causes"]!.AsArray().Select(c => $"{c!["field"]}|{c["reason"]}").ToList();
        Assert.That(causes, Is.EquivalentTo(new[]
        {
            "spec.ephemeralContainers[0].name|FieldValueDuplicate",
            "spec.ephemeralContainers[1].ports|FieldValueForbidden",
            "spec.ephemeralContainers[1].resources|FieldValueForbidden",
            "spec.ephemeralContainers[2].targetContainerName|FieldValueNotFound",
            "spec.ephemeralContainers[3].image|FieldValueRequired",
        }));

        var good = await PutEphemeralAsync(path, """[{"name":"debugger","image":"busybox","targetContainerName":"nginx","resources":{}}]""");
        Assert.That(good.Code, Is.EqualTo(HttpStatusCode.OK), good.Body.ToJsonString());
        Assert.That(good.Body["spec"]!["ephemeralContainers"]![0]!["targetContainerName"]!.ToString(), Is.EqualTo("nginx"));
    }

    [Test]
    public async Task ACreatedPod_MayNotCarryEphemeralContainers()
    {
        var ns = await NewNamespaceAsync();
        var created = await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods",
            """{"metadata":{"name":"web"},"spec":{"containers":[{"name":"nginx","image":"nginx"}],"ephemeralContainers":[{"name":"debugger","image":"busybox"}]}}""");
        Assert.That(created.AssertStatus(422, "Invalid")["message"]!.ToString(), Does.Contain("spec.ephemeralContainers: Forbidden: cannot be set on create"));
    }

    [Test]
    public async Task Discovery_ListsTheSubresource_WithKubesVerbs()
    {
        var resources = (await Http.SendAsync(HttpMethod.Get, "/api/v1")).Body["resources"]!.AsArray();
        var entry = resources.Single(r => r!["name"]!.ToString() == "pods/ephemeralcontainers")!;
        Assert.That(entry["verbs"]!.AsArray().Select(v => v!.ToString()), Is.EquivalentTo(new[] { "get", "patch", "update" }));
        Assert.That(entry["kind"]!.ToString(), Is.EqualTo("Pod"));
    }
}
