using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Apiserver.Generic.Registry.Rest;
using NUnit.Framework;

namespace Apiserver.Generic.Tests.Registry.Rest;

public sealed class ObjectJsonTests
{
    private static string Written(ObjectJson obj)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            obj.WriteTo(writer);
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    [Test]
    public void FromBytes_WritesThemAsTheyAre_AndHandsOutFreshNodes()
    {
        var obj = new ObjectJson(Encoding.UTF8.GetBytes("""{"a":{"b":1}}"""));

        var first = obj.Node;
        first["a"]!["b"] = 2;

        Assert.That(Written(obj), Is.EqualTo("""{"a":{"b":1}}"""));
        Assert.That(obj.Node["a"]!["b"]!.GetValue<int>(), Is.EqualTo(1), "a caller's changes never reach the shared bytes");
        Assert.That(obj.Utf8, Is.Not.Null);
    }

    [Test]
    public void FromNode_HasNoBytes_AndWritesTheNode()
    {
        ObjectJson obj = new JsonObject { ["kind"] = "Status" };

        Assert.That(obj.Utf8, Is.Null);
        Assert.That(Written(obj), Is.EqualTo("""{"kind":"Status"}"""));
    }
}
