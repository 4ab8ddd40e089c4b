using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Patch;
using Apiserver.Generic.Schema;
using NJsonSchema;
using NUnit.Framework;

namespace Apiserver.Generic.Tests.Patch;

/// <summary>
/// Strategic merge patch against a small hand-built schema shaped like a Deployment's, with the
/// examples of "Update API Objects in Place Using kubectl patch" and the strategic merge patch design.
/// </summary>
[TestFixture]
public sealed class StrategicMergePatchTests
{
    private static readonly JsonSchema Schema = BuildSchema();

    private static JsonSchemaProperty List(JsonSchema item, string? strategy = null, string? mergeKey = null)
    {
        var list = new JsonSchemaProperty { Type = JsonObjectType.Array, Item = item };
        if (strategy is not null) list.Set(KubernetesExtensions.PatchStrategy, strategy);
        if (mergeKey is not null) list.Set(KubernetesExtensions.PatchMergeKey, mergeKey);
        return list;
    }

    private static JsonSchemaProperty Ref(JsonSchema definition) => new() { Reference = definition };

    private static JsonSchema Object(string title, params (string Name, JsonSchema Schema)[] properties)
    {
        var schema = new JsonSchema { Type = JsonObjectType.Object, Title = title };
        foreach (var (name, property) in properties)
        {
            schema.Properties[name] = property as JsonSchemaProperty ?? new JsonSchemaProperty { Reference = property };
        }
        return schema;
    }

    private static JsonSchemaProperty String() => new() { Type = JsonObjectType.String };

    private static JsonSchema BuildSchema()
    {
        var port = Object("example.ContainerPort", ("containerPort", new JsonSchemaProperty { Type = JsonObjectType.Integer }), ("protocol", String()));
        var env = Object("example.EnvVar", ("name", String()), ("value", String()));
        var container = Object("example.Container",
            ("name", String()), ("image", String()),
            ("args", List(new JsonSchema { Type = JsonObjectType.String })),
            ("ports", List(port, "merge", "containerPort")),
            ("env", List(env, "merge", "name")));
        var toleration = Object("example.Toleration", ("key", String()), ("effect", String()), ("value", String()));
        var volume = Object("example.Volume", ("name", String()),
            ("emptyDir", new JsonSchemaProperty { Type = JsonObjectType.Object }),
            ("hostPath", new JsonSchemaProperty { Type = JsonObjectType.Object }));
        var podSpec = Object("example.PodSpec",
            ("containers", List(container, "merge", "name")),
            ("tolerations", List(toleration)),
            ("volumes", List(volume, "merge,retainKeys", "name")));
        var template = Object("example.PodTemplateSpec", ("spec", podSpec));
        var strategy = Object("example.DeploymentStrategy", ("type", String()), ("rollingUpdate", new JsonSchemaProperty { Type = JsonObjectType.Object }));
        var strategyProperty = Ref(strategy);
        strategyProperty.Set(KubernetesExtensions.PatchStrategy, "retainKeys");
        var spec = Object("example.DeploymentSpec", ("replicas", new JsonSchemaProperty { Type = JsonObjectType.Integer }), ("template", template), ("strategy", strategyProperty));
        var labels = new JsonSchemaProperty { Type = JsonObjectType.Object, AdditionalPropertiesSchema = new JsonSchema { Type = JsonObjectType.String } };
        var metadata = Object("example.ObjectMeta", ("name", String()), ("labels", labels),
            ("finalizers", List(new JsonSchema { Type = JsonObjectType.String }, "merge")));
        return Object("example.Deployment", ("metadata", metadata), ("spec", spec));
    }

    private static JsonNode Apply(string original, string patch) =>
        StrategicMergePatch.Apply(JsonNode.Parse(original), JsonNode.Parse(patch), Schema)!;

    private static void AssertJson(JsonNode actual, string expected) =>
        Assert.That(JsonNode.DeepEquals(actual, JsonNode.Parse(expected)), Is.True, $"got {actual.ToJsonString()}\nwanted {expected}");

    private const string PatchDemo = """
        {"metadata":{"name":"patch-demo"},"spec":{"replicas":2,"template":{"spec":{
          "containers":[{"name":"patch-demo-ctr","image":"nginx"}],
          "tolerations":[{"effect":"NoSchedule","key":"dedicated","value":"test-team"}]}}}}
        """;

    [Test]
    public void NewContainer_IsMergedByNameAndKeepsTheExistingOne()
    {
        // The documentation's first patch: both containers end up in the list, the patch's first.
        var result = Apply(PatchDemo, """{"spec":{"template":{"spec":{"containers":[{"name":"patch-demo-ctr-2","image":"redis"}]}}}}""");
        AssertJson(result["spec"]!["template"]!["spec"]!["containers"]!,
            """[{"name":"patch-demo-ctr-2","image":"redis"},{"name":"patch-demo-ctr","image":"nginx"}]""");
    }

    [Test]
    public void MatchingContainer_IsMergedRecursively()
    {
        var result = Apply(PatchDemo, """{"spec":{"template":{"spec":{"containers":[{"name":"patch-demo-ctr","image":"nginx:2","args":["-v"]}]}}}}""");
        AssertJson(result["spec"]!["template"]!["spec"]!["containers"]!, """[{"name":"patch-demo-ctr","image":"nginx:2","args":["-v"]}]""");
        Assert.That(result["spec"]!["replicas"]!.GetValue<int>(), Is.EqualTo(2));
    }

    [Test]
    public void Tolerations_WithoutAPatchStrategy_AreReplaced()
    {
        var result = Apply(PatchDemo, """{"spec":{"template":{"spec":{"tolerations":[{"effect":"NoSchedule","key":"disktype","value":"ssd"}]}}}}""");
        AssertJson(result["spec"]!["template"]!["spec"]!["tolerations"]!, """[{"effect":"NoSchedule","key":"disktype","value":"ssd"}]""");
    }

    [Test]
    public void Ports_AreMergedByContainerPort()
    {
        var original = """{"spec":{"template":{"spec":{"containers":[{"name":"c","ports":[{"containerPort":80},{"containerPort":443,"protocol":"TCP"}]}]}}}}""";
        var result = Apply(original, """{"spec":{"template":{"spec":{"containers":[{"name":"c","ports":[{"containerPort":443,"protocol":"UDP"},{"containerPort":8080}]}]}}}}""");
        AssertJson(result["spec"]!["template"]!["spec"]!["containers"]![0]!["ports"]!,
            """[{"containerPort":80},{"containerPort":443,"protocol":"UDP"},{"containerPort":8080}]""");
    }

    [Test]
    public void ServerOnlyItems_KeepTheirPlaceAroundPatchedItems()
    {
        var original = """{"spec":{"template":{"spec":{"containers":[{"name":"c","env":[{"name":"a","value":"1"},{"name":"b","value":"1"},{"name":"c","value":"1"}]}]}}}}""";
        var result = Apply(original, """{"spec":{"template":{"spec":{"containers":[{"name":"c","env":[{"name":"b","value":"2"},{"name":"d","value":"2"}]}]}}}}""");
        AssertJson(result["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!,
            """[{"name":"a","value":"1"},{"name":"b","value":"2"},{"name":"d","value":"2"},{"name":"c","value":"1"}]""");
    }

    [Test]
    public void Finalizers_AreMergedAsASet()
    {
        var result = Apply("""{"metadata":{"finalizers":["a","b"]}}""", """{"metadata":{"finalizers":["b","c"]}}""");
        AssertJson(result["metadata"]!["finalizers"]!, """["a","b","c"]""");
    }

    [Test]
    public void PrimitiveListWithoutStrategy_IsReplaced()
    {
        var original = """{"spec":{"template":{"spec":{"containers":[{"name":"c","args":["a","b"]}]}}}}""";
        var result = Apply(original, """{"spec":{"template":{"spec":{"containers":[{"name":"c","args":["c"]}]}}}}""");
        AssertJson(result["spec"]!["template"]!["spec"]!["containers"]![0]!["args"]!, """["c"]""");
    }

    [Test]
    public void PatchReplace_InAList_ReplacesTheList()
    {
        var result = Apply(PatchDemo, """{"spec":{"template":{"spec":{"containers":[{"name":"only","image":"busybox"},{"$patch":"replace"}]}}}}""");
        AssertJson(result["spec"]!["template"]!["spec"]!["containers"]!, """[{"name":"only","image":"busybox"}]""");
    }

    [Test]
    public void PatchReplace_OnAMap_ReplacesTheMap()
    {
        var result = Apply("""{"metadata":{"labels":{"a":"1","b":"2"}}}""", """{"metadata":{"labels":{"$patch":"replace","c":"3"}}}""");
        AssertJson(result["metadata"]!["labels"]!, """{"c":"3"}""");
    }

    [Test]
    public void PatchDelete_OnAListItem_DeletesTheMatchingItem()
    {
        var original = """{"spec":{"template":{"spec":{"containers":[{"name":"a"},{"name":"b"}]}}}}""";
        var result = Apply(original, """{"spec":{"template":{"spec":{"containers":[{"name":"a","$patch":"delete"}]}}}}""");
        AssertJson(result["spec"]!["template"]!["spec"]!["containers"]!, """[{"name":"b"}]""");
    }

    [Test]
    public void PatchDelete_OnAMap_ClearsTheMap()
    {
        var result = Apply("""{"metadata":{"name":"x","labels":{"a":"1"}}}""", """{"metadata":{"labels":{"$patch":"delete"}}}""");
        AssertJson(result["metadata"]!, """{"name":"x","labels":{}}""");
    }

    [Test]
    public void RetainKeys_RemovesKeysNotListed()
    {
        // The documentation's switch of a Deployment from RollingUpdate to Recreate.
        var original = """{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}}}}""";
        var result = Apply(original, """{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}""");
        AssertJson(result["spec"]!["strategy"]!, """{"type":"Recreate"}""");
    }

    [Test]
    public void RetainKeys_InAMergedListItem_ReplacesTheVolumeSource()
    {
        var original = """{"spec":{"template":{"spec":{"volumes":[{"name":"v","emptyDir":{}}]}}}}""";
        var result = Apply(original, """{"spec":{"template":{"spec":{"volumes":[{"name":"v","$retainKeys":["name","hostPath"],"hostPath":{"path":"/tmp"}}]}}}}""");
        AssertJson(result["spec"]!["template"]!["spec"]!["volumes"]!, """[{"name":"v","hostPath":{"path":"/tmp"}}]""");
    }

    [Test]
    public void RetainKeys_WithAPatchedFieldNotListed_IsABadRequest()
    {
        var e = Assert.Throws<StatusException>(() => Apply("""{"spec":{"strategy":{}}}""", """{"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":{}}}}"""));
        Assert.That(e!.Code, Is.EqualTo(400));
    }

    [Test]
    public void DeleteFromPrimitiveList_RemovesTheValues()
    {
        var result = Apply("""{"metadata":{"finalizers":["a","b","c"]}}""", """{"metadata":{"$deleteFromPrimitiveList/finalizers":["b"]}}""");
        AssertJson(result["metadata"]!["finalizers"]!, """["a","c"]""");
    }

    [Test]
    public void SetElementOrder_OrdersTheMergedList()
    {
        var original = """{"spec":{"template":{"spec":{"containers":[{"name":"a","image":"1"},{"name":"b","image":"1"},{"name":"c","image":"1"}]}}}}""";
        var patch = """{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"c"},{"name":"a"},{"name":"b"}],"containers":[{"name":"a","image":"2"}]}}}}""";
        AssertJson(Apply(original, patch)["spec"]!["template"]!["spec"]!["containers"]!,
            """[{"name":"c","image":"1"},{"name":"a","image":"2"},{"name":"b","image":"1"}]""");
    }

    [Test]
    public void SetElementOrder_OrdersAPrimitiveList()
    {
        var result = Apply("""{"metadata":{"finalizers":["a","b"]}}""", """{"metadata":{"$setElementOrder/finalizers":["c","b","a"],"finalizers":["c"]}}""");
        AssertJson(result["metadata"]!["finalizers"]!, """["c","b","a"]""");
    }

    [Test]
    public void SetElementOrder_NotMatchingThePatchList_IsABadRequest()
    {
        var e = Assert.Throws<StatusException>(() => Apply("""{"metadata":{"finalizers":["a"]}}""", """{"metadata":{"$setElementOrder/finalizers":["a"],"finalizers":["z"]}}"""));
        Assert.That(e!.Code, Is.EqualTo(400));
    }

    [Test]
    public void Null_DeletesTheKey()
    {
        var result = Apply("""{"metadata":{"name":"x","labels":{"a":"1","b":"2"}},"spec":{"replicas":2}}""", """{"metadata":{"labels":{"a":null,"z":null}},"spec":{"replicas":null}}""");
        AssertJson(result, """{"metadata":{"name":"x","labels":{"b":"2"}},"spec":{}}""");
    }

    [Test]
    public void UndescribedFields_MergeLikeAMergePatch()
    {
        var result = Apply("""{"status":{"list":[1,2],"map":{"a":1,"b":2}}}""", """{"status":{"list":[3],"map":{"a":null,"c":3}}}""");
        AssertJson(result, """{"status":{"list":[3],"map":{"b":2,"c":3}}}""");
    }

    [Test]
    public void NewValues_HaveTheirNullsAndDirectivesResolved()
    {
        var result = Apply("""{"spec":{}}""", """{"spec":{"template":{"spec":{"containers":[{"name":"a","image":null},{"name":"b","$patch":"delete"}]}}}}""");
        AssertJson(result["spec"]!["template"]!["spec"]!["containers"]!, """[{"name":"a"}]""");
    }

    [Test]
    public void Inputs_AreLeftUnchanged()
    {
        var original = JsonNode.Parse(PatchDemo)!;
        var patch = JsonNode.Parse("""{"spec":{"template":{"spec":{"containers":[{"name":"x"},{"$patch":"replace"}]}}}}""")!;
        var (originalText, patchText) = (original.ToJsonString(), patch.ToJsonString());
        StrategicMergePatch.Apply(original, patch, Schema);
        Assert.That((original.ToJsonString(), patch.ToJsonString()), Is.EqualTo((originalText, patchText)));
    }

    [TestCase("""{"metadata":{"$bogus":1}}""", TestName = "UnknownDirective_IsABadRequest")]
    [TestCase("""{"metadata":{"labels":{"$patch":"explode"}}}""", TestName = "UnknownPatchType_IsABadRequest")]
    [TestCase("""{"spec":{"template":{"spec":{"containers":[{"image":"no-name"}]}}}}""", TestName = "MergeKeyMissing_IsABadRequest")]
    [TestCase("""{"spec":{"template":{"spec":{"containers":[{"name":"a","$patch":"merge"}]}}}}""", TestName = "PatchMergeInAList_IsABadRequest")]
    [TestCase("""{"metadata":{"$deleteFromPrimitiveList/finalizers":"a"}}""", TestName = "DeleteFromPrimitiveListNotAList_IsABadRequest")]
    [TestCase("""{"metadata":{"finalizers":[{"a":1}]}}""", TestName = "MixedListElementTypes_IsABadRequest")]
    [TestCase("""[1]""", TestName = "PatchNotAnObject_IsABadRequest")]
    public void MalformedPatch(string patch)
    {
        var e = Assert.Throws<StatusException>(() => Apply("""{"metadata":{"finalizers":["a"]},"spec":{"template":{"spec":{"containers":[{"name":"a"}]}}}}""", patch));
        Assert.That(e!.Code, Is.EqualTo(400));
    }
}
