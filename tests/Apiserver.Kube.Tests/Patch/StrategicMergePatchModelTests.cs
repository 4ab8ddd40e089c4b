using System.Text.Json.Nodes;
using Apiserver.Generic.Patch;
using Apiserver.Kube.Schema;
using k8s.Models;
using NUnit.Framework;

namespace Apiserver.Kube.Tests.Patch;

/// <summary>Strategic merge patch with the real schemas of built-in kinds and their list semantics.</summary>
[TestFixture]
public sealed class StrategicMergePatchModelTests
{
    private const string Pod = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","finalizers":["a"],"labels":{"app":"x"}},
         "spec":{"containers":[{"name":"app","image":"nginx","ports":[{"containerPort":80}],"env":[{"name":"A","value":"1"}]}],
                 "tolerations":[{"key":"dedicated","operator":"Equal","value":"team","effect":"NoSchedule"}],
                 "volumes":[{"name":"data","emptyDir":{}}]}}
        """;

    private static JsonNode Apply(Type kind, string original, string patch) =>
        StrategicMergePatch.Apply(JsonNode.Parse(original), JsonNode.Parse(patch), ModelSchemas.For(kind))!;

    [Test]
    public void PodContainers_MergeByNameAndPortsByContainerPort()
    {
        var result = Apply(typeof(V1Pod), Pod, """{"spec":{"containers":[{"name":"app","image":"nginx:2","ports":[{"containerPort":443}]},{"name":"sidecar","image":"envoy"}]}}""");
        var containers = result["spec"]!["containers"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(containers.Select(c => c!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "app", "sidecar" }));
            Assert.That(containers[0]!["image"]!.GetValue<string>(), Is.EqualTo("nginx:2"));
            Assert.That(containers[0]!["ports"]!.AsArray().Select(p => p!["containerPort"]!.GetValue<int>()), Is.EquivalentTo(new[] { 80, 443 }));
            Assert.That(containers[0]!["env"]!.AsArray(), Has.Count.EqualTo(1), "fields the patch does not name are kept");
        });
    }

    [Test]
    public void PodTolerations_AreAtomicAndReplaced()
    {
        var result = Apply(typeof(V1Pod), Pod, """{"spec":{"tolerations":[{"key":"disktype","operator":"Exists"}]}}""");
        Assert.That(result["spec"]!["tolerations"]!.ToJsonString(), Is.EqualTo("""[{"key":"disktype","operator":"Exists"}]"""));
    }

    [Test]
    public void Finalizers_MergeAsASetAndDeleteFromPrimitiveList()
    {
        var result = Apply(typeof(V1Pod), Pod, """{"metadata":{"finalizers":["b"],"$deleteFromPrimitiveList/finalizers":["a"]}}""");
        Assert.That(result["metadata"]!["finalizers"]!.ToJsonString(), Is.EqualTo("""["b"]"""));
    }

    [Test]
    public void PodVolumes_RetainKeysSwapsTheVolumeSource()
    {
        var result = Apply(typeof(V1Pod), Pod, """{"spec":{"volumes":[{"name":"data","$retainKeys":["name","hostPath"],"hostPath":{"path":"/data"}}]}}""");
        Assert.That(result["spec"]!["volumes"]!.ToJsonString(), Is.EqualTo("""[{"name":"data","hostPath":{"path":"/data"}}]"""));
    }

    [Test]
    public void ServiceAccountSecrets_MergeByName()
    {
        var result = Apply(typeof(V1ServiceAccount), """{"metadata":{"name":"sa"},"secrets":[{"name":"a"}]}""", """{"secrets":[{"name":"b"}]}""");
        Assert.That(result["secrets"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()), Is.EquivalentTo(new[] { "a", "b" }));
    }

    [Test]
    public void ConfigMapData_MergesKeysAndNullRemovesOne()
    {
        var result = Apply(typeof(V1ConfigMap), """{"metadata":{"name":"c"},"data":{"a":"1","b":"2"}}""", """{"data":{"a":null,"c":"3"}}""");
        Assert.That(result["data"]!.ToJsonString(), Is.EqualTo("""{"b":"2","c":"3"}"""));
    }

    [Test]
    public void DeploymentContainers_InTheTemplate_MergeByName()
    {
        var deployment = """{"metadata":{"name":"d"},"spec":{"template":{"spec":{"containers":[{"name":"patch-demo-ctr","image":"nginx"}]}}}}""";
        var result = Apply(typeof(V1Deployment), deployment, """{"spec":{"template":{"spec":{"containers":[{"name":"patch-demo-ctr-2","image":"redis"}]}}}}""");
        Assert.That(result["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()),
            Is.EqualTo(new[] { "patch-demo-ctr-2", "patch-demo-ctr" }));
    }
}
