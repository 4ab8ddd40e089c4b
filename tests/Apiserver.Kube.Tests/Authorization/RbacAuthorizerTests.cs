using System.Text.Json.Nodes;
using Apiserver.Generic.Authentication;
using Apiserver.Generic.Authorization;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Server;
using Apiserver.Generic.Storage.Sqlite;
using Apiserver.Kube.Authorization;
using Apiserver.Kube.Registry.Rbac.ClusterRoleBindings;
using Apiserver.Kube.Registry.Rbac.ClusterRoles;
using Apiserver.Kube.Registry.Rbac.RoleBindings;
using Apiserver.Kube.Registry.Rbac.Roles;
using NUnit.Framework;

namespace Apiserver.Kube.Tests.Authorization;

/// <summary>The RBAC authorizer over its cache of stored roles and bindings: which subjects a binding applies to, its scope, and changes followed by watch.</summary>
[TestFixture]
public sealed class RbacAuthorizerTests
{
    private TempStore _store = null!;
    private SqliteStorage _storage = null!;
    private StorageConfig _config = null!;
    private RbacAuthorizer _authorizer = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _store = await TempStore.OpenAsync("rbac-authorizer");
        _storage = _store.Storage;
        _config = new StorageConfig(_storage);
        _authorizer = new RbacAuthorizer(_config);
        await CreateAsync(ClusterRoleResource.Definition, "", """
            {"metadata":{"name":"pod-reader"},"rules":[{"verbs":["get","list"],"apiGroups":[""],"resources":["pods"]}]}
            """);
        await CreateAsync(RoleResource.Definition, "team", """
            {"metadata":{"name":"cm-editor"},"rules":[{"verbs":["*"],"apiGroups":[""],"resources":["configmaps"]}]}
            """);
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        await _authorizer.DisposeAsync();
        await _store.DisposeAsync();
    }

    private static UserInfo User(string name, params string[] groups) => new(name, "", [.. groups, UserInfo.AuthenticatedGroup]);

    private static AuthorizationAttributes Request(UserInfo user, string verb, string resource, string ns) =>
        new(user, verb, true, "", ns, resource, "", "", "");

    [Test]
    public async Task NoBindings_NoOpinionWithoutReason()
    {
        var (decision, reason) = await _authorizer.AuthorizeAsync(Request(User("alice"), "list", "pods", "team"), CancellationToken.None);
        Assert.That((decision, reason), Is.EqualTo((Decision.NoOpinion, "")));
    }

    [Test]
    public async Task ClusterRoleBinding_AppliesInEveryNamespaceAndAtClusterScope()
    {
        await BindAsync(ClusterRoleBindingResource.Definition, "", "ClusterRole", "pod-reader", """{"kind":"User","name":"alice"}""");
        await Assert.MultipleAsync(async () =>
        {
            Assert.That((await _authorizer.AuthorizeAsync(Request(User("alice"), "list", "pods", "team"), default)).Decision, Is.EqualTo(Decision.Allow));
            Assert.That((await _authorizer.AuthorizeAsync(Request(User("alice"), "list", "pods", ""), default)).Decision, Is.EqualTo(Decision.Allow));
            Assert.That((await _authorizer.AuthorizeAsync(Request(User("bob"), "list", "pods", "team"), default)).Decision, Is.EqualTo(Decision.NoOpinion));
            Assert.That((await _authorizer.AuthorizeAsync(Request(User("alice"), "delete", "pods", "team"), default)).Decision, Is.EqualTo(Decision.NoOpinion));
        });
    }

    [Test]
    public async Task RoleBindingToClusterRole_AppliesOnlyInItsNamespace()
    {
        await BindAsync(RoleBindingResource.Definition, "team", "ClusterRole", "pod-reader", """{"kind":"Group","name":"devs"}""");
        await Assert.MultipleAsync(async () =>
        {
            Assert.That((await _authorizer.AuthorizeAsync(Request(User("alice", "devs"), "list", "pods", "team"), default)).Decision, Is.EqualTo(Decision.Allow));
            Assert.That((await _authorizer.AuthorizeAsync(Request(User("alice", "devs"), "list", "pods", "other"), default)).Decision, Is.EqualTo(Decision.NoOpinion));
            Assert.That((await _authorizer.AuthorizeAsync(Request(User("alice", "devs"), "list", "pods", ""), default)).Decision, Is.EqualTo(Decision.NoOpinion));
            Assert.That((await _authorizer.AuthorizeAsync(Request(User("alice", "ops"), "list", "pods", "team"), default)).Decision, Is.EqualTo(Decision.NoOpinion));
        });
    }

    [Test]
    public async Task ServiceAccountSubject_MatchesItsUserName_DefaultingToTheBindingsNamespace()
    {
        await BindAsync(RoleBindingResource.Definition, "team", "Role", "cm-editor", """{"kind":"ServiceAccount","name":"builder"}""");
        await Assert.MultipleAsync(async () =>
        {
            Assert.That((await _authorizer.AuthorizeAsync(Request(User("system:serviceaccount:team:builder"), "create", "configmaps", "team"), default)).Decision, Is.EqualTo(Decision.Allow));
            Assert.That((await _authorizer.AuthorizeAsync(Request(User("system:serviceaccount:other:builder"), "create", "configmaps", "team"), default)).Decision, Is.EqualTo(Decision.NoOpinion));
            Assert.That((await _authorizer.AuthorizeAsync(Request(User("builder"), "create", "configmaps", "team"), default)).Decision, Is.EqualTo(Decision.NoOpinion));
        });
    }

    [Test]
    public async Task ServiceAccountSubjectOfAClusterRoleBinding_NamesItsNamespace()
    {
        await BindAsync(ClusterRoleBindingResource.Definition, "", "ClusterRole", "pod-reader", """{"kind":"ServiceAccount","name":"monitor","namespace":"ops"}""");
        var (decision, reason) = await _authorizer.AuthorizeAsync(Request(User("system:serviceaccount:ops:monitor"), "get", "pods", "team"), default);
        Assert.Multiple(() =>
        {
            Assert.That(decision, Is.EqualTo(Decision.Allow));
            Assert.That(reason, Does.Contain("ClusterRoleBinding").And.Contain("pod-reader"));
        });
    }

    [Test]
    public async Task MissingRole_NoOpinionNamingIt()
    {
        await BindAsync(RoleBindingResource.Definition, "team", "Role", "gone", """{"kind":"User","name":"alice"}""");
        var (decision, reason) = await _authorizer.AuthorizeAsync(Request(User("alice"), "get", "configmaps", "team"), default);
        Assert.Multiple(() =>
        {
            Assert.That(decision, Is.EqualTo(Decision.NoOpinion));
            Assert.That(reason, Is.EqualTo("RBAC: role.rbac.authorization.k8s.io \"gone\" not found"));
        });
    }

    [Test]
    public async Task NewAndDeletedBinding_AreFollowedWithinASecond()
    {
        var alice = Request(User("alice"), "list", "pods", "team");
        Assert.That((await _authorizer.AuthorizeAsync(alice, default)).Decision, Is.EqualTo(Decision.NoOpinion));
        // Written behind the cache's back, straight to storage: only the watch can tell it.
        var store = new GenericStore(ClusterRoleBindingResource.Definition, _config.Storage, _config.Prefix);
        var binding = (JsonObject)JsonNode.Parse("""
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","metadata":{"name":"late"},
             "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"pod-reader"},"subjects":[{"kind":"User","name":"alice"}]}
            """)!;
        var started = DateTime.UtcNow;
        await store.CreateAsync(new RequestContext(""), binding, new CreateOptions(), default);
        while ((await _authorizer.AuthorizeAsync(alice, default)).Decision != Decision.Allow)
        {
            Assert.That(DateTime.UtcNow - started, Is.LessThan(TimeSpan.FromSeconds(1)));
            await Task.Delay(5);
        }
        await store.DeleteAsync(new RequestContext(""), "late", new DeleteOptions(), default);
        started = DateTime.UtcNow;
        while ((await _authorizer.AuthorizeAsync(alice, default)).Decision != Decision.NoOpinion)
        {
            Assert.That(DateTime.UtcNow - started, Is.LessThan(TimeSpan.FromSeconds(1)));
            await Task.Delay(5);
        }
    }

    [Test]
    public async Task PrivilegedGroups_AllowMastersOnly()
    {
        var authorizer = new PrivilegedGroupsAuthorizer(UserInfo.MastersGroup);
        await Assert.MultipleAsync(async () =>
        {
            Assert.That((await authorizer.AuthorizeAsync(Request(User("root", UserInfo.MastersGroup), "delete", "nodes", ""), default)).Decision, Is.EqualTo(Decision.Allow));
            Assert.That((await authorizer.AuthorizeAsync(Request(User("alice", "devs"), "get", "pods", "team"), default)).Decision, Is.EqualTo(Decision.NoOpinion));
        });
    }

    private async Task BindAsync(ResourceDefinition definition, string ns, string roleKind, string roleName, string subject)
    {
        var name = "binding-" + Guid.NewGuid().ToString("N")[..6];
        await CreateAsync(definition, ns, $$$"""
            {"metadata":{"name":"{{{name}}}"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"{{{roleKind}}}","name":"{{{roleName}}}"},"subjects":[{{{subject}}}]}
            """);
    }

    private async Task CreateAsync(ResourceDefinition definition, string ns, string json)
    {
        var obj = (JsonObject)JsonNode.Parse(json)!;
        obj["apiVersion"] = "rbac.authorization.k8s.io/v1";
        obj["kind"] = definition.Names.Kind.Kind;
        if (ns.Length > 0)
        {
            obj["metadata"]!["namespace"] = ns;
        }
        var created = await new GenericStore(definition, _config.Storage, _config.Prefix).CreateAsync(new RequestContext(ns), obj, new CreateOptions(), CancellationToken.None);
        await WaitForCacheAsync(long.Parse((string)created["metadata"]!["resourceVersion"]!));
    }

    /// <summary>Decisions come from the watch-fed cache: wait until it has seen <paramref name="revision"/>.</summary>
    private async Task WaitForCacheAsync(long revision)
    {
        await _authorizer.Cache.GetPolicyAsync(default);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (_authorizer.Cache.Revision < revision)
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"the RBAC cache did not reach revision {revision}");
            await Task.Delay(10);
        }
    }
}
