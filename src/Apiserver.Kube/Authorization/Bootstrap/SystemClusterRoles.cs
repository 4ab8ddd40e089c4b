using System.Text.Json.Nodes;
using static Apiserver.Kube.Authorization.Bootstrap.PolicyBuilder;

namespace Apiserver.Kube.Authorization.Bootstrap;

/// <summary>
/// kube 1.34's ClusterRoles for users and system components (<c>policy.go</c>) and their
/// bindings, with the rules its default feature gates switch on (DynamicResourceAllocation and
/// KubeletServiceAccountTokenForCredentialProviders; not ClusterTrustBundle or
/// PodCertificateRequest, which are off by default).
/// </summary>
internal static class SystemClusterRoles
{
    public const string AggregateToAdmin = "rbac.authorization.k8s.io/aggregate-to-admin";
    public const string AggregateToEdit = "rbac.authorization.k8s.io/aggregate-to-edit";
    public const string AggregateToView = "rbac.authorization.k8s.io/aggregate-to-view";

    private const string KubeSystem = "kube-system";

    public static IEnumerable<JsonObject> Roles() =>
    [
        ClusterRole("cluster-admin",
        [
            Rule(["*"], ["*"], ["*"]),
            NonResource(["*"], ["*"]),
        ]),
        ClusterRole("system:discovery",
        [
            NonResource(["get"], ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"]),
        ]),
        ClusterRole("system:monitoring",
        [
            NonResource(["get"], ["/healthz", "/healthz/*", "/livez", "/livez/*", "/metrics", "/metrics/slis", "/readyz", "/readyz/*"]),
        ]),
        ClusterRole("system:basic-user",
        [
            Rule(["create"], [AuthorizationGroup], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]),
            Rule(["create"], [AuthenticationGroup], ["selfsubjectreviews"]),
        ]),
        ClusterRole("system:public-info-viewer",
        [
            NonResource(["get"], ["/healthz", "/livez", "/readyz", "/version", "/version/"]),
        ]),
        // The user-facing roles: their rules are aggregated from the roles their selectors pick.
        ClusterRole("admin", null, aggregateFrom: AggregateToAdmin),
        ClusterRole("edit", null, AggregateToAdmin, AggregateToEdit),
        ClusterRole("view", null, AggregateToEdit, AggregateToView),
        ClusterRole("system:aggregate-to-admin",
        [
            Rule(["create"], [AuthorizationGroup], ["localsubjectaccessreviews"]),
            Rule(ReadWrite, [BootstrapPolicy.RbacGroup], ["rolebindings", "roles"]),
        ], AggregateToAdmin),
        ClusterRole("system:aggregate-to-edit", AggregateToEditRules(), AggregateToEdit),
        ClusterRole("system:aggregate-to-view", AggregateToViewRules(), AggregateToView),
        ClusterRole("system:heapster",
        [
            CoreRule(Read, "events", "namespaces", "nodes", "pods"),
            Rule(Read, [Extensions], ["deployments"]),
        ]),
        ClusterRole("system:node", NodeRules()),
        ClusterRole("system:node-problem-detector",
        [
            CoreRule(["get"], "nodes"),
            CoreRule(["patch"], "nodes/status"),
            EventsRule(),
        ]),
        ClusterRole("system:kubelet-api-admin",
        [
            CoreRule(Read, "nodes"),
            CoreRule(["proxy"], "nodes"),
            CoreRule(["*"], "nodes/log", "nodes/metrics", "nodes/proxy", "nodes/stats"),
        ]),
        ClusterRole("system:node-bootstrapper",
        [
            Rule(["create", "get", "list", "watch"], [Certificates], ["certificatesigningrequests"]),
        ]),
        ClusterRole("system:auth-delegator",
        [
            Rule(["create"], [AuthenticationGroup], ["tokenreviews"]),
            Rule(["create"], [AuthorizationGroup], ["subjectaccessreviews"]),
        ]),
        ClusterRole("system:kube-aggregator",
        [
            CoreRule(Read, "endpoints", "services"),
        ]),
        ClusterRole("system:kube-controller-manager",
        [
            EventsRule(),
            Rule(["create"], [Coordination], ["leases"]),
            Rule(["get", "update"], [Coordination], ["leases"], ["kube-controller-manager"]),
            CoreRule(["create"], "secrets", "serviceaccounts"),
            CoreRule(["delete"], "secrets"),
            CoreRule(["get"], "configmaps", "namespaces", "secrets", "serviceaccounts"),
            CoreRule(["update"], "secrets", "serviceaccounts"),
            Rule(["create"], [AuthenticationGroup], ["tokenreviews"]),
            Rule(["create"], [AuthorizationGroup], ["subjectaccessreviews"]),
            // The shared informers of every controller.
            Rule(["list", "watch"], ["*"], ["*"]),
            CoreRule(["create"], "serviceaccounts/token"),
        ]),
        ClusterRole("system:kube-dns",
        [
            CoreRule(["list", "watch"], "endpoints", "services"),
        ]),
        ClusterRole("system:persistent-volume-provisioner",
        [
            CoreRule(["create", "delete", "get", "list", "watch"], "persistentvolumes"),
            CoreRule(["get", "list", "update", "watch"], "persistentvolumeclaims"),
            Rule(Read, [Storage], ["storageclasses"]),
            CoreRule(["watch"], "events"),
            EventsRule(),
        ]),
        ClusterRole("system:certificates.k8s.io:certificatesigningrequests:nodeclient",
        [
            Rule(["create"], [Certificates], ["certificatesigningrequests/nodeclient"]),
        ]),
        ClusterRole("system:certificates.k8s.io:certificatesigningrequests:selfnodeclient",
        [
            Rule(["create"], [Certificates], ["certificatesigningrequests/selfnodeclient"]),
        ]),
        SignerApprover("system:certificates.k8s.io:kube-apiserver-client-approver", "kubernetes.io/kube-apiserver-client"),
        SignerApprover("system:certificates.k8s.io:kube-apiserver-client-kubelet-approver", "kubernetes.io/kube-apiserver-client-kubelet"),
        SignerApprover("system:certificates.k8s.io:kubelet-serving-approver", "kubernetes.io/kubelet-serving"),
        SignerApprover("system:certificates.k8s.io:legacy-unknown-approver", "kubernetes.io/legacy-unknown"),
        ClusterRole("system:kube-scheduler", SchedulerRules()),
        ClusterRole("system:volume-scheduler",
        [
            CoreRule(ReadUpdate, "persistentvolumes"),
            Rule(Read, [Storage], ["storageclasses"]),
            CoreRule(ReadUpdate, "persistentvolumeclaims"),
        ]),
        ClusterRole("system:node-proxier",
        [
            CoreRule(["list", "watch"], "endpoints", "services"),
            CoreRule(Read, "nodes"),
            EventsRule(),
            Rule(["list", "watch"], [Discovery], ["endpointslices"]),
        ]),
        ClusterRole("system:service-account-issuer-discovery",
        [
            NonResource(["get"], ["/.well-known/openid-configuration", "/.well-known/openid-configuration/", "/openid/v1/jwks", "/openid/v1/jwks/"]),
        ]),
    ];

    public static IEnumerable<JsonObject> Bindings() =>
    [
        ClusterRoleBinding("cluster-admin", "cluster-admin", [Group("system:masters")]),
        ClusterRoleBinding("system:monitoring", "system:monitoring", [Group("system:monitoring")]),
        ClusterRoleBinding("system:discovery", "system:discovery", [Group("system:authenticated")]),
        ClusterRoleBinding("system:basic-user", "system:basic-user", [Group("system:authenticated")]),
        ClusterRoleBinding("system:public-info-viewer", "system:public-info-viewer", [Group("system:authenticated"), Group("system:unauthenticated")]),
        ClusterRoleBinding("system:node-proxier", "system:node-proxier", [User("system:kube-proxy")]),
        ClusterRoleBinding("system:kube-controller-manager", "system:kube-controller-manager", [User("system:kube-controller-manager")]),
        ClusterRoleBinding("system:kube-dns", "system:kube-dns", [ServiceAccount(KubeSystem, "kube-dns")]),
        ClusterRoleBinding("system:kube-scheduler", "system:kube-scheduler", [User("system:kube-scheduler")]),
        ClusterRoleBinding("system:volume-scheduler", "system:volume-scheduler", [User("system:kube-scheduler")]),
        // Nodes get their access from the Node authorizer; the binding stays without subjects.
        ClusterRoleBinding("system:node", "system:node", []),
        ClusterRoleBinding("system:service-account-issuer-discovery", "system:service-account-issuer-discovery", [Group("system:serviceaccounts")]),
    ];

    private static JsonObject SignerApprover(string name, string signer) =>
        ClusterRole(name, [Rule(["approve"], [Certificates], ["signers"], [signer])]);

    private static JsonObject[] AggregateToEditRules() =>
    [
        CoreRule(Read, "pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"),
        CoreRule(["impersonate"], "serviceaccounts"),
        CoreRule(Write, "pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"),
        CoreRule(["create"], "pods/eviction"),
        CoreRule(Write, "configmaps", "events", "persistentvolumeclaims", "replicationcontrollers", "replicationcontrollers/scale", "secrets", "serviceaccounts", "services", "services/proxy"),
        CoreRule(["create"], "serviceaccounts/token"),
        Rule(Write, [Apps], ["daemonsets", "deployments", "deployments/rollback", "deployments/scale", "replicasets", "replicasets/scale", "statefulsets", "statefulsets/scale"]),
        Rule(Write, [Autoscaling], ["horizontalpodautoscalers"]),
        Rule(Write, [Batch], ["cronjobs", "jobs"]),
        Rule(Write, [Extensions], ["daemonsets", "deployments", "deployments/rollback", "deployments/scale", "ingresses", "networkpolicies", "replicasets", "replicasets/scale", "replicationcontrollers/scale"]),
        Rule(Write, [Policy], ["poddisruptionbudgets"]),
        Rule(Write, [Networking], ["ingresses", "networkpolicies"]),
        Rule(ReadWrite, [Coordination], ["leases"]),
    ];

    // view holds no secrets: reading them would let a viewer act as any service account.
    private static JsonObject[] AggregateToViewRules() =>
    [
        CoreRule(Read, "configmaps", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "pods", "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services", "services/status"),
        CoreRule(Read, "bindings", "events", "limitranges", "namespaces/status", "pods/log", "pods/status", "replicationcontrollers/status", "resourcequotas", "resourcequotas/status"),
        CoreRule(Read, "namespaces"),
        Rule(Read, [Discovery], ["endpointslices"]),
        Rule(Read, [Apps], ["controllerrevisions", "daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status", "replicasets", "replicasets/scale", "replicasets/status", "statefulsets", "statefulsets/scale", "statefulsets/status"]),
        Rule(Read, [Autoscaling], ["horizontalpodautoscalers", "horizontalpodautoscalers/status"]),
        Rule(Read, [Batch], ["cronjobs", "cronjobs/status", "jobs", "jobs/status"]),
        Rule(Read, [Extensions], ["daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status", "ingresses", "ingresses/status", "networkpolicies", "replicasets", "replicasets/scale", "replicasets/status", "replicationcontrollers/scale"]),
        Rule(Read, [Policy], ["poddisruptionbudgets", "poddisruptionbudgets/status"]),
        Rule(Read, [Networking], ["ingresses", "ingresses/status", "networkpolicies"]),
    ];

    private static JsonObject[] NodeRules() =>
    [
        Rule(["create"], [AuthenticationGroup], ["tokenreviews"]),
        Rule(["create"], [AuthorizationGroup], ["localsubjectaccessreviews", "subjectaccessreviews"]),
        CoreRule(Read, "services"),
        CoreRule(["create", "get", "list", "watch"], "nodes"),
        CoreRule(["patch", "update"], "nodes/status"),
        CoreRule(["patch", "update"], "nodes"),
        CoreRule(["create", "patch", "update"], "events"),
        CoreRule(Read, "pods"),
        // Mirror pods.
        CoreRule(["create", "delete"], "pods"),
        CoreRule(["patch", "update"], "pods/status"),
        CoreRule(["create"], "pods/eviction"),
        CoreRule(Read, "configmaps", "secrets"),
        CoreRule(["get"], "persistentvolumeclaims", "persistentvolumes"),
        CoreRule(["get"], "endpoints"),
        Rule(["create", "get", "list", "watch"], [Certificates], ["certificatesigningrequests"]),
        Rule(["create", "delete", "get", "patch", "update"], [Coordination], ["leases"]),
        Rule(["get"], [Storage], ["volumeattachments"]),
        CoreRule(["create"], "serviceaccounts/token"),
        CoreRule(["get", "patch", "update"], "persistentvolumeclaims/status"),
        Rule(Read, [Storage], ["csidrivers"]),
        Rule(["create", "delete", "get", "patch", "update"], [Storage], ["csinodes"]),
        Rule(Read, ["node.k8s.io"], ["runtimeclasses"]),
        // DynamicResourceAllocation (GA in 1.34).
        Rule(["get"], [Resource], ["resourceclaims"]),
        Rule(["deletecollection"], [Resource], ["resourceslices"]),
        // KubeletServiceAccountTokenForCredentialProviders (beta, on, in 1.34).
        CoreRule(["get"], "serviceaccounts"),
    ];

    private static JsonObject[] SchedulerRules() =>
    [
        EventsRule(),
        Rule(["create"], [Coordination], ["leases"]),
        Rule(["get", "list", "update", "watch"], [Coordination], ["leases"], ["kube-scheduler"]),
        Rule(ReadWrite, [Coordination], ["leasecandidates"]),
        CoreRule(Read, "nodes"),
        CoreRule(["delete", "get", "list", "watch"], "pods"),
        CoreRule(["create"], "bindings", "pods/binding"),
        CoreRule(["patch", "update"], "pods/status"),
        CoreRule(Read, "replicationcontrollers", "services"),
        Rule(Read, [Apps, Extensions], ["replicasets"]),
        Rule(Read, [Apps], ["statefulsets"]),
        Rule(Read, [Policy], ["poddisruptionbudgets"]),
        CoreRule(Read, "persistentvolumeclaims", "persistentvolumes"),
        Rule(["create"], [AuthenticationGroup], ["tokenreviews"]),
        Rule(["create"], [AuthorizationGroup], ["subjectaccessreviews"]),
        Rule(Read, [Storage], ["csinodes"]),
        Rule(Read, [Storage], ["volumeattachments"]),
        CoreRule(Read, "namespaces"),
        Rule(Read, [Storage], ["csidrivers"]),
        Rule(Read, [Storage], ["csistoragecapacities"]),
        // DynamicResourceAllocation (GA in 1.34).
        Rule(Read, [Resource], ["deviceclasses"]),
        Rule(ReadUpdate, [Resource], ["resourceclaims"]),
        Rule(ReadUpdate, [Resource], ["resourceclaims/status"]),
        CoreRule(ReadUpdate, "pods/finalizers"),
        Rule(Read, [Resource], ["resourceslices"]),
    ];
}
