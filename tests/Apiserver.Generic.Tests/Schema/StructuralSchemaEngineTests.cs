using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Schema;
using NJsonSchema;
using NUnit.Framework;

namespace Apiserver.Generic.Tests.Schema;

[TestFixture]
public sealed class StructuralSchemaEngineTests
{
    private static JsonSchema Widget()
    {
        var port = new JsonSchema { Type = JsonObjectType.Object, Title = "example.Port" };
        port.Properties["number"] = new JsonSchemaProperty { Type = JsonObjectType.Integer, Minimum = 1, Maximum = 65535 };
        port.Properties["protocol"] = new JsonSchemaProperty { Type = JsonObjectType.String, Default = "TCP" };
        var spec = new JsonSchemaProperty { Type = JsonObjectType.Object };
        spec.Properties["replicas"] = new JsonSchemaProperty { Type = JsonObjectType.Integer };
        spec.Properties["ports"] = new JsonSchemaProperty { Type = JsonObjectType.Array, Item = new JsonSchema { Reference = port } };
        spec.Properties["labels"] = new JsonSchemaProperty { Type = JsonObjectType.Object, AdditionalPropertiesSchema = new JsonSchema { Type = JsonObjectType.String } };
        var target = new JsonSchemaProperty();
        target.Set(KubernetesExtensions.IntOrString, true);
        spec.Properties["target"] = target;
        var free = new JsonSchemaProperty { Type = JsonObjectType.Object };
        free.Set(KubernetesExtensions.PreserveUnknownFields, true);
        spec.Properties["config"] = free;
        var mode = new JsonSchemaProperty { Type = JsonObjectType.String };
        mode.Enumeration.Add("Fast");
        mode.Enumeration.Add("Slow");
        spec.Properties["mode"] = mode;
        var root = new JsonSchema { Type = JsonObjectType.Object, Title = "example.Widget" };
        root.Properties["spec"] = spec;
        return root;
    }

    private static (JsonObject Obj, SchemaResult Result) Apply(string json)
    {
        var obj = (JsonObject)JsonNode.Parse(json)!;
        return (obj, StructuralSchemaEngine.Apply(obj, Widget()));
    }

    [Test]
    public void UnknownFields_ArePrunedAndReportedWithTheirPaths()
    {
        var (obj, result) = Apply("""{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"replicas":1,"extra":true,"ports":[{"number":80,"bogus":1}]},"top":1}""");
        Assert.Multiple(() =>
        {
            Assert.That(result.UnknownFields, Is.EquivalentTo(new[] { "spec.extra", "spec.ports[0].bogus", "top" }));
            Assert.That(obj.ToJsonString(), Does.Not.Contain("extra").And.Not.Contain("bogus").And.Not.Contain("top"));
            Assert.That(obj["metadata"]!["name"]!.ToString(), Is.EqualTo("w"), "kind, apiVersion and metadata are left alone");
            Assert.That(result.Errors, Is.Empty);
        });
    }

    [Test]
    public void PreserveUnknownFields_KeepsEverythingBelowIt()
    {
        var (obj, result) = Apply("""{"spec":{"config":{"anything":{"goes":[1,2]}}}}""");
        Assert.That(result.UnknownFields, Is.Empty);
        Assert.That(obj["spec"]!["config"]!["anything"]!["goes"]!.AsArray(), Has.Count.EqualTo(2));
    }

    [Test]
    public void TypeErrors_AreReportedOnePerField()
    {
        var (_, result) = Apply("""{"spec":{"replicas":"three","labels":{"a":1},"ports":[{"number":70000}],"mode":"Medium","target":true}}""");
        var fields = result.Errors.Select(e => e.Field).ToList();
        Assert.That(fields, Is.EquivalentTo(new[] { "spec.replicas", "spec.labels[a]", "spec.ports[0].number", "spec.mode", "spec.target" }));
        Assert.That(result.Errors.Single(e => e.Field == "spec.replicas").ToString(), Is.EqualTo("spec.replicas: Invalid value: \"three\": must be of type integer"));
        Assert.That(result.Errors.Single(e => e.Field == "spec.mode").Type, Is.EqualTo(FieldErrorType.NotSupported));
    }

    [TestCase("8080")]
    [TestCase("\"http\"")]
    public void IntOrString_AcceptsBoth(string value)
    {
        var (_, result) = Apply($$$"""{"spec":{"target":{{{value}}}}}""");
        Assert.That(result.Errors, Is.Empty);
    }

    [Test]
    public void Defaults_FillMissingFields()
    {
        var (obj, _) = Apply("""{"spec":{"ports":[{"number":80}]}}""");
        Assert.That(obj["spec"]!["ports"]![0]!["protocol"]!.ToString(), Is.EqualTo("TCP"));
    }

    [Test]
    public void NullValues_AreUnset()
    {
        var (_, result) = Apply("""{"spec":{"replicas":null,"labels":null}}""");
        Assert.That(result.Errors, Is.Empty);
    }
}
