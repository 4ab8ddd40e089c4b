using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.FieldManagement;
using NUnit.Framework;

namespace Apiserver.Generic.Tests.FieldManagement;

/// <summary>The FieldsV1 encoding and the set operations behind managedFields.</summary>
[TestFixture]
public sealed class FieldsV1Tests
{
    private static FieldSet Decode(string json)
    {
        Assert.That(FieldsV1.TryDecode(JsonNode.Parse(json), out var set), Is.True);
        return set;
    }

    private static string Encode(FieldSet set) => FieldsV1.Encode(set).ToJsonString(JsonOptions.Compact);

    [Test]
    public void KubesEncoding_RoundTripsInKubesOrder()
    {
        // Fields before keys before values; "." first where a node is a member with children.
        const string fields = """{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"a\"}":{".":{},"f:image":{}},"k:{\"name\":\"b\"}":{".":{},"f:name":{}}},"f:finalizers":{"v:\"x\"":{},"v:\"y\"":{}}}}""";
        var shuffled = """{"f:spec":{"f:finalizers":{"v:\"y\"":{},"v:\"x\"":{}},"f:containers":{"k:{\"name\":\"b\"}":{"f:name":{},".":{}},"k:{\"name\":\"a\"}":{"f:image":{},".":{}}}},"f:metadata":{"f:labels":{"f:app":{},".":{}}}}""";
        Assert.That(Encode(Decode(shuffled)), Is.EqualTo(fields));
    }

    [Test]
    public void NumericKeys_SortByValueNotByText()
    {
        var set = Decode("""{"k:{\"port\":10}":{},"k:{\"port\":9}":{}}""");
        Assert.That(Encode(set), Is.EqualTo("""{"k:{\"port\":9}":{},"k:{\"port\":10}":{}}"""));
    }

    [TestCase("""{"f:a":"x"}""")]
    [TestCase("""{"q:a":{}}""")]
    [TestCase("""{"k:[1]":{}}""")]
    [TestCase("[]")]
    public void MalformedFieldsV1_DoesNotDecode(string json) =>
        Assert.That(FieldsV1.TryDecode(JsonNode.Parse(json), out _), Is.False);

    [Test]
    public void DifferenceAndIntersection_WorkOnMembers()
    {
        var a = Decode("""{"f:data":{".":{},"f:a":{},"f:b":{}}}""");
        var b = Decode("""{"f:data":{"f:b":{},"f:c":{}}}""");
        Assert.Multiple(() =>
        {
            Assert.That(Encode(a.Difference(b)), Is.EqualTo("""{"f:data":{".":{},"f:a":{}}}"""));
            Assert.That(Encode(a.Intersection(b)), Is.EqualTo("""{"f:data":{"f:b":{}}}"""));
            Assert.That(Encode(a.Union(b)), Is.EqualTo("""{"f:data":{".":{},"f:a":{},"f:b":{},"f:c":{}}}"""));
            Assert.That(Encode(a.RecursiveDifference(Decode("""{"f:data":{}}"""))), Is.EqualTo("{}"), "a member removes everything under it");
        });
    }

    [Test]
    public void Paths_PrintAsFieldpathDoes()
    {
        var set = Decode("""{"f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{"f:image":{}}},"f:finalizers":{"v:\"x\"":{}}}}""");
        Assert.That(set.Paths().Select(FieldSet.Format), Is.EqualTo(new[] { ".spec.containers[name=\"nginx\"].image", ".spec.finalizers[=\"x\"]" }));
    }
}
