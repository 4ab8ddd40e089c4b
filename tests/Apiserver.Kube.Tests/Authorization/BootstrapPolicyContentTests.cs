using System.Text.Json.Nodes;
using Apiserver.Generic.Authentication;
using Apiserver.Generic.Authorization;
using Apiserver.Kube.Authorization;
using Apiserver.Kube.Authorization.Bootstrap;
using NUnit.Framework;

namespace Apiserver.Kube.Tests.Authorization;

/// <summary>The content of the bootstrap policy: its shape, and spot checks against kube 1.34's rules.</summary>
[TestFixture]
public sealed class BootstrapPolicyContentTests
{
    private static IEnumerable<JsonObject> AllObjects() =>
        BootstrapPolicy.ClusterRoles().Concat(BootstrapPolicy.ClusterRoleBindings()).Concat(BootstrapPolicy.Roles()).Concat(BootstrapPolicy.RoleBindings());

    private static string Name(JsonObject obj) => (string)obj["metadata"]!["name"]!;

    private static string? Namespace(JsonObject obj) => (string?)obj["metadata"]!["namespace"];

    private static JsonObject ClusterRole(string name) => BootstrapPolicy.ClusterRoles().Single(r => Name(r) == name);

    /// <summary>Whether the rules of <paramref name="role"/> allow the request (group "" is core; resource may name a subresource).</summary>
    private static bool Allows(JsonObject role, string verb, string group, string resource, string name = "")
    {
        var parts = resource.Split('/', 2);
        var attributes = new AuthorizationAttributes(new UserInfo("someone", "", []), verb, true, group, "ns", parts[0], parts.Length > 1 ? parts[1] : "", name, "");
        return PolicyRule.FromRole(role).Any(r => RbacRules.Allows(attributes, r));
    }

    [Test]
    public void EveryObject_CarriesTheBootstrappingLabelAndAutoUpdate()
    {
        foreach (var obj in AllObjects())
        {
            Assert.That((string?)obj["metadata"]!["labels"]![BootstrapPolicy.BootstrappingLabel], Is.EqualTo("rbac-defaults"), Name(obj));
            Assert.That((string?)obj["metadata"]!["annotations"]![BootstrapPolicy.AutoUpdateAnnotation], Is.EqualTo("true"), Name(obj));
        }
    }

    [Test]
    public void Names_AreUniquePerKindAndNamespace()
    {
        var keys = AllObjects().Select(o => $"{o["kind"]}/{Namespace(o)}/{Name(o)}").ToList();
        Assert.That(keys, Is.Unique);
        // kube 1.34 with default feature gates: 31 roles for users and components, 37 controller roles.
        Assert.That(BootstrapPolicy.ClusterRoles(), Has.Count.EqualTo(68));
        Assert.That(BootstrapPolicy.ClusterRoleBindings(), Has.Count.EqualTo(12 + 37));
        Assert.That((BootstrapPolicy.Roles().Count, BootstrapPolicy.RoleBindings().Count), Is.EqualTo((7, 7)));
    }

    [Test]
    public void EveryBinding_RefersToARoleOfThePolicy()
    {
        var clusterRoles = BootstrapPolicy.ClusterRoles().Select(Name).ToHashSet();
        foreach (var binding in BootstrapPolicy.ClusterRoleBindings())
        {
            Assert.That((string?)binding["roleRef"]!["kind"], Is.EqualTo("ClusterRole"), Name(binding));
            Assert.That(clusterRoles, Does.Contain((string)binding["roleRef"]!["name"]!), Name(binding));
        }
        var roles = BootstrapPolicy.Roles().Select(r => (Namespace(r), Name(r))).ToHashSet();
        foreach (var binding in BootstrapPolicy.RoleBindings())
        {
            Assert.That((string?)binding["roleRef"]!["kind"], Is.EqualTo("Role"), Name(binding));
            Assert.That(roles, Does.Contain((Namespace(binding), (string)binding["roleRef"]!["name"]!)), Name(binding));
        }
        Assert.That(BootstrapPolicy.Roles().Concat(BootstrapPolicy.RoleBindings()).Select(Namespace).Distinct(), Is.EquivalentTo(BootstrapPolicy.Namespaces));
    }

    [Test]
    public void ControllerRoles_AreBoundToTheirServiceAccountsInKubeSystem()
    {
        var controllers = BootstrapPolicy.ClusterRoles().Select(Name).Where(n => n.StartsWith("system:controller:", StringComparison.Ordinal)).ToList();
        Assert.That(controllers, Is.SupersetOf(new[]
        {
            "system:controller:deployment-controller", "system:controller:generic-garbage-collector", "system:controller:namespace-controller",
            "system:controller:service-cidrs-controller", "system:controller:resource-claim-controller", "system:controller:legacy-service-account-token-cleaner",
            "system:controller:validatingadmissionpolicy-status-controller", "system:controller:root-ca-cert-publisher",
        }));
        // Controllers behind default-off gates in 1.34 have no role.
        Assert.That(controllers, Has.None.EqualTo("system:controller:podcertificaterequestcleaner"));
        foreach (var name in controllers)
        {
            var binding = BootstrapPolicy.ClusterRoleBindings().Single(b => Name(b) == name);
            var subject = binding["subjects"]!.AsArray().Single()!;
            Assert.That(((string?)subject["kind"], (string?)subject["namespace"], (string?)subject["name"]),
                Is.EqualTo(("ServiceAccount", "kube-system", name["system:controller:".Length..])), name);
        }
    }

    [Test]
    public void ComponentBindings_NameKubesSubjects()
    {
        static string Subjects(string binding) => string.Join(",", BootstrapPolicy.ClusterRoleBindings().Single(b => Name(b) == binding)["subjects"]?.AsArray()
            .Select(s => $"{s!["kind"]}:{(s["namespace"] is { } ns ? ns + "/" : "")}{s["name"]}") ?? []);
        Assert.Multiple(() =>
        {
            Assert.That(Subjects("system:kube-scheduler"), Is.EqualTo("User:system:kube-scheduler"));
            Assert.That(Subjects("system:volume-scheduler"), Is.EqualTo("User:system:kube-scheduler"));
            Assert.That(Subjects("system:kube-controller-manager"), Is.EqualTo("User:system:kube-controller-manager"));
            Assert.That(Subjects("system:node-proxier"), Is.EqualTo("User:system:kube-proxy"));
            Assert.That(Subjects("system:monitoring"), Is.EqualTo("Group:system:monitoring"));
            Assert.That(Subjects("system:kube-dns"), Is.EqualTo("ServiceAccount:kube-system/kube-dns"));
            Assert.That(Subjects("system:node"), Is.Empty, "nodes are authorized by the Node authorizer since 1.8");
        });
    }

    [Test]
    public void SpotChecks_MatchKubesRules()
    {
        var scheduler = ClusterRole("system:kube-scheduler");
        var deployments = ClusterRole("system:controller:deployment-controller");
        var proxier = ClusterRole("system:node-proxier");
        var kcm = ClusterRole("system:kube-controller-manager");
        Assert.Multiple(() =>
        {
            Assert.That(Allows(scheduler, "create", "", "bindings"), Is.True);
            Assert.That(Allows(scheduler, "create", "", "pods/binding"), Is.True);
            Assert.That(Allows(scheduler, "update", "", "pods/status"), Is.True);
            Assert.That(Allows(scheduler, "update", "coordination.k8s.io", "leases", "kube-scheduler"), Is.True);
            Assert.That(Allows(scheduler, "update", "coordination.k8s.io", "leases", "someone-else"), Is.False);
            Assert.That(Allows(scheduler, "create", "", "pods"), Is.False);
            Assert.That(Allows(deployments, "update", "apps", "deployments/status"), Is.True);
            Assert.That(Allows(deployments, "create", "apps", "replicasets"), Is.True);
            Assert.That(Allows(deployments, "create", "", "pods"), Is.False);
            Assert.That(Allows(proxier, "list", "discovery.k8s.io", "endpointslices"), Is.True);
            Assert.That(Allows(proxier, "create", "discovery.k8s.io", "endpointslices"), Is.False);
            Assert.That(Allows(kcm, "list", "apps", "deployments"), Is.True);
            Assert.That(Allows(kcm, "delete", "apps", "deployments"), Is.False);
            Assert.That(Allows(ClusterRole("system:controller:disruption-controller"), "get", "apps", "statefulsets/scale"), Is.True);
            Assert.That(Allows(ClusterRole("system:certificates.k8s.io:kubelet-serving-approver"), "approve", "certificates.k8s.io", "signers", "kubernetes.io/kubelet-serving"), Is.True);
            Assert.That(Allows(ClusterRole("system:certificates.k8s.io:kubelet-serving-approver"), "approve", "certificates.k8s.io", "signers", "kubernetes.io/legacy-unknown"), Is.False);
        });
    }

    [Test]
    public void View_DoesNotReadSecrets_EditDoes()
    {
        var roles = BootstrapPolicy.ClusterRoles().ToList();
        var view = (JsonObject)ClusterRole("view").DeepClone();
        view["rules"] = ClusterRoleAggregator.AggregatedRules(view, roles);
        var edit = ClusterRole("system:aggregate-to-edit");
        Assert.Multiple(() =>
        {
            Assert.That(Allows(view, "get", "", "configmaps"), Is.True);
            Assert.That(Allows(view, "get", "", "secrets"), Is.False);
            Assert.That(Allows(view, "list", "", "secrets"), Is.False);
            Assert.That(Allows(edit, "get", "", "secrets"), Is.True);
            Assert.That(Allows(edit, "create", "", "serviceaccounts/token"), Is.True);
            Assert.That(Allows(edit, "create", "", "pods/eviction"), Is.True);
            Assert.That(Allows(edit, "update", "coordination.k8s.io", "leases"), Is.True);
            Assert.That(Allows(view, "list", "discovery.k8s.io", "endpointslices"), Is.True);
        });
    }

    [Test]
    public void NamespaceRoles_GrantTheAuthenticationConfigMapOnly()
    {
        var reader = BootstrapPolicy.Roles().Single(r => Name(r) == "extension-apiserver-authentication-reader");
        Assert.Multiple(() =>
        {
            Assert.That(Namespace(reader), Is.EqualTo("kube-system"));
            Assert.That(Allows(reader, "get", "", "configmaps", "extension-apiserver-authentication"), Is.True);
            Assert.That(Allows(reader, "get", "", "configmaps", "other"), Is.False);
            Assert.That(BootstrapPolicy.Roles().Count(r => Name(r) == "system:controller:bootstrap-signer"), Is.EqualTo(2), "kube-system and kube-public");
        });
    }
}
