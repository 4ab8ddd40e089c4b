using System.Net;
using NUnit.Framework;

namespace KubeApiserver.Tests.Http;

/// <summary>flowcontrol.apiserver.k8s.io/v1: discovery, kube's bootstrap objects and their reconciliation, defaults and validation.</summary>
[TestFixture]
public sealed class FlowcontrolTests : ServerFixture
{
    private const string Group = "/apis/flowcontrol.apiserver.k8s.io/v1";

    [Test]
    public async Task Discovery_ReportsKubesEntries()
    {
        var resources = (await Http.SendAsync(HttpMethod.Get, Group)).Body["resources"]!.AsArray();
        Assert.That(resources.Select(r => r!.ToJsonString()), Is.EqualTo(new[]
        {
            """{"name":"flowschemas","singularName":"flowschema","namespaced":false,"kind":"FlowSchema","verbs":["create","delete","deletecollection","get","list","patch","update","watch"]}""",
            """{"name":"flowschemas/status","singularName":"","namespaced":false,"kind":"FlowSchema","verbs":["get","patch","update"]}""",
            """{"name":"prioritylevelconfigurations","singularName":"prioritylevelconfiguration","namespaced":false,"kind":"PriorityLevelConfiguration","verbs":["create","delete","deletecollection","get","list","patch","update","watch"]}""",
            """{"name":"prioritylevelconfigurations/status","singularName":"","namespaced":false,"kind":"PriorityLevelConfiguration","verbs":["get","patch","update"]}""",
        }));
    }

    [Test]
    public async Task BootstrapObjects_ExistWithKubesSpecs()
    {
        var schemas = (await Http.SendAsync(HttpMethod.Get, $"{Group}/flowschemas")).Body["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.ToString());
        var levels = (await Http.SendAsync(HttpMethod.Get, $"{Group}/prioritylevelconfigurations")).Body["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.ToString());
        Assert.Multiple(async () =>
        {
            Assert.That(schemas, Is.SupersetOf(new[] { "exempt", "catch-all", "probes", "system-leader-election", "workload-leader-election", "system-nodes", "service-accounts", "global-default" }));
            Assert.That(levels, Is.SupersetOf(new[] { "exempt", "catch-all", "leader-election", "workload-high", "workload-low", "global-default", "node-high", "system" }));
            var catchAll = (await Http.SendAsync(HttpMethod.Get, $"{Group}/prioritylevelconfigurations/catch-all")).Body;
            Assert.That(catchAll["spec"]!.ToJsonString(), Is.EqualTo("""{"type":"Limited","limited":{"nominalConcurrencyShares":5,"limitResponse":{"type":"Reject"},"lendablePercent":0}}"""));
            Assert.That(catchAll["metadata"]!["annotations"]!["apf.kubernetes.io/autoupdate-spec"]!.ToString(), Is.EqualTo("true"));
        });
    }

    [Test]
    public async Task Restart_RestoresMandatorySpecsButRespectsAutoUpdateFalse()
    {
        await Http.SendAsync(HttpMethod.Patch, $"{Group}/flowschemas/exempt", """{"spec":{"matchingPrecedence":3}}""", "application/merge-patch+json");
        await Http.SendAsync(HttpMethod.Patch, $"{Group}/flowschemas/global-default",
            """{"metadata":{"annotations":{"apf.kubernetes.io/autoupdate-spec":"false"}},"spec":{"matchingPrecedence":9800}}""", "application/merge-patch+json");
        await Http.SendAsync(HttpMethod.Patch, $"{Group}/flowschemas/service-accounts", """{"spec":{"matchingPrecedence":8000}}""", "application/merge-patch+json");
        await Server.RestartAsync();
        var readyz = await Http.GetStringAsync("/readyz?verbose");
        Assert.That(readyz, Does.Contain("[+]poststarthook/priority-and-fairness-config-producer ok"));
        async Task<int> PrecedenceAsync(string name) =>
            (await Http.SendAsync(HttpMethod.Get, $"{Group}/flowschemas/{name}")).Body["spec"]!["matchingPrecedence"]!.GetValue<int>();
        Assert.Multiple(async () =>
        {
            Assert.That(await PrecedenceAsync("exempt"), Is.EqualTo(1), "mandatory: always enforced");
            Assert.That(await PrecedenceAsync("global-default"), Is.EqualTo(9800), "suggested, taken over by the administrator");
            Assert.That(await PrecedenceAsync("service-accounts"), Is.EqualTo(9000), "suggested, still auto-updated");
        });
    }

    [Test]
    public async Task NewObjects_GetKubesDefaultsAndValidation()
    {
        var level = await Http.SendAsync(HttpMethod.Post, $"{Group}/prioritylevelconfigurations",
            """{"apiVersion":"flowcontrol.apiserver.k8s.io/v1","kind":"PriorityLevelConfiguration","metadata":{"name":"mine"},"spec":{"type":"Limited","limited":{"limitResponse":{"type":"Queue"}}}}""");
        Assert.That(level.Code, Is.EqualTo(HttpStatusCode.Created), level.Body.ToJsonString());
        Assert.That(level.Body["spec"]!["limited"]!.ToJsonString(), Is.EqualTo(
            """{"limitResponse":{"type":"Queue","queuing":{"queues":64,"handSize":8,"queueLengthLimit":50}},"nominalConcurrencyShares":30,"lendablePercent":0}"""));
        var schema = await Http.SendAsync(HttpMethod.Post, $"{Group}/flowschemas",
            """{"apiVersion":"flowcontrol.apiserver.k8s.io/v1","kind":"FlowSchema","metadata":{"name":"mine"},"spec":{"priorityLevelConfiguration":{"name":"mine"},"rules":[{"subjects":[{"kind":"User","user":{"name":"alice"}}],"nonResourceRules":[{"verbs":["get"],"nonResourceURLs":["/metrics"]}]}]}}""");
        Assert.That(schema.Code, Is.EqualTo(HttpStatusCode.Created), schema.Body.ToJsonString());
        Assert.That(schema.Body["spec"]!["matchingPrecedence"]!.GetValue<int>(), Is.EqualTo(1000));
        var bad = await Http.SendAsync(HttpMethod.Post, $"{Group}/flowschemas",
            """{"apiVersion":"flowcontrol.apiserver.k8s.io/v1","kind":"FlowSchema","metadata":{"name":"bad"},"spec":{"priorityLevelConfiguration":{"name":"x"},"matchingPrecedence":20000,"distinguisherMethod":{"type":"ByColour"}}}""");
        Assert.That(bad.AssertStatus(422, "Invalid")["message"]!.ToString(), Does.Contain("spec.matchingPrecedence: Invalid value: 20000: must not be greater than 10000")
            .And.Contain("spec.distinguisherMethod.type: Unsupported value: \"ByColour\": supported values: \"ByNamespace\", \"ByUser\""));
    }
}
