using Apiserver.Generic.Api;
using Apiserver.Generic.Selection;
using NUnit.Framework;

namespace Apiserver.Generic.Tests.Selection;

/// <summary><see cref="FieldSelector"/>: kube's field selector syntax (<c>=</c>, <c>==</c>, <c>!=</c>, escapes) and matching.</summary>
[TestFixture]
public sealed class FieldSelectorTests
{
    private static Func<string, string?> Fields(params (string Field, string Value)[] fields)
    {
        var map = fields.ToDictionary(f => f.Field, f => f.Value);
        return field => map.GetValueOrDefault(field);
    }

    private static readonly Func<string, string?> Cm = Fields(("metadata.name", "cm"), ("metadata.namespace", "ns1"), ("type", "Opaque"));

    [TestCase(null)]
    [TestCase("")]
    [TestCase("  ")]
    public void Empty_MatchesEverything(string? text)
    {
        var selector = FieldSelector.Parse(text);
        Assert.Multiple(() =>
        {
            Assert.That(selector.IsEverything, Is.True);
            Assert.That(selector.Fields, Is.Empty);
            Assert.That(selector.Matches(Cm), Is.True);
            Assert.That(FieldSelector.Everything.IsEverything, Is.True);
        });
    }

    [TestCase("metadata.name=cm")]
    [TestCase("metadata.name==cm")]
    [TestCase("metadata.name = cm")]
    public void Equals_MatchesOnlyThatValue(string text)
    {
        var selector = FieldSelector.Parse(text);
        Assert.Multiple(() =>
        {
            Assert.That(selector.IsEverything, Is.False);
            Assert.That(selector.Fields, Is.EqualTo(new[] { "metadata.name" }));
            Assert.That(selector.RequiredValue("metadata.name"), Is.EqualTo("cm"));
            Assert.That(selector.Matches(Cm), Is.True);
            Assert.That(selector.Matches(Fields(("metadata.name", "other"))), Is.False);
        });
    }

    [Test]
    public void NotEquals_MatchesOtherValues()
    {
        var selector = FieldSelector.Parse("metadata.name!=cm");
        Assert.Multiple(() =>
        {
            Assert.That(selector.Fields, Is.EqualTo(new[] { "metadata.name" }));
            Assert.That(selector.RequiredValue("metadata.name"), Is.Null);
            Assert.That(selector.Matches(Cm), Is.False);
            Assert.That(selector.Matches(Fields(("metadata.name", "other"))), Is.True);
        });
    }

    [Test]
    public void EmptyValue_MatchesAnEmptyField()
    {
        var selector = FieldSelector.Parse("spec.nodeName=");
        Assert.Multiple(() =>
        {
            Assert.That(selector.RequiredValue("spec.nodeName"), Is.EqualTo(""));
            Assert.That(selector.Matches(Fields(("spec.nodeName", ""))), Is.True);
            Assert.That(selector.Matches(Fields(("spec.nodeName", "node-1"))), Is.False);
            Assert.That(FieldSelector.Parse("spec.nodeName!=").Matches(Fields(("spec.nodeName", "node-1"))), Is.True);
        });
    }

    [Test]
    public void SeveralTerms_MustAllHold()
    {
        var selector = FieldSelector.Parse("metadata.namespace=ns1,metadata.name!=other,type==Opaque");
        Assert.Multiple(() =>
        {
            Assert.That(selector.Fields, Is.EquivalentTo(new[] { "metadata.namespace", "metadata.name", "type" }));
            Assert.That(selector.RequiredValue("metadata.namespace"), Is.EqualTo("ns1"));
            Assert.That(selector.RequiredValue("type"), Is.EqualTo("Opaque"));
            Assert.That(selector.RequiredValue("metadata.name"), Is.Null);
            Assert.That(selector.RequiredValue("status.phase"), Is.Null);
            Assert.That(selector.Matches(Cm), Is.True);
            Assert.That(selector.Matches(Fields(("metadata.name", "cm"), ("metadata.namespace", "ns2"), ("type", "Opaque"))), Is.False);
            Assert.That(selector.Matches(Fields(("metadata.name", "other"), ("metadata.namespace", "ns1"), ("type", "Opaque"))), Is.False);
        });
    }

    [Test]
    public void ContradictoryTerms_MatchNothing()
    {
        var selector = FieldSelector.Parse("metadata.name=cm,metadata.name!=cm");
        Assert.That(selector.Matches(Cm), Is.False);
    }

    [Test]
    public void UnknownField_IsAnAbsentValue()
    {
        Assert.Multiple(() =>
        {
            Assert.That(FieldSelector.Parse("status.phase=Active").Matches(Cm), Is.False);
            Assert.That(FieldSelector.Parse("status.phase!=Active").Matches(Cm), Is.True);
        });
    }

    [Test]
    public void EscapedCommaAndEqualsAndBackslash_AreValueCharacters()
    {
        var selector = FieldSelector.Parse(@"message=a\,b\=c\\d,reason=x");
        Assert.Multiple(() =>
        {
            Assert.That(selector.Fields, Is.EquivalentTo(new[] { "message", "reason" }));
            Assert.That(selector.RequiredValue("message"), Is.EqualTo(@"a,b=c\d"));
            Assert.That(selector.Matches(Fields(("message", @"a,b=c\d"), ("reason", "x"))), Is.True);
        });
    }

    [TestCase("metadata.name")]
    [TestCase("metadata.name:cm")]
    [TestCase("metadata.name in (a,b)")]
    [TestCase("metadata.name=cm,type")]
    [TestCase("garbage")]
    public void Malformed_Throws400BadRequest(string text)
    {
        var e = Assert.Throws<StatusException>(() => FieldSelector.Parse(text));
        Assert.Multiple(() =>
        {
            Assert.That(e!.Code, Is.EqualTo(400));
            Assert.That(e.Reason, Is.EqualTo(StatusReason.BadRequest));
            Assert.That(e.Message, Does.StartWith("invalid field selector"));
        });
    }

    [Test]
    public void TrailingComma_IsIgnored()
    {
        var selector = FieldSelector.Parse("metadata.name=cm,");
        Assert.That(selector.Matches(Cm), Is.True);
    }

    [TestCase("metadata.name=a=b")]
    [TestCase("metadata.name=a\\b")]
    [TestCase("metadata.name=a\\")]
    public void BadlyEscapedValue_Throws400(string text)
    {
        var e = Assert.Throws<StatusException>(() => FieldSelector.Parse(text));
        Assert.That(e!.Code, Is.EqualTo(400));
    }
}
