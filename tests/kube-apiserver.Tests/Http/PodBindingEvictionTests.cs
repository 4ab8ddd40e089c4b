using System.Net;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace KubeApiserver.Tests.Http;

/// <summary>pods/binding, bindings and pods/eviction as kube-apiserver 1.34 answers them.</summary>
[TestFixture]
public sealed class PodBindingEvictionTests : ServerFixture
{
    private const string Pod = """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"app":"a"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}""";

    private async Task<string> NamespaceWithPodAsync(bool running = true)
    {
        var ns = await NewNamespaceAsync();
        Assert.That((await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods", Pod)).Code, Is.EqualTo(HttpStatusCode.Created));
        if (running)
        {
            await Http.SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{ns}/pods/p/status", """{"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}""", "application/merge-patch+json");
        }
        return ns;
    }

    private static string Binding(string name, string node) =>
        $$$"""{"apiVersion":"v1","kind":"Binding","metadata":{"name":"{{{name}}}","annotations":{"by":"test"}},"target":{"kind":"Node","name":"{{{node}}}"}}""";

    private const string Eviction = """{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"p"}}""";

    [Test]
    public async Task Binding_SetsTheNodeOnceThenConflicts()
    {
        var ns = await NamespaceWithPodAsync(running: false);
        var bound = await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods/p/binding", Binding("p", "node-1"));
        Assert.That(bound.Code, Is.EqualTo(HttpStatusCode.Created), bound.Body.ToJsonString());
        Assert.That(bound.Body.ToJsonString(), Is.EqualTo("""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success","code":201}"""));
        var pod = (await Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods/p")).Body;
        Assert.Multiple(() =>
        {
            Assert.That(pod["spec"]!["nodeName"]!.ToString(), Is.EqualTo("node-1"));
            Assert.That(pod["metadata"]!["annotations"]!["by"]!.ToString(), Is.EqualTo("test"));
            Assert.That(pod["status"]!["conditions"]!.AsArray().Single(c => c!["type"]!.ToString() == "PodScheduled")!["status"]!.ToString(), Is.EqualTo("True"));
        });
        var again = await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/bindings", Binding("p", "node-2"));
        Assert.That(again.AssertStatus(409, "Conflict")["message"]!.ToString(),
            Is.EqualTo("Operation cannot be fulfilled on binding \"p\": pod p is already assigned to node \"node-1\""));
    }

    [Test]
    public async Task Binding_RefusesAMismatchedNameAndAMissingTarget()
    {
        var ns = await NamespaceWithPodAsync(running: false);
        var mismatch = await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods/p/binding", Binding("q", "n"));
        Assert.That(mismatch.AssertStatus(400, "BadRequest")["message"]!.ToString(), Is.EqualTo("name in URL does not match name in Binding object"));
        var missing = await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods/p/binding", """{"apiVersion":"v1","kind":"Binding","metadata":{"name":"p"},"target":{}}""");
        Assert.That(missing.AssertStatus(422, "Invalid")["message"]!.ToString(), Is.EqualTo("Binding \"p\" is invalid: target.name: Required value"));
        (await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods/nope/binding", Binding("nope", "n"))).AssertStatus(404, "NotFound");
    }

    [Test]
    public async Task Eviction_WithoutABudget_DeletesThePod()
    {
        var ns = await NamespaceWithPodAsync();
        var evicted = await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods/p/eviction", Eviction);
        Assert.That(evicted.Code, Is.EqualTo(HttpStatusCode.Created), evicted.Body.ToJsonString());
        (await Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods/p")).AssertStatus(404, "NotFound");
    }

    [Test]
    public async Task Eviction_BlockedByABudget_Answers429ThenTakesADisruptionWhenAllowed()
    {
        var ns = await NamespaceWithPodAsync();
        await Http.SendAsync(HttpMethod.Post, $"/apis/policy/v1/namespaces/{ns}/poddisruptionbudgets",
            """{"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"b"},"spec":{"minAvailable":1,"selector":{"matchLabels":{"app":"a"}}}}""");
        var budgetStatus = $"/apis/policy/v1/namespaces/{ns}/poddisruptionbudgets/b/status";
        await Http.SendAsync(HttpMethod.Patch, budgetStatus,
            """{"status":{"observedGeneration":1,"disruptionsAllowed":0,"currentHealthy":1,"desiredHealthy":1,"expectedPods":1}}""", "application/merge-patch+json");

        var blocked = (await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods/p/eviction", Eviction)).AssertStatus(429, "TooManyRequests");
        Assert.Multiple(() =>
        {
            Assert.That(blocked["message"]!.ToString(), Is.EqualTo("Cannot evict pod as it would violate the pod's disruption budget."));
            Assert.That(blocked["details"]!["causes"]!.ToJsonString(), Is.EqualTo("""[{"reason":"DisruptionBudget","message":"The disruption budget b needs 1 healthy pods and has 1 currently"}]"""));
        });

        await Http.SendAsync(HttpMethod.Patch, budgetStatus, """{"status":{"disruptionsAllowed":1}}""", "application/merge-patch+json");
        var evicted = await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods/p/eviction", Eviction);
        Assert.That(evicted.Code, Is.EqualTo(HttpStatusCode.Created), evicted.Body.ToJsonString());
        var budget = (await Http.SendAsync(HttpMethod.Get, budgetStatus)).Body;
        Assert.Multiple(() =>
        {
            Assert.That(budget["status"]!["disruptionsAllowed"]!.GetValue<int>(), Is.Zero);
            Assert.That(budget["status"]!["disruptedPods"]!.AsObject().ContainsKey("p"), Is.True);
        });
    }

    [Test]
    public async Task Eviction_OfAPendingPod_IgnoresTheBudget()
    {
        var ns = await NamespaceWithPodAsync(running: false);
        await Http.SendAsync(HttpMethod.Post, $"/apis/policy/v1/namespaces/{ns}/poddisruptionbudgets",
            """{"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"b"},"spec":{"minAvailable":1,"selector":{"matchLabels":{"app":"a"}}}}""");
        var evicted = await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods/p/eviction", Eviction);
        Assert.That(evicted.Code, Is.EqualTo(HttpStatusCode.Created), evicted.Body.ToJsonString());
    }
}
