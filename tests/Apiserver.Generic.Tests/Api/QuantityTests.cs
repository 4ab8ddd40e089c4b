using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using NUnit.Framework;

namespace Apiserver.Generic.Tests.Api;

/// <summary>Resource quantities read and spelled as kube does: every suffix, signs, decimals and exponents; anything else is no quantity.</summary>
[TestFixture]
internal sealed class QuantityTests
{
    [TestCase("1", "1")]
    [TestCase("1000m", "1")]
    [TestCase("0.5", "0.5")]
    [TestCase("500m", "0.5")]
    [TestCase("+2", "2")]
    [TestCase("-100m", "-0.1")]
    [TestCase("1Ki", "1024")]
    [TestCase("1Mi", "1048576")]
    [TestCase("1.5Gi", "1610612736")]
    [TestCase("2Ei", "2305843009213693952")]
    [TestCase("3k", "3000")]
    [TestCase("1M", "1000000")]
    [TestCase("5n", "0.000000005")]
    [TestCase("7u", "0.000007")]
    [TestCase("1e3", "1000")]
    [TestCase("12E-2", "0.12")]
    [TestCase(".5", "0.5")]
    public void Quantities_HaveKubesValues(string text, string expected) =>
        Assert.That(Quantity.Parse(text), Is.EqualTo(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)));

    [TestCase("")]
    [TestCase("m")]
    [TestCase("1K")]
    [TestCase("1 Mi")]
    [TestCase("1.2.3")]
    [TestCase("1mi")]
    [TestCase("1e")]
    [TestCase("1e99")]
    [TestCase("abc")]
    public void OtherStrings_AreNoQuantity(string text) => Assert.That(Quantity.Parse(text), Is.Null);

    [Test]
    public void JsonNumbers_AreQuantities()
    {
        Assert.That(Quantity.Parse(JsonNode.Parse("2")), Is.EqualTo(2m));
        Assert.That(Quantity.Parse(JsonNode.Parse("\"250m\"")), Is.EqualTo(0.25m));
        Assert.That(Quantity.Parse(JsonNode.Parse("{}")), Is.Null);
    }

    [TestCase("0", "0")]
    [TestCase("-0", "0")]
    [TestCase("1", "1")]
    [TestCase("+2", "2")]
    [TestCase("2000m", "2")]
    [TestCase("1500m", "1500m")]
    [TestCase("0.5", "500m")]
    [TestCase(".5", "500m")]
    [TestCase("0.1", "100m")]
    [TestCase("-100m", "-100m")]
    [TestCase("1000", "1k")]
    [TestCase("1024", "1024")]
    [TestCase("1000000", "1M")]
    [TestCase("5n", "5n")]
    [TestCase("7u", "7u")]
    [TestCase("0.0000000001", "1n")]
    [TestCase("1.0000000001", "1000000001n")]
    [TestCase("1Ki", "1Ki")]
    [TestCase("1024Mi", "1Gi")]
    [TestCase("1.5Gi", "1536Mi")]
    [TestCase("0.5Ki", "512")]
    [TestCase("1100Ki", "1100Ki")]
    [TestCase("100Mi", "100Mi")]
    [TestCase("1e3", "1e3")]
    [TestCase("12E-2", "120e-3")]
    public void Quantities_HaveKubesCanonicalSpelling(string text, string expected)
    {
        Assert.That(Quantity.TryCanonicalize(text, out var canonical), Is.True);
        Assert.That(canonical, Is.EqualTo(expected));
    }

    [Test]
    public void JsonNumbers_AreSpelledAsTheirText()
    {
        Assert.That(Quantity.TryCanonicalize(JsonNode.Parse("1"), out var one) ? one : null, Is.EqualTo("1"));
        Assert.That(Quantity.TryCanonicalize(JsonNode.Parse("0.5"), out var half) ? half : null, Is.EqualTo("500m"));
        Assert.That(Quantity.TryCanonicalize(JsonNode.Parse("1e3"), out var thousand) ? thousand : null, Is.EqualTo("1e3"));
        Assert.That(Quantity.TryCanonicalize(JsonNode.Parse("true"), out _), Is.False);
        Assert.That(Quantity.TryCanonicalize("1K", out _), Is.False);
    }
}
