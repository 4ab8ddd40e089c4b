using Apiserver.Kube.Authorization;
using NUnit.Framework;

namespace Apiserver.Kube.Tests.Authorization;

/// <summary>kube's escalation arithmetic: which rules cover which, and how the missing ones print.</summary>
[TestFixture]
public sealed class RbacCoversTests
{
    private static PolicyRule Rule(string[] verbs, string[] groups, string[] resources, string[]? names = null, string[]? urls = null) =>
        new(verbs, groups, resources, names ?? [], urls ?? []);

    [Test]
    public void Wildcards_CoverEverything_ExactRulesCoverOnlyThemselves()
    {
        PolicyRule[] admin = [Rule(["*"], ["*"], ["*"]), Rule(["*"], [], [], urls: ["*"])];
        PolicyRule[] asked = [Rule(["get", "delete"], ["", "apps"], ["pods", "deployments/scale"], ["a"]), Rule(["get"], [], [], urls: ["/metrics"])];
        Assert.That(RbacCovers.Covers(admin, asked).Covered, Is.True);
        var (covered, missing) = RbacCovers.Covers([Rule(["get"], [""], ["pods"])], asked);
        Assert.That(covered, Is.False);
        // 2 verbs x 2 groups x 2 resources x 1 name, plus one path, less the one atom held (get "" pods a).
        Assert.That(missing, Has.Count.EqualTo(8));
    }

    [Test]
    public void SubresourceWildcard_CoversThatSubresourceOfAnyResource_NotTheResource()
    {
        PolicyRule[] owner = [Rule(["get"], ["apps"], ["*/scale"])];
        Assert.That(RbacCovers.Covers(owner, [Rule(["get"], ["apps"], ["deployments/scale"])]).Covered, Is.True);
        Assert.That(RbacCovers.Covers(owner, [Rule(["get"], ["apps"], ["deployments"])]).Covered, Is.False);
    }

    [Test]
    public void ResourceNames_OwnerWithNamesDoesNotCoverAll_WithoutNamesCoversNamed()
    {
        Assert.That(RbacCovers.Covers([Rule(["get"], [""], ["secrets"], ["a"])], [Rule(["get"], [""], ["secrets"])]).Covered, Is.False);
        Assert.That(RbacCovers.Covers([Rule(["get"], [""], ["secrets"])], [Rule(["get"], [""], ["secrets"], ["a", "b"])]).Covered, Is.True);
        Assert.That(RbacCovers.Covers([Rule(["get"], [""], ["secrets"], ["a"])], [Rule(["get"], [""], ["secrets"], ["a", "b"])]).Missing.Single().ResourceNames, Is.EqualTo(new[] { "b" }));
    }

    [Test]
    public void NonResourceUrl_TrailingStarCoversThePrefix()
    {
        PolicyRule[] owner = [Rule(["get"], [], [], urls: ["/apis/*"])];
        Assert.That(RbacCovers.Covers(owner, [Rule(["get"], [], [], urls: ["/apis/apps/v1"])]).Covered, Is.True);
        Assert.That(RbacCovers.Covers(owner, [Rule(["get"], [], [], urls: ["/api"])]).Covered, Is.False);
    }

    [Test]
    public void Compact_MergesVerbsOfSimpleRules_AndCompactStringPrintsAsKube()
    {
        var missing = RbacCovers.Covers([], [Rule(["get", "list"], [""], ["secrets"]), Rule(["get"], [], [], urls: ["/metrics"])]).Missing;
        var printed = RbacCovers.Compact(missing).Select(RbacCovers.CompactString).Order(StringComparer.Ordinal).ToList();
        Assert.That(printed, Is.EqualTo(new[]
        {
            "{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"get\" \"list\"]}",
            "{NonResourceURLs:[\"/metrics\"], Verbs:[\"get\"]}",
        }));
    }
}
