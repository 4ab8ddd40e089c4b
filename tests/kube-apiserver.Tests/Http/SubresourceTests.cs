using System.Net;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace KubeApiserver.Tests.Http;

/// <summary>The namespaces/status and namespaces/finalize subresources.</summary>
[TestFixture]
public sealed class SubresourceTests : ServerFixture
{
    [Test]
    public async Task Discovery_ListsTheSubresources()
    {
        var v1 = (await Http.SendAsync(HttpMethod.Get, "/api/v1")).Body;
        var resources = v1["resources"]!.AsArray().ToDictionary(r => r!["name"]!.ToString(), r => r!);
        Assert.That(resources["namespaces/status"]["verbs"]!.AsArray().Select(v => v!.ToString()), Is.EquivalentTo(new[] { "get", "patch", "update" }));
        Assert.That(resources["namespaces/finalize"]["verbs"]!.AsArray().Select(v => v!.ToString()), Is.EquivalentTo(new[] { "update" }));
    }

    [Test]
    public async Task NamespaceStatus_WritesOnlyTheStatus()
    {
        var ns = await NewNamespaceAsync();
        var current = (await Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/status")).Body;
        Assert.That(current["kind"]!.ToString(), Is.EqualTo("Namespace"));
        current["status"]!["phase"] = "Custom";
        current["metadata"]!["labels"]!["ignored"] = "yes";
        var (code, body) = await Http.SendAsync(HttpMethod.Put, $"/api/v1/namespaces/{ns}/status", current.ToJsonString());
        Assert.That(code, Is.EqualTo(HttpStatusCode.OK), body.ToJsonString());
        Assert.That(body["status"]!["phase"]!.ToString(), Is.EqualTo("Custom"));
        Assert.That(body["metadata"]!["labels"]!["ignored"], Is.Null);

        // And a main-resource write cannot change the status back.
        var main = (JsonObject)body.DeepClone();
        main["status"]!["phase"] = "Active";
        var updated = (await Http.SendAsync(HttpMethod.Put, $"/api/v1/namespaces/{ns}", main.ToJsonString())).Body;
        Assert.That(updated["status"]!["phase"]!.ToString(), Is.EqualTo("Custom"));

        var patched = await Http.SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{ns}/status", """{"status":{"phase":"Active"}}""", "application/merge-patch+json");
        Assert.That(patched.Body["status"]!["phase"]!.ToString(), Is.EqualTo("Active"));
    }

    [Test]
    public async Task NamespaceFinalize_ChangesSpecFinalizersOnly()
    {
        var ns = await NewNamespaceAsync();
        var current = (await Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}")).Body;
        Assert.That(current["spec"]!["finalizers"]!.AsArray().Select(f => f!.ToString()), Is.EqualTo(new[] { "kubernetes" }));

        // A main-resource write cannot change spec.finalizers.
        current["spec"] = new JsonObject { ["finalizers"] = new JsonArray() };
        var main = (await Http.SendAsync(HttpMethod.Put, $"/api/v1/namespaces/{ns}", current.ToJsonString())).Body;
        Assert.That(main["spec"]!["finalizers"]!.AsArray(), Has.Count.EqualTo(1));

        main["spec"] = new JsonObject { ["finalizers"] = new JsonArray() };
        var finalized = (await Http.SendAsync(HttpMethod.Put, $"/api/v1/namespaces/{ns}/finalize", main.ToJsonString())).Body;
        Assert.That(finalized["spec"]!["finalizers"]!.AsArray(), Is.Empty);

        // With no finalizers left, a delete removes the namespace at once.
        await Http.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}");
        (await Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}")).AssertStatus(404, "NotFound");
    }

    [Test]
    public async Task UnknownSubresource_Answers404()
    {
        (await Http.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/configmaps/x/status")).AssertStatus(404, "NotFound");
        (await Http.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/scale")).AssertStatus(404, "NotFound");
    }
}
