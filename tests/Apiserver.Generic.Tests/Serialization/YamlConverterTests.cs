using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Serialization.Yaml;
using NUnit.Framework;

namespace Apiserver.Generic.Tests.Serialization;

[TestFixture]
public sealed class YamlConverterTests
{
    [TestCase("a: 0644", "{\"a\":420}")]
    [TestCase("a: 0x1F", "{\"a\":31}")]
    [TestCase("a: 0b101", "{\"a\":5}")]
    [TestCase("a: 1_000", "{\"a\":1000}")]
    [TestCase("a: -12", "{\"a\":-12}")]
    [TestCase("a: 1.5", "{\"a\":1.5}")]
    [TestCase("a: yes", "{\"a\":true}")]
    [TestCase("a: Off", "{\"a\":false}")]
    [TestCase("a: ~", "{\"a\":null}")]
    [TestCase("a:", "{\"a\":null}")]
    [TestCase("a: \"0644\"", "{\"a\":\"0644\"}")]
    [TestCase("a: 'yes'", "{\"a\":\"yes\"}")]
    [TestCase("a: 1.2.3", "{\"a\":\"1.2.3\"}")]
    [TestCase("a: 08", "{\"a\":8}")] // Not octal, but go-yaml v2 then reads it as the float 8.
    [TestCase("a: [1, two]", "{\"a\":[1,\"two\"]}")]
    public void PlainScalars_ResolveAsYaml11(string yaml, string json)
    {
        Assert.That(YamlConverter.ToJson(yaml)!.ToJsonString(), Is.EqualTo(json));
    }

    [TestCase("a: 1\na: 2")]
    [TestCase("a: [1, 2")]
    [TestCase("a: 1\n---\nb: 2")]
    [TestCase("a: .inf")]
    public void BadDocuments_Answer400(string yaml)
    {
        var e = Assert.Throws<StatusException>(() => YamlConverter.ToJson(yaml));
        Assert.That(e!.Code, Is.EqualTo(400));
    }

    [Test]
    public void AliasBomb_IsRefused()
    {
        // Each level doubles the expansion: 2^30 nodes from a few lines.
        var yaml = "a0: &a0 [x, x]\n" + string.Join("\n", Enumerable.Range(1, 30).Select(i => $"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]"));
        var e = Assert.Throws<StatusException>(() => YamlConverter.ToJson(yaml));
        Assert.That(e!.Message, Does.Contain("excessive aliasing"));
    }

    [Test]
    public void SmallAliases_Expand()
    {
        Assert.That(YamlConverter.ToJson("base: &b {x: 1}\nuse: *b")!.ToJsonString(), Is.EqualTo("{\"base\":{\"x\":1},\"use\":{\"x\":1}}"));
    }

    [Test]
    public void Output_QuotesStringsThatWouldReadBackAsOtherTypes()
    {
        var json = JsonNode.Parse("{\"a\":\"0644\",\"b\":\"yes\",\"c\":8080,\"d\":true,\"e\":\"plain\",\"f\":[\"x\"]}");
        var yaml = YamlConverter.ToYaml(json);
        Assert.That(YamlConverter.ToJson(yaml)!.ToJsonString(), Is.EqualTo(json!.ToJsonString()));
    }
}
