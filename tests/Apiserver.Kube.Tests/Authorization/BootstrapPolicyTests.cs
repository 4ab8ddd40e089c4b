using System.Text.Json.Nodes;
using Apiserver.Kube.Authorization;
using Apiserver.Kube.Authorization.Bootstrap;
using NUnit.Framework;

namespace Apiserver.Kube.Tests.Authorization;

/// <summary>The bootstrap policy's reconciliation rules and ClusterRole aggregation.</summary>
[TestFixture]
public sealed class BootstrapPolicyTests
{
    private static JsonObject Expected(string name) =>
        BootstrapPolicy.ClusterRoles().Single(r => (string?)r["metadata"]!["name"] == name);

    private static JsonObject WithAutoUpdate(JsonObject role, string? value)
    {
        var annotations = (JsonObject)role["metadata"]!["annotations"]!;
        annotations.Remove(BootstrapPolicy.AutoUpdateAnnotation);
        if (value is not null)
        {
            annotations[BootstrapPolicy.AutoUpdateAnnotation] = value;
        }
        return role;
    }

    [Test]
    public void MissingRole_IsCreatedAsExpected()
    {
        var expected = Expected("system:discovery");

        var result = BootstrapReconciler.ReconcileRole(null, expected);

        Assert.That(JsonNode.DeepEquals(result, expected), Is.True);
        Assert.That((string?)result!["metadata"]!["labels"]![BootstrapPolicy.BootstrappingLabel], Is.EqualTo("rbac-defaults"));
    }

    [Test]
    public void AutoUpdateTrue_AddsMissingRulesAndKeepsExtraOnes()
    {
        var expected = Expected("system:basic-user");
        var existing = WithAutoUpdate((JsonObject)expected.DeepClone(), "true");
        var rules = (JsonArray)existing["rules"]!;
        rules.RemoveAt(0);
        rules.Add(new JsonObject { ["verbs"] = new JsonArray("get"), ["apiGroups"] = new JsonArray(""), ["resources"] = new JsonArray("pods") });

        var result = BootstrapReconciler.ReconcileRole(existing, expected);

        Assert.That(result, Is.Not.Null);
        var held = PolicyRule.FromRole(result!);
        Assert.That(held, Has.Count.EqualTo(3));
        Assert.That(held.Any(r => r.Resources.Contains("selfsubjectaccessreviews")), Is.True);
        Assert.That(held.Any(r => r.Resources.Contains("pods")), Is.True, "rules the administrator added stay");
    }

    [Test]
    public void AutoUpdateFalse_LeavesTheRoleAlone()
    {
        var expected = Expected("system:basic-user");
        var existing = WithAutoUpdate((JsonObject)expected.DeepClone(), "false");
        ((JsonArray)existing["rules"]!).Clear();

        Assert.That(BootstrapReconciler.ReconcileRole(existing, expected), Is.Null);
    }

    [Test]
    public void UpToDateRole_NeedsNoWrite()
    {
        var expected = Expected("cluster-admin");
        Assert.That(BootstrapReconciler.ReconcileRole((JsonObject)expected.DeepClone(), expected), Is.Null);
    }

    [Test]
    public void MissingAnnotation_IsReconciledAndAnnotated()
    {
        var expected = Expected("system:public-info-viewer");
        var existing = WithAutoUpdate((JsonObject)expected.DeepClone(), null);
        ((JsonArray)existing["rules"]!).Clear();

        var result = BootstrapReconciler.ReconcileRole(existing, expected);

        Assert.That((string?)result!["metadata"]!["annotations"]![BootstrapPolicy.AutoUpdateAnnotation], Is.EqualTo("true"));
        Assert.That(PolicyRule.FromRole(result).Single().NonResourceUrls, Does.Contain("/healthz"));
    }

    [Test]
    public void WiderExistingRule_CoversTheExpectedOne()
    {
        var expected = Expected("system:public-info-viewer");
        var existing = (JsonObject)expected.DeepClone();
        existing["rules"] = new JsonArray(new JsonObject { ["verbs"] = new JsonArray("*"), ["nonResourceURLs"] = new JsonArray("*") });

        Assert.That(BootstrapReconciler.ReconcileRole(existing, expected), Is.Null);
    }

    [Test]
    public void Binding_AutoUpdateAddsMissingSubjects_FalseDoesNot()
    {
        var expected = BootstrapPolicy.ClusterRoleBindings().Single(b => (string?)b["metadata"]!["name"] == "system:public-info-viewer");
        var existing = (JsonObject)expected.DeepClone();
        ((JsonArray)existing["subjects"]!).RemoveAt(1);

        var result = BootstrapReconciler.ReconcileBinding(existing, expected);
        Assert.That(((JsonArray)result!["subjects"]!).Select(s => (string?)s!["name"]), Is.EqualTo(new[] { "system:authenticated", "system:unauthenticated" }));

        WithAutoUpdate(existing, "false");
        Assert.That(BootstrapReconciler.ReconcileBinding(existing, expected), Is.Null);
    }

    [Test]
    public void Aggregation_FillsRulesFromMatchingRolesWithoutDuplicates()
    {
        var roles = BootstrapPolicy.ClusterRoles().ToList();
        var extra = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "crd-viewer", ["labels"] = new JsonObject { ["rbac.authorization.k8s.io/aggregate-to-view"] = "true" } },
            ["rules"] = new JsonArray(
                new JsonObject { ["verbs"] = new JsonArray("get"), ["apiGroups"] = new JsonArray("example.com"), ["resources"] = new JsonArray("widgets") },
                ((JsonArray)Expected("system:aggregate-to-view")["rules"]!)[0]!.DeepClone()),
        };
        roles.Add(extra);
        var view = roles.Single(r => (string?)r["metadata"]!["name"] == "view");

        var rules = ClusterRoleAggregator.AggregatedRules(view, roles)!;

        var expectedCount = ((JsonArray)Expected("system:aggregate-to-view")["rules"]!).Count + 1;
        Assert.That(rules, Has.Count.EqualTo(expectedCount));
        Assert.That(rules.Any(r => r!["resources"]![0]!.GetValue<string>() == "widgets"), Is.True);
        Assert.That(ClusterRoleAggregator.AggregatedRules(Expected("cluster-admin"), roles), Is.Null);
    }

    [Test]
    public void Aggregation_IsTransitiveThroughAggregatedRoles()
    {
        var roles = BootstrapPolicy.ClusterRoles().ToList();
        JsonObject Role(string name) => roles.Single(r => (string?)r["metadata"]!["name"] == name);
        // view is filled first; edit then picks up view's rules (view is labelled aggregate-to-edit).
        Role("view")["rules"] = ClusterRoleAggregator.AggregatedRules(Role("view"), roles);
        var edit = ClusterRoleAggregator.AggregatedRules(Role("edit"), roles)!;

        var held = edit.OfType<JsonObject>().Select(PolicyRule.FromJson).ToList();
        Assert.That(held.Any(r => r.Verbs.Contains("list") && r.Resources.Contains("configmaps")), Is.True);
        Assert.That(held.Any(r => r.Verbs.Contains("create") && r.Resources.Contains("configmaps")), Is.True);
    }
}
