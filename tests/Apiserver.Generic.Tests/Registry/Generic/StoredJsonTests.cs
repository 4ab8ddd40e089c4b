using System.Text;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using NUnit.Framework;

namespace Apiserver.Generic.Tests.Registry.Generic;

public sealed class StoredJsonTests
{
    private static string Render(string stored, long revision, bool asListItem) =>
        Encoding.UTF8.GetString(StoredJson.Render(Encoding.UTF8.GetBytes(stored), revision, asListItem).Span);

    [Test]
    public void Object_GetsResourceVersionFirstInMetadata_AndKeepsEverythingElseByteForByte()
    {
        const string stored = """{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"a","labels":{"x":"<y>"}},"data":{"k":"v é"}}""";

        Assert.That(Render(stored, 42, asListItem: false), Is.EqualTo(
            """{"kind":"ConfigMap","apiVersion":"v1","metadata":{"resourceVersion":"42","name":"a","labels":{"x":"<y>"}},"data":{"k":"v é"}}"""));
    }

    [Test]
    public void ListItem_DropsKindAndApiVersionWhereverTheyAre()
    {
        const string stored = """{"data":{"kind":"inner"},"kind":"ConfigMap","metadata":{"name":"a"},"apiVersion":"v1"}""";

        Assert.That(Render(stored, 7, asListItem: true), Is.EqualTo("""{"data":{"kind":"inner"},"metadata":{"resourceVersion":"7","name":"a"}}"""));
    }

    [TestCase("""{"kind":"X","metadata":{}}""", """{"kind":"X","metadata":{"resourceVersion":"3"}}""")]
    [TestCase("""{"kind":"X"}""", """{"kind":"X","metadata":{"resourceVersion":"3"}}""")]
    [TestCase("""{}""", """{"metadata":{"resourceVersion":"3"}}""")]
    [TestCase("""{"metadata":{"resourceVersion":"1","name":"n"}}""", """{"metadata":{"resourceVersion":"3","name":"n"}}""")]
    [TestCase(""" { "metadata" : { "name" : "n" } , "spec" : [ 1 , 2 ] } """, """{"metadata":{"resourceVersion":"3","name" : "n"},"spec" : [ 1 , 2 ]}""")]
    public void EdgeShapes_RenderValidJsonWithOneResourceVersion(string stored, string expected)
    {
        var rendered = Render(stored, 3, asListItem: false);

        Assert.That(rendered, Is.EqualTo(expected));
        Assert.That(JsonNode.Parse(rendered)!["metadata"]!["resourceVersion"]!.ToString(), Is.EqualTo("3"));
    }

    [Test]
    public void SameAsDecodingAndReserializing()
    {
        var obj = new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = "web", ["namespace"] = "default", ["annotations"] = new JsonObject { ["a"] = "\"quoted\" \\ \u2028" } },
            ["spec"] = new JsonObject { ["replicas"] = 3, ["template"] = new JsonObject { ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "nginx" }) } } },
        };
        var stored = ObjectCodec.Encode(obj);

        var rendered = JsonNode.Parse(StoredJson.Render(stored, 99, asListItem: false).Span)!;
        var decoded = ObjectCodec.Decode(stored, 99);

        Assert.That(JsonNode.DeepEquals(rendered, decoded), Is.True, rendered.ToJsonString());
    }

    [TestCase("[]")]
    [TestCase("\"text\"")]
    [TestCase("{\"metadata\":")]
    public void NotAnObject_IsAnInternalError(string stored)
    {
        var failure = Assert.Catch(() => Render(stored, 1, asListItem: false));

        Assert.That(failure, Is.InstanceOf<StatusException>().Or.InstanceOf<System.Text.Json.JsonException>());
    }
}
