using System.Text.Json.Nodes;
using static Apiserver.Kube.Authorization.Bootstrap.PolicyBuilder;

namespace Apiserver.Kube.Authorization.Bootstrap;

/// <summary>
/// kube's namespaced bootstrap Roles and RoleBindings (<c>namespace_policy.go</c>) in kube-system
/// and kube-public: the authentication configmap reader, leader election of the controller
/// manager and scheduler, and the bootstrap-token controllers.
/// </summary>
internal static class NamespaceRoles
{
    private const string KubeSystem = "kube-system";
    private const string KubePublic = "kube-public";
    private static readonly string[] LeaderLocking = ["create", "get", "list", "update", "watch"];

    /// <summary>The namespaces the objects live in.</summary>
    public static readonly string[] Namespaces = [KubeSystem, KubePublic];

    public static IEnumerable<JsonObject> Roles() =>
    [
        Role(KubePublic, "system:controller:bootstrap-signer",
        [
            CoreRule(Read, "configmaps"),
            Rule(["update"], [Core], ["configmaps"], ["cluster-info"]),
            EventsRule(),
        ]),
        Role(KubeSystem, "extension-apiserver-authentication-reader",
        [
            Rule(Read, [Core], ["configmaps"], ["extension-apiserver-authentication"]),
        ]),
        Role(KubeSystem, "system::leader-locking-kube-controller-manager", LeaderLockingRules()),
        Role(KubeSystem, "system::leader-locking-kube-scheduler", LeaderLockingRules()),
        Role(KubeSystem, "system:controller:bootstrap-signer",
        [
            CoreRule(Read, "secrets"),
        ]),
        Role(KubeSystem, "system:controller:cloud-provider",
        [
            CoreRule(["create", "get", "list", "watch"], "configmaps"),
        ]),
        Role(KubeSystem, "system:controller:token-cleaner",
        [
            CoreRule(["delete", "get", "list", "watch"], "secrets"),
            EventsRule(),
        ]),
    ];

    public static IEnumerable<JsonObject> Bindings() =>
    [
        RoleBinding(KubePublic, "system:controller:bootstrap-signer", "system:controller:bootstrap-signer", [ServiceAccount(KubeSystem, "bootstrap-signer")]),
        RoleBinding(KubeSystem, "system::extension-apiserver-authentication-reader", "extension-apiserver-authentication-reader",
            [User("system:kube-controller-manager"), User("system:kube-scheduler")]),
        RoleBinding(KubeSystem, "system::leader-locking-kube-controller-manager", "system::leader-locking-kube-controller-manager",
            [User("system:kube-controller-manager"), ServiceAccount(KubeSystem, "kube-controller-manager"), ServiceAccount(KubeSystem, "leader-election-controller")]),
        RoleBinding(KubeSystem, "system::leader-locking-kube-scheduler", "system::leader-locking-kube-scheduler",
            [User("system:kube-scheduler"), ServiceAccount(KubeSystem, "kube-scheduler")]),
        RoleBinding(KubeSystem, "system:controller:bootstrap-signer", "system:controller:bootstrap-signer", [ServiceAccount(KubeSystem, "bootstrap-signer")]),
        RoleBinding(KubeSystem, "system:controller:cloud-provider", "system:controller:cloud-provider", [ServiceAccount(KubeSystem, "cloud-provider")]),
        RoleBinding(KubeSystem, "system:controller:token-cleaner", "system:controller:token-cleaner", [ServiceAccount(KubeSystem, "token-cleaner")]),
    ];

    private static JsonObject[] LeaderLockingRules() =>
    [
        Rule(LeaderLocking, [Coordination], ["leases"]),
        Rule(LeaderLocking, [Coordination], ["leasecandidates"]),
    ];
}
