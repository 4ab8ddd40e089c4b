using Apiserver.Generic.Api;
using Apiserver.Generic.Selection;
using NUnit.Framework;

namespace Apiserver.Generic.Tests.Selection;

/// <summary><see cref="LabelSelector"/>: kube's label selector syntax and matching.</summary>
[TestFixture]
public sealed class LabelSelectorTests
{
    private static readonly Dictionary<string, string> WebProd = new() { ["app"] = "web", ["env"] = "prod" };
    private static readonly Dictionary<string, string> WebDev = new() { ["app"] = "web", ["env"] = "dev" };
    private static readonly Dictionary<string, string> Db = new() { ["app"] = "db" };
    private static readonly Dictionary<string, string> NoLabels = new();

    private static bool Matches(string selector, IReadOnlyDictionary<string, string> labels) => LabelSelector.Parse(selector).Matches(labels);

    [TestCase(null)]
    [TestCase("")]
    [TestCase("   ")]
    public void Empty_MatchesEverything(string? text)
    {
        var selector = LabelSelector.Parse(text);
        Assert.Multiple(() =>
        {
            Assert.That(selector.IsEverything, Is.True);
            Assert.That(selector.Matches(WebProd), Is.True);
            Assert.That(selector.Matches(NoLabels), Is.True);
        });
    }

    [Test]
    public void Everything_MatchesEverything()
    {
        Assert.Multiple(() =>
        {
            Assert.That(LabelSelector.Everything.IsEverything, Is.True);
            Assert.That(LabelSelector.Everything.Matches(NoLabels), Is.True);
            Assert.That(LabelSelector.Parse("app=web").IsEverything, Is.False);
        });
    }

    [TestCase("app=web")]
    [TestCase("app==web")]
    [TestCase("app = web")]
    [TestCase("  app==web  ")]
    public void Equals_MatchesOnlyThatValue(string text)
    {
        Assert.Multiple(() =>
        {
            Assert.That(Matches(text, WebProd), Is.True);
            Assert.That(Matches(text, Db), Is.False);
            Assert.That(Matches(text, NoLabels), Is.False);
        });
    }

    [Test]
    public void Equals_EmptyValueMatchesAnEmptyLabel()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Matches("app=", new Dictionary<string, string> { ["app"] = "" }), Is.True);
            Assert.That(Matches("app=", WebProd), Is.False);
            Assert.That(Matches("app=", NoLabels), Is.False);
        });
    }

    [Test]
    public void NotEquals_MatchesOtherValuesAndMissingLabels()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Matches("app!=web", WebProd), Is.False);
            Assert.That(Matches("app!=web", Db), Is.True);
            Assert.That(Matches("app!=web", NoLabels), Is.True);
            Assert.That(Matches("app != web", Db), Is.True);
        });
    }

    [Test]
    public void In_MatchesAnyListedValue()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Matches("env in (prod,dev)", WebProd), Is.True);
            Assert.That(Matches("env in (prod,dev)", WebDev), Is.True);
            Assert.That(Matches("env in (staging)", WebProd), Is.False);
            Assert.That(Matches("env in (prod)", Db), Is.False);
            Assert.That(Matches("env in ( prod , dev )", WebDev), Is.True);
            Assert.That(Matches("env in(prod)", WebProd), Is.True);
        });
    }

    [Test]
    public void NotIn_MatchesOtherValuesAndMissingLabels()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Matches("env notin (prod,staging)", WebProd), Is.False);
            Assert.That(Matches("env notin (prod,staging)", WebDev), Is.True);
            Assert.That(Matches("env notin (prod,staging)", Db), Is.True);
            Assert.That(Matches("env notin (prod)", NoLabels), Is.True);
        });
    }

    [Test]
    public void Exists_MatchesAnyValue()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Matches("env", WebProd), Is.True);
            Assert.That(Matches("env", new Dictionary<string, string> { ["env"] = "" }), Is.True);
            Assert.That(Matches("env", Db), Is.False);
            Assert.That(Matches("env", NoLabels), Is.False);
        });
    }

    [Test]
    public void DoesNotExist_MatchesOnlyWithoutTheLabel()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Matches("!env", WebProd), Is.False);
            Assert.That(Matches("!env", Db), Is.True);
            Assert.That(Matches("!env", NoLabels), Is.True);
            Assert.That(Matches(" !env ", Db), Is.True);
        });
    }

    [Test]
    public void QualifiedKeysAndDottedValues_Parse()
    {
        var labels = new Dictionary<string, string> { ["app.kubernetes.io/name"] = "my-app_1.2", ["kubernetes.io/metadata.name"] = "default" };
        Assert.Multiple(() =>
        {
            Assert.That(Matches("app.kubernetes.io/name=my-app_1.2", labels), Is.True);
            Assert.That(Matches("kubernetes.io/metadata.name in (default,kube-system)", labels), Is.True);
            Assert.That(Matches("!example.com/other", labels), Is.True);
        });
    }

    [Test]
    public void Values_AreCaseSensitive()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Matches("app=Web", WebProd), Is.False);
            Assert.That(Matches("App=web", WebProd), Is.False);
        });
    }

    [Test]
    public void SeveralRequirements_MustAllHold()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Matches("app=web,env=prod", WebProd), Is.True);
            Assert.That(Matches("app=web,env=prod", WebDev), Is.False);
            Assert.That(Matches("app=web, env!=prod", WebDev), Is.True);
            Assert.That(Matches("app in (web,db),!env", Db), Is.True);
            Assert.That(Matches("app in (web,db),!env", WebProd), Is.False);
            Assert.That(Matches("app,env notin (dev),app!=db", WebProd), Is.True);
            Assert.That(Matches("app,env notin (dev),app!=db", WebDev), Is.False);
            Assert.That(Matches("app,env notin (dev),app!=db", Db), Is.False);
            Assert.That(Matches("env in (prod, dev), app notin (db)", WebDev), Is.True);
        });
    }

    [Test]
    public void ContradictoryRequirements_MatchNothing()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Matches("app=web,app=db", WebProd), Is.False);
            Assert.That(Matches("app=web,app=db", Db), Is.False);
            Assert.That(Matches("app,!app", WebProd), Is.False);
            Assert.That(Matches("app,!app", NoLabels), Is.False);
        });
    }

    [TestCase("app in (web")]
    [TestCase("app in (web,")]
    [TestCase("app in web")]
    [TestCase("app in")]
    [TestCase("app notin")]
    [TestCase("app IN (web)")]
    [TestCase("app between (a,b)")]
    [TestCase("app=web,")]
    [TestCase("app=web,,env=prod")]
    [TestCase(",app=web")]
    [TestCase("=web")]
    [TestCase("!")]
    [TestCase("!=web")]
    [TestCase("app!web")]
    [TestCase("app=web env=prod")]
    [TestCase("app=we b")]
    [TestCase("app=web)")]
    [TestCase("app=w@b")]
    [TestCase("app in (a b)")]
    [TestCase("(app)")]
    public void Malformed_Throws400BadRequest(string text)
    {
        var e = Assert.Throws<StatusException>(() => LabelSelector.Parse(text));
        Assert.Multiple(() =>
        {
            Assert.That(e!.Code, Is.EqualTo(400));
            Assert.That(e.Reason, Is.EqualTo(StatusReason.BadRequest));
            Assert.That(e.Message, Does.Contain("unable to parse requirement"));
            Assert.That(e.Message, Does.Contain(text));
        });
    }

    [Test]
    public void LongKey_Throws400()
    {
        var e = Assert.Throws<StatusException>(() => LabelSelector.Parse(new string('a', 318) + "=b"));
        Assert.That(e!.Code, Is.EqualTo(400));
    }

    [Test]
    public void GreaterThanAndLessThan_CompareIntegers()
    {
        var labels = new Dictionary<string, string> { ["replicas"] = "3" };
        Assert.Multiple(() =>
        {
            Assert.That(Matches("replicas>2", labels), Is.True);
            Assert.That(Matches("replicas>3", labels), Is.False);
            Assert.That(Matches("replicas<4", labels), Is.True);
            Assert.That(Matches("replicas<3", labels), Is.False);
            Assert.That(Matches("replicas>2", NoLabels), Is.False);
        });
    }
}
