using System.Text;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using NUnit.Framework;

namespace Apiserver.Generic.Tests.Registry.Generic;

/// <summary><see cref="ContinueToken"/>: kube's continue token shape, and rejection of anything else.</summary>
[TestFixture]
public sealed class ContinueTokenTests
{
    /// <summary>Encodes <paramref name="json"/> the way kube does: unpadded URL-safe base64.</summary>
    private static string Token(string json) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static void AssertRejected(string token)
    {
        var e = Assert.Throws<StatusException>(() => ContinueToken.Decode(token));
        Assert.Multiple(() =>
        {
            Assert.That(e!.Code, Is.EqualTo(400));
            Assert.That(e.Reason, Is.EqualTo(StatusReason.BadRequest));
            Assert.That(e.Message, Does.StartWith("continue key is not valid"));
        });
    }

    [TestCase(1L, "ns1/cm-a")]
    [TestCase(42L, "a")]
    [TestCase(9_007_199_254_740_993L, "ns/with.dots/and-dashes")]
    [TestCase(7L, "")]
    [TestCase(8L, "ünïcode/名前")]
    public void RoundTrip_ReturnsRevisionAndKey(long revision, string key)
    {
        var token = ContinueToken.Encode(revision, key);
        var (rv, start) = ContinueToken.Decode(token);
        Assert.Multiple(() =>
        {
            Assert.That(rv, Is.EqualTo(revision));
            Assert.That(start, Is.EqualTo(key));
        });
    }

    [Test]
    public void Encode_IsUnpaddedUrlSafeBase64OfKubesJsonShape()
    {
        var token = ContinueToken.Encode(12, "ns1/cm???>>>");
        Assert.That(token, Does.Match("^[A-Za-z0-9_-]+$"));
        var b64 = token.Replace('-', '+').Replace('_', '/');
        b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
        var json = (JsonObject)JsonNode.Parse(Convert.FromBase64String(b64))!;
        Assert.Multiple(() =>
        {
            Assert.That(json["v"]?.GetValue<string>(), Is.EqualTo("meta.k8s.io/v1"));
            Assert.That(json["rv"]?.GetValue<long>(), Is.EqualTo(12));
            Assert.That(json["start"]?.GetValue<string>(), Is.EqualTo("ns1/cm???>>>\u0000"));
        });
    }

    [Test]
    public void Decode_AcceptsAHandMadeKubeToken()
    {
        var (rv, start) = ContinueToken.Decode(Token("""{"v":"meta.k8s.io/v1","rv":5,"start":"ns/b\u0000"}"""));
        Assert.Multiple(() =>
        {
            Assert.That(rv, Is.EqualTo(5));
            Assert.That(start, Is.EqualTo("ns/b"));
        });
    }

    [Test]
    public void Decode_AcceptsPaddedAndStandardBase64()
    {
        var json = """{"v":"meta.k8s.io/v1","rv":3,"start":"x"}""";
        var (rv, start) = ContinueToken.Decode(Convert.ToBase64String(Encoding.UTF8.GetBytes(json)));
        Assert.Multiple(() =>
        {
            Assert.That(rv, Is.EqualTo(3));
            Assert.That(start, Is.EqualTo("x"));
        });
    }

    [TestCase("")]
    [TestCase("!!!")]
    [TestCase("????")]
    [TestCase("%%%%")]
    [TestCase("a")]
    public void Garbage_Throws400(string token) => AssertRejected(token);

    [TestCase("hello")]
    [TestCase("[1,2,3]")]
    [TestCase("\"string\"")]
    [TestCase("null")]
    [TestCase("{}")]
    [TestCase("""{"v":"meta.k8s.io/v2","rv":1,"start":"a"}""")]
    [TestCase("""{"rv":1,"start":"a"}""")]
    [TestCase("""{"v":"meta.k8s.io/v1","start":"a"}""")]
    [TestCase("""{"v":"meta.k8s.io/v1","rv":1}""")]
    [TestCase("""{"v":"meta.k8s.io/v1","rv":"one","start":"a"}""")]
    [TestCase("""{"v":"meta.k8s.io/v1","rv":1,"start":5}""")]
    [TestCase("""{"v":"meta.k8s.io/v1","rv":1.5,"start":"a"}""")]
    [TestCase("""{"v":1,"rv":1,"start":"a"}""")]
    public void WellEncodedButWrongJson_Throws400(string json) => AssertRejected(Token(json));

    [TestCase("/")]
    [TestCase("/etc/passwd")]
    [TestCase("/ns/a")]
    [TestCase("..")]
    [TestCase("/..")]
    [TestCase("../other-prefix/a")]
    [TestCase("ns/../../secrets/a")]
    [TestCase("ns/..\u0000")]
    public void StartEscapingThePrefix_Throws400(string start) =>
        AssertRejected(Token(new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = 1, ["start"] = start }.ToJsonString()));
}
