using System.Text.Json.Nodes;
using Apiserver.Kube.Registry.Core.Pods;
using NUnit.Framework;

namespace Apiserver.Kube.Tests.Registry.Core.Pods;

/// <summary>A pod's QoS class as kube's <c>ComputePodQOS</c> gives it: by quantity, summed over containers, cpu and memory only.</summary>
[TestFixture]
internal sealed class PodQosTests
{
    private static string Qos(string spec) => PodQos.Compute((JsonObject)JsonNode.Parse(spec)!);

    private static string Containers(params string[] resources) =>
        """{"containers":[""" + string.Join(",", resources.Select((r, i) => $$"""{"name":"c{{i}}","resources":{{r}}}""")) + "]}";

    [Test]
    public void NoCpuOrMemory_IsBestEffort()
    {
        Assert.That(Qos(Containers("{}")), Is.EqualTo("BestEffort"));
        Assert.That(Qos(Containers("""{"limits":{"ephemeral-storage":"1Gi"}}""")), Is.EqualTo("BestEffort"), "only cpu and memory count");
        Assert.That(Qos(Containers("""{"requests":{"cpu":"0"}}""")), Is.EqualTo("BestEffort"), "a zero quantity counts for nothing");
    }

    [Test]
    public void EqualRequestsAndLimits_OfBothOnEveryContainer_AreGuaranteed()
    {
        var exact = """{"requests":{"cpu":"1","memory":"1Gi"},"limits":{"cpu":"1000m","memory":"1024Mi"}}""";
        Assert.That(Qos(Containers(exact)), Is.EqualTo("Guaranteed"), "quantities compare by value");
        Assert.That(Qos(Containers(exact, """{"limits":{"cpu":"1"}}""")), Is.EqualTo("Burstable"), "the second container has no memory limit");
        Assert.That(Qos(Containers("""{"requests":{"cpu":"1","memory":"1Gi"},"limits":{"cpu":"2","memory":"1Gi"}}""")), Is.EqualTo("Burstable"));
    }

    [Test]
    public void PodLevelResources_DecideWhenSet()
    {
        Assert.That(Qos("""{"resources":{"requests":{"cpu":"1","memory":"1Gi"},"limits":{"cpu":"1","memory":"1Gi"}},"containers":[{"name":"c"}]}"""), Is.EqualTo("Guaranteed"));
        Assert.That(Qos("""{"resources":{"requests":{"cpu":"1"}},"containers":[{"name":"c","resources":{"limits":{"cpu":"1","memory":"1Gi"}}}]}"""), Is.EqualTo("Burstable"));
    }
}
