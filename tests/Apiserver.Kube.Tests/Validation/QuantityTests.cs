using System.Text.Json.Nodes;
using Apiserver.Kube.Validation;
using NUnit.Framework;

namespace Apiserver.Kube.Tests.Validation;

/// <summary>Resource quantities read as kube reads them: every suffix, signs, decimals and exponents; anything else is no quantity.</summary>
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
}
