using System.Text.Json.Nodes;
using Apiserver.Generic.Authentication;
using Apiserver.Generic.Authorization;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Server;
using Apiserver.Generic.Storage.Sqlite;
using Apiserver.Kube.Authorization;
using Apiserver.Kube.Authorization.Bootstrap;
using Apiserver.Kube.Registry.Core.Namespaces;
using Apiserver.Kube.Registry.Rbac.ClusterRoles;
using Apiserver.Kube.Registry.Rbac.RoleBindings;
using Apiserver.Kube.Registry.Rbac.Roles;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace Apiserver.Kube.Tests.Authorization;

/// <summary>The bootstrap reconciler against real storage: what it writes, what it leaves alone, and what the result authorizes.</summary>
[TestFixture]
public sealed class BootstrapReconcilerTests
{
    private TempStore _store = null!;
    private SqliteStorage _storage = null!;
    private StorageConfig _config = null!;
    private BootstrapReconciler _reconciler = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _store = await TempStore.OpenAsync("rbac-bootstrap");
        _storage = _store.Storage;
        _config = new StorageConfig(_storage);
        _reconciler = new BootstrapReconciler(_config, NullLogger.Instance);
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        await _store.DisposeAsync();
    }

    private GenericStore Store(ResourceDefinition definition) => new(definition, _storage);

    [Test]
    public async Task FirstPass_CreatesThePolicy_SecondPassWritesNothing()
    {
        var total = BootstrapPolicy.ClusterRoles().Count + BootstrapPolicy.ClusterRoleBindings().Count + BootstrapPolicy.Roles().Count + BootstrapPolicy.RoleBindings().Count;

        var first = await _reconciler.ReconcileAsync(default);
        var second = await _reconciler.ReconcileAsync(default);

        Assert.That(first, Is.EqualTo(new ReconcileResult(total, 0)));
        Assert.That(second, Is.EqualTo(new ReconcileResult(0, 0)));
        var namespaces = await Store(NamespaceResource.Definition).ListAsync(new RequestContext(""), new ListOptions(), default);
        Assert.That(namespaces["items"]!.AsArray().Select(n => (string?)n!["metadata"]!["name"]), Is.SupersetOf(new[] { "kube-system", "kube-public" }));
        var reader = await Store(RoleResource.Definition).GetAsync(new RequestContext("kube-system"), "extension-apiserver-authentication-reader", new GetOptions(), default);
        Assert.That((string?)reader["metadata"]!["namespace"], Is.EqualTo("kube-system"));
    }

    [Test]
    public async Task Aggregation_WritesAdminEditAndViewOnceEach()
    {
        await _reconciler.ReconcileAsync(default);
        var aggregator = new ClusterRoleAggregator(Store(ClusterRoleResource.Definition), NullLogger.Instance);

        var before = await _storage.GetCurrentRevisionAsync(default);
        await aggregator.AggregateAllAsync(default);
        var after = await _storage.GetCurrentRevisionAsync(default);
        await aggregator.AggregateAllAsync(default);

        Assert.That(after - before, Is.EqualTo(3), "view, edit and admin, each resolved in memory before it is written");
        Assert.That(await _storage.GetCurrentRevisionAsync(default), Is.EqualTo(after));
        var admin = PolicyRule.FromRole(await Store(ClusterRoleResource.Definition).GetAsync(new RequestContext(""), "admin", new GetOptions(), default));
        Assert.That(admin.Any(r => r.Resources.Contains("configmaps") && r.Verbs.Contains("list")), Is.True, "admin holds view's rules through edit");
        Assert.That(admin.Any(r => r.Resources.Contains("rolebindings")), Is.True);
    }

    [Test]
    public async Task AutoUpdateRole_KeepsAnAddedRule_AndGetsItsMissingRuleBack()
    {
        await _reconciler.ReconcileAsync(default);
        var roles = Store(RoleResource.Definition);
        var context = new RequestContext("kube-system");
        var role = await roles.GetAsync(context, "extension-apiserver-authentication-reader", new GetOptions(), default);
        role["rules"] = new JsonArray(new JsonObject { ["verbs"] = new JsonArray("get"), ["apiGroups"] = new JsonArray(""), ["resources"] = new JsonArray("secrets") });
        await roles.UpdateAsync(context, "extension-apiserver-authentication-reader", role, new UpdateOptions(), default);

        Assert.That(await _reconciler.ReconcileAsync(default), Is.EqualTo(new ReconcileResult(0, 1)));

        var rules = PolicyRule.FromRole(await roles.GetAsync(context, "extension-apiserver-authentication-reader", new GetOptions(), default));
        Assert.That(rules.Select(r => r.Resources.Single()), Is.EquivalentTo(new[] { "secrets", "configmaps" }));
        Assert.That(await _reconciler.ReconcileAsync(default), Is.EqualTo(new ReconcileResult(0, 0)));
    }

    [Test]
    public async Task AutoUpdateFalseBinding_KeepsItsSubjects_OthersGetThemBack()
    {
        await _reconciler.ReconcileAsync(default);
        var bindings = Store(RoleBindingResource.Definition);
        var context = new RequestContext("kube-system");
        var reader = await bindings.GetAsync(context, "system::extension-apiserver-authentication-reader", new GetOptions(), default);
        reader["subjects"]!.AsArray().RemoveAt(0);
        reader["metadata"]!["annotations"]![BootstrapPolicy.AutoUpdateAnnotation] = "false";
        await bindings.UpdateAsync(context, "system::extension-apiserver-authentication-reader", reader, new UpdateOptions(), default);
        var cleaner = await bindings.GetAsync(context, "system:controller:token-cleaner", new GetOptions(), default);
        cleaner["subjects"] = new JsonArray();
        await bindings.UpdateAsync(context, "system:controller:token-cleaner", cleaner, new UpdateOptions(), default);

        Assert.That(await _reconciler.ReconcileAsync(default), Is.EqualTo(new ReconcileResult(0, 1)));

        Assert.That((await bindings.GetAsync(context, "system::extension-apiserver-authentication-reader", new GetOptions(), default))["subjects"]!.AsArray(), Has.Count.EqualTo(1));
        Assert.That((await bindings.GetAsync(context, "system:controller:token-cleaner", new GetOptions(), default))["subjects"]!.AsArray(), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task ReconciledPolicy_AuthorizesTheComponentsAsKubeDoes()
    {
        await _reconciler.ReconcileAsync(default);
        await using var authorizer = new RbacAuthorizer(_config);
        var scheduler = new UserInfo("system:kube-scheduler", "", [UserInfo.AuthenticatedGroup]);
        var controller = new UserInfo("system:serviceaccount:kube-system:deployment-controller", "", ["system:serviceaccounts", "system:serviceaccounts:kube-system", UserInfo.AuthenticatedGroup]);
        var kcm = new UserInfo("system:kube-controller-manager", "", [UserInfo.AuthenticatedGroup]);
        async Task<bool> Allowed(UserInfo user, string verb, string group, string resource, string subresource, string ns, string name = "") =>
            (await authorizer.AuthorizeAsync(new AuthorizationAttributes(user, verb, true, group, ns, resource, subresource, name, ""), default)).Decision == Decision.Allow;

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(await Allowed(scheduler, "create", "", "pods", "binding", "default", "p"), Is.True);
            Assert.That(await Allowed(scheduler, "update", "", "pods", "status", "default", "p"), Is.True);
            Assert.That(await Allowed(scheduler, "create", "", "pods", "", "default"), Is.False);
            Assert.That(await Allowed(controller, "create", "apps", "replicasets", "", "default"), Is.True);
            Assert.That(await Allowed(controller, "update", "apps", "deployments", "status", "default", "d"), Is.True);
            Assert.That(await Allowed(controller, "delete", "apps", "deployments", "", "default", "d"), Is.False);
            // The scheduler reads the authentication configmap through its kube-system RoleBinding only.
            Assert.That(await Allowed(scheduler, "get", "", "configmaps", "", "kube-system", "extension-apiserver-authentication"), Is.True);
            Assert.That(await Allowed(scheduler, "get", "", "configmaps", "", "kube-public", "extension-apiserver-authentication"), Is.False);
            Assert.That(await Allowed(kcm, "update", "coordination.k8s.io", "leases", "", "kube-system", "kube-controller-manager"), Is.True);
        });
    }
}
