using Apiserver.Generic.Authentication;
using Apiserver.Generic.Authorization;
using Apiserver.Kube.Authorization;
using NUnit.Framework;

namespace Apiserver.Kube.Tests.Authorization;

/// <summary>kube's RBAC rule matching: verbs, groups, resources, subresources, names and paths, with every wildcard form.</summary>
[TestFixture]
public sealed class RbacRuleTests
{
    private static readonly UserInfo Alice = new("alice", "", ["devs", UserInfo.AuthenticatedGroup]);

    private static AuthorizationAttributes Resource(string verb, string group, string resource, string subresource = "", string name = "", string ns = "team") =>
        new(Alice, verb, IsResourceRequest: true, group, ns, resource, subresource, name, Path: "");

    private static AuthorizationAttributes NonResource(string verb, string path) =>
        new(Alice, verb, IsResourceRequest: false, "", "", "", "", "", path);

    private static PolicyRule Rule(string[]? verbs = null, string[]? groups = null, string[]? resources = null, string[]? names = null, string[]? urls = null) =>
        new(verbs ?? ["*"], groups ?? [""], resources ?? [], names ?? [], urls ?? []);

    [TestCase("get", true)]
    [TestCase("list", true)]
    [TestCase("delete", false)]
    public void NamedVerbs_MatchOnlyThoseVerbs(string verb, bool allowed) =>
        Assert.That(RbacRules.Allows(Resource(verb, "", "configmaps"), Rule(verbs: ["get", "list"], resources: ["configmaps"])), Is.EqualTo(allowed));

    [TestCase("get")]
    [TestCase("deletecollection")]
    [TestCase("escalate")]
    public void VerbWildcard_MatchesEveryVerb(string verb) =>
        Assert.That(RbacRules.Allows(Resource(verb, "", "configmaps"), Rule(verbs: ["*"], resources: ["configmaps"])), Is.True);

    [Test]
    public void CoreGroup_IsTheEmptyString()
    {
        var rule = Rule(groups: [""], resources: ["deployments", "pods"]);
        Assert.Multiple(() =>
        {
            Assert.That(RbacRules.Allows(Resource("get", "", "pods"), rule), Is.True);
            Assert.That(RbacRules.Allows(Resource("get", "apps", "deployments"), rule), Is.False);
        });
    }

    [Test]
    public void GroupWildcard_MatchesEveryGroupIncludingCore()
    {
        var rule = Rule(groups: ["*"], resources: ["deployments", "pods"]);
        Assert.Multiple(() =>
        {
            Assert.That(RbacRules.Allows(Resource("get", "", "pods"), rule), Is.True);
            Assert.That(RbacRules.Allows(Resource("get", "apps", "deployments"), rule), Is.True);
        });
    }

    [Test]
    public void NamedGroup_MatchesOnlyThatGroup()
    {
        var rule = Rule(groups: ["apps"], resources: ["deployments"]);
        Assert.Multiple(() =>
        {
            Assert.That(RbacRules.Allows(Resource("get", "apps", "deployments"), rule), Is.True);
            Assert.That(RbacRules.Allows(Resource("get", "extensions", "deployments"), rule), Is.False);
        });
    }

    [Test]
    public void ResourceWildcard_MatchesResourcesAndSubresources()
    {
        var rule = Rule(resources: ["*"]);
        Assert.Multiple(() =>
        {
            Assert.That(RbacRules.Allows(Resource("get", "", "secrets"), rule), Is.True);
            Assert.That(RbacRules.Allows(Resource("get", "", "pods", "log", "web"), rule), Is.True);
        });
    }

    [Test]
    public void NamedResource_DoesNotCoverItsSubresources()
    {
        var rule = Rule(resources: ["pods"]);
        Assert.Multiple(() =>
        {
            Assert.That(RbacRules.Allows(Resource("get", "", "pods", name: "web"), rule), Is.True);
            Assert.That(RbacRules.Allows(Resource("get", "", "pods", "log", "web"), rule), Is.False);
            Assert.That(RbacRules.Allows(Resource("get", "", "services"), rule), Is.False);
        });
    }

    [Test]
    public void ResourceSlashSubresource_MatchesOnlyThatSubresource()
    {
        var rule = Rule(resources: ["pods/log"]);
        Assert.Multiple(() =>
        {
            Assert.That(RbacRules.Allows(Resource("get", "", "pods", "log", "web"), rule), Is.True);
            Assert.That(RbacRules.Allows(Resource("get", "", "pods", "status", "web"), rule), Is.False);
            Assert.That(RbacRules.Allows(Resource("get", "", "pods", name: "web"), rule), Is.False);
            Assert.That(RbacRules.Allows(Resource("get", "", "nodes", "log", "web"), rule), Is.False);
        });
    }

    [Test]
    public void StarSlashSubresource_MatchesThatSubresourceOfEveryResource()
    {
        var rule = Rule(groups: ["*"], resources: ["*/scale"]);
        Assert.Multiple(() =>
        {
            Assert.That(RbacRules.Allows(Resource("update", "apps", "deployments", "scale", "web"), rule), Is.True);
            Assert.That(RbacRules.Allows(Resource("update", "", "replicationcontrollers", "scale", "rc"), rule), Is.True);
            Assert.That(RbacRules.Allows(Resource("update", "apps", "deployments", "status", "web"), rule), Is.False);
            Assert.That(RbacRules.Allows(Resource("update", "apps", "deployments", name: "web"), rule), Is.False);
            // The subresource must be the whole suffix: */scale is not */xscale.
            Assert.That(RbacRules.Allows(Resource("update", "apps", "deployments", "xscale", "web"), rule), Is.False);
        });
    }

    [Test]
    public void ResourceSlashStar_IsNoWildcard_AsInKube()
    {
        // kube's ResourceMatches knows "*" and "*/sub" only: "pods/*" matches a subresource literally named "*".
        var rule = Rule(resources: ["pods/*"]);
        Assert.Multiple(() =>
        {
            Assert.That(RbacRules.Allows(Resource("get", "", "pods", "log", "web"), rule), Is.False);
            Assert.That(RbacRules.Allows(Resource("get", "", "pods", name: "web"), rule), Is.False);
            Assert.That(RbacRules.Allows(Resource("get", "", "pods", "*", "web"), rule), Is.True);
        });
    }

    [TestCase("get", "cm-a", true)]
    [TestCase("update", "cm-b", true)]
    [TestCase("delete", "cm-c", false)]
    public void ResourceNames_LimitNamedRequests(string verb, string name, bool allowed) =>
        Assert.That(RbacRules.Allows(Resource(verb, "", "configmaps", name: name), Rule(resources: ["configmaps"], names: ["cm-a", "cm-b"])), Is.EqualTo(allowed));

    [TestCase("list")]
    [TestCase("watch")]
    [TestCase("create")]
    [TestCase("deletecollection")]
    public void ResourceNames_NeverMatchRequestsWithoutAName(string verb) =>
        Assert.That(RbacRules.Allows(Resource(verb, "", "configmaps"), Rule(resources: ["configmaps"], names: ["cm-a"])), Is.False);

    [Test]
    public void ResourceNames_ApplyToSubresources()
    {
        var rule = Rule(resources: ["deployments/scale"], groups: ["apps"], names: ["web"]);
        Assert.Multiple(() =>
        {
            Assert.That(RbacRules.Allows(Resource("update", "apps", "deployments", "scale", "web"), rule), Is.True);
            Assert.That(RbacRules.Allows(Resource("update", "apps", "deployments", "scale", "db"), rule), Is.False);
        });
    }

    [Test]
    public void ResourceRule_NeverMatchesNonResourceRequests()
    {
        var rule = Rule(groups: ["*"], resources: ["*"]);
        Assert.That(RbacRules.Allows(NonResource("get", "/healthz"), rule), Is.False);
    }

    [Test]
    public void NonResourceRule_NeverMatchesResourceRequests()
    {
        var rule = Rule(urls: ["*"]);
        Assert.That(RbacRules.Allows(Resource("get", "", "pods"), rule), Is.False);
    }

    [TestCase("/healthz", true)]
    [TestCase("/healthz/ping", false)]
    [TestCase("/livez", false)]
    public void NonResourceUrl_ExactPath(string path, bool allowed) =>
        Assert.That(RbacRules.Allows(NonResource("get", path), Rule(urls: ["/healthz"])), Is.EqualTo(allowed));

    [TestCase("/apis", false)]
    [TestCase("/apis/", true)]
    [TestCase("/apis/apps/v1", true)]
    [TestCase("/api/v1", false)]
    public void NonResourceUrl_TrailingStarIsAPrefix(string path, bool allowed) =>
        Assert.That(RbacRules.Allows(NonResource("get", path), Rule(urls: ["/apis/*"])), Is.EqualTo(allowed));

    [Test]
    public void NonResourceUrl_BareStarWithoutSlash_IsAPrefixToo()
    {
        var rule = Rule(urls: ["/healthz*"]);
        Assert.Multiple(() =>
        {
            Assert.That(RbacRules.Allows(NonResource("get", "/healthz"), rule), Is.True);
            Assert.That(RbacRules.Allows(NonResource("get", "/healthz/etcd"), rule), Is.True);
            Assert.That(RbacRules.Allows(NonResource("get", "/livez"), rule), Is.False);
        });
    }

    [Test]
    public void NonResourceUrl_StarMatchesEveryPath() =>
        Assert.That(RbacRules.Allows(NonResource("get", "/metrics"), Rule(urls: ["*"])), Is.True);

    [Test]
    public void NonResourceUrl_VerbStillMatters()
    {
        var rule = Rule(verbs: ["get"], urls: ["/metrics"]);
        Assert.Multiple(() =>
        {
            Assert.That(RbacRules.Allows(NonResource("get", "/metrics"), rule), Is.True);
            Assert.That(RbacRules.Allows(NonResource("post", "/metrics"), rule), Is.False);
        });
    }

    [Test]
    public void PolicyRule_FromRole_ReadsEveryField()
    {
        var role = (System.Text.Json.Nodes.JsonObject)System.Text.Json.Nodes.JsonNode.Parse("""
            {"rules":[{"verbs":["get"],"apiGroups":["apps"],"resources":["deployments/scale"],"resourceNames":["web"]},
                      {"verbs":["get"],"nonResourceURLs":["/healthz"]}]}
            """)!;
        var rules = PolicyRule.FromRole(role);
        Assert.Multiple(() =>
        {
            Assert.That(rules, Has.Count.EqualTo(2));
            Assert.That(rules[0].ApiGroups, Is.EqualTo(new[] { "apps" }));
            Assert.That(rules[0].Resources, Is.EqualTo(new[] { "deployments/scale" }));
            Assert.That(rules[0].ResourceNames, Is.EqualTo(new[] { "web" }));
            Assert.That(rules[1].NonResourceUrls, Is.EqualTo(new[] { "/healthz" }));
            Assert.That(rules[1].ApiGroups, Is.Empty);
        });
    }
}
