using System.Text.Json.Nodes;
using static Apiserver.Kube.Authorization.Bootstrap.PolicyBuilder;

namespace Apiserver.Kube.Authorization.Bootstrap;

/// <summary>
/// kube 1.34's <c>system:controller:*</c> ClusterRoles (<c>controller_policy.go</c>) for the
/// controllers kube-controller-manager runs under their own service accounts, as a table of
/// (controller, rules). Each role is bound to the service account <c>kube-system/&lt;controller&gt;</c>.
/// Roles of controllers behind default-off feature gates (pod certificate requests, cluster trust
/// bundles, device taints, storage version migration) are left out, as kube leaves them out.
/// </summary>
internal static class ControllerRoles
{
    /// <summary>The prefix of every controller role's name.</summary>
    public const string Prefix = "system:controller:";

    private static readonly string[] Update = ["update"];
    private static readonly string[] PatchUpdate = ["patch", "update"];
    private static readonly string[] AllButDeleteCollection = ["get", "list", "watch", "create", "update", "patch", "delete"];

    /// <summary>Each controller with its rules, in kube's (alphabetical) order.</summary>
    public static IEnumerable<(string Controller, JsonObject[] Rules)> Table() =>
    [
        ("attachdetach-controller",
        [
            CoreRule(["list", "watch"], "persistentvolumeclaims", "persistentvolumes"),
            CoreRule(Read, "nodes"),
            CoreRule(PatchUpdate, "nodes/status"),
            CoreRule(["list", "watch"], "pods"),
            EventsRule(),
            Rule(["create", "delete", "get", "list", "watch"], [Storage], ["volumeattachments"]),
            Rule(Read, [Storage], ["csidrivers"]),
            Rule(Read, [Storage], ["csinodes"]),
        ]),
        ("certificate-controller",
        [
            Rule(["delete", "get", "list", "watch"], [Certificates], ["certificatesigningrequests"]),
            Rule(Update, [Certificates], ["certificatesigningrequests/approval", "certificatesigningrequests/status"]),
            Rule(["approve"], [Certificates], ["signers"], ["kubernetes.io/kube-apiserver-client-kubelet"]),
            Rule(["sign"], [Certificates], ["signers"], ["kubernetes.io/kube-apiserver-client", "kubernetes.io/kube-apiserver-client-kubelet", "kubernetes.io/kubelet-serving", "kubernetes.io/legacy-unknown"]),
            Rule(["create"], [AuthorizationGroup], ["subjectaccessreviews"]),
            EventsRule(),
        ]),
        ("clusterrole-aggregation-controller",
        [
            // It must be able to write any rule into an aggregated role.
            Rule(["escalate", "get", "list", "patch", "update", "watch"], [BootstrapPolicy.RbacGroup], ["clusterroles"]),
        ]),
        ("cronjob-controller",
        [
            Rule(["get", "list", "update", "watch"], [Batch], ["cronjobs"]),
            Rule(AllButDeleteCollection, [Batch], ["jobs"]),
            Rule(Update, [Batch], ["cronjobs/status"]),
            Rule(Update, [Batch], ["cronjobs/finalizers"]),
            CoreRule(["delete", "list", "watch"], "pods"),
            EventsRule(),
        ]),
        ("daemon-set-controller",
        [
            Rule(Read, [Apps, Extensions], ["daemonsets"]),
            Rule(Update, [Apps, Extensions], ["daemonsets/status"]),
            Rule(Update, [Apps, Extensions], ["daemonsets/finalizers"]),
            CoreRule(["list", "watch"], "nodes"),
            CoreRule(["create", "delete", "list", "patch", "watch"], "pods"),
            CoreRule(["create"], "pods/binding"),
            Rule(AllButDeleteCollection, [Apps], ["controllerrevisions"]),
            EventsRule(),
        ]),
        ("deployment-controller",
        [
            Rule(["get", "list", "update", "watch"], [Apps, Extensions], ["deployments"]),
            Rule(Update, [Apps, Extensions], ["deployments/status"]),
            Rule(Update, [Apps, Extensions], ["deployments/finalizers"]),
            Rule(AllButDeleteCollection, [Apps, Extensions], ["replicasets"]),
            CoreRule(["get", "list", "update", "watch"], "pods"),
            EventsRule(),
        ]),
        ("disruption-controller",
        [
            Rule(Read, [Apps, Extensions], ["deployments"]),
            Rule(Read, [Apps, Extensions], ["replicasets"]),
            CoreRule(Read, "replicationcontrollers"),
            Rule(Read, [Policy], ["poddisruptionbudgets"]),
            Rule(Read, [Apps], ["statefulsets"]),
            Rule(Update, [Policy], ["poddisruptionbudgets/status"]),
            CoreRule(PatchUpdate, "pods/status"),
            Rule(["get"], ["*"], ["*/scale"]),
            EventsRule(),
        ]),
        ("endpoint-controller",
        [
            CoreRule(Read, "pods", "services"),
            CoreRule(["create", "delete", "get", "list", "update", "watch"], "endpoints"),
            CoreRule(["create"], "endpoints/restricted"),
            EventsRule(),
        ]),
        ("endpointslice-controller",
        [
            CoreRule(Read, "nodes", "pods", "services"),
            // Owner references with blockOwnerDeletion need the owner's finalizers.
            CoreRule(Update, "services/finalizers"),
            Rule(["create", "delete", "get", "list", "update", "watch"], [Discovery], ["endpointslices"]),
            EventsRule(),
        ]),
        ("endpointslicemirroring-controller",
        [
            CoreRule(Read, "endpoints", "services"),
            CoreRule(Update, "services/finalizers"),
            CoreRule(Update, "endpoints/finalizers"),
            Rule(["create", "delete", "get", "list", "update", "watch"], [Discovery], ["endpointslices"]),
            EventsRule(),
        ]),
        ("ephemeral-volume-controller",
        [
            CoreRule(Read, "pods"),
            CoreRule(Update, "pods/finalizers"),
            CoreRule(["create", "get", "list", "watch"], "persistentvolumeclaims"),
            EventsRule(),
        ]),
        ("expand-controller",
        [
            CoreRule(ReadUpdate, "persistentvolumes"),
            CoreRule(PatchUpdate, "persistentvolumeclaims/status"),
            CoreRule(Read, "persistentvolumeclaims"),
            EventsRule(),
            CoreRule(["get"], "services"),
        ]),
        ("generic-garbage-collector",
        [
            Rule(["delete", "get", "list", "patch", "update", "watch"], ["*"], ["*"]),
            EventsRule(),
        ]),
        ("horizontal-pod-autoscaler",
        [
            Rule(Read, [Autoscaling], ["horizontalpodautoscalers"]),
            Rule(Update, [Autoscaling], ["horizontalpodautoscalers/status"]),
            Rule(["get", "update"], ["*"], ["*/scale"]),
            CoreRule(["list", "watch"], "pods"),
            Rule(Read, ["*"], ["*"]),
            Rule(["list", "watch"], ["metrics.k8s.io"], ["pods"]),
            Rule(Read, ["custom.metrics.k8s.io"], ["*"]),
            Rule(Read, ["external.metrics.k8s.io"], ["*"]),
            EventsRule(),
        ]),
        ("job-controller",
        [
            Rule(ReadUpdate, [Batch], ["jobs"]),
            Rule(Update, [Batch], ["jobs/status"]),
            Rule(Update, [Batch], ["jobs/finalizers"]),
            CoreRule(["create", "delete", "list", "patch", "watch"], "pods"),
            EventsRule(),
        ]),
        ("legacy-service-account-token-cleaner",
        [
            Rule(["get"], [Core], ["configmaps"], ["kube-apiserver-legacy-service-account-token-tracking"]),
            CoreRule(["delete", "patch"], "secrets"),
        ]),
        ("namespace-controller",
        [
            CoreRule(["delete", "get", "list", "watch"], "namespaces"),
            CoreRule(Update, "namespaces/finalize", "namespaces/status"),
            Rule(["delete", "deletecollection", "get", "list", "watch"], ["*"], ["*"]),
        ]),
        ("node-controller",
        [
            CoreRule(["delete", "get", "list", "patch", "update", "watch"], "nodes"),
            CoreRule(PatchUpdate, "nodes/status"),
            CoreRule(PatchUpdate, "pods/status"),
            CoreRule(["delete", "get", "list", "watch"], "pods"),
            EventsRule(),
        ]),
        ("persistent-volume-binder",
        [
            CoreRule(["create", "delete", "get", "list", "update", "watch"], "persistentvolumes"),
            CoreRule(Update, "persistentvolumes/status"),
            CoreRule(["get", "list", "update", "watch"], "persistentvolumeclaims"),
            CoreRule(Update, "persistentvolumeclaims/status"),
            CoreRule(["create", "delete", "get", "list", "watch"], "pods"),
            Rule(Read, [Storage], ["storageclasses"]),
            CoreRule(["list", "watch"], "nodes"),
            EventsRule(),
            CoreRule(["watch"], "events"),
            CoreRule(["get"], "services"),
        ]),
        ("pod-garbage-collector",
        [
            CoreRule(["delete", "list", "watch"], "pods"),
            CoreRule(Read, "nodes"),
            CoreRule(["patch"], "pods/status"),
        ]),
        ("pv-protection-controller",
        [
            CoreRule(["get", "list", "update", "watch"], "persistentvolumes"),
            EventsRule(),
        ]),
        ("pvc-protection-controller",
        [
            CoreRule(["get", "list", "update", "watch"], "persistentvolumeclaims"),
            CoreRule(Read, "pods"),
            EventsRule(),
        ]),
        ("replicaset-controller",
        [
            Rule(["get", "list", "update", "watch"], [Apps, Extensions], ["replicasets"]),
            Rule(Update, [Apps, Extensions], ["replicasets/status"]),
            Rule(Update, [Apps, Extensions], ["replicasets/finalizers"]),
            CoreRule(["create", "delete", "list", "patch", "watch"], "pods"),
            EventsRule(),
        ]),
        ("replication-controller",
        [
            CoreRule(["get", "list", "update", "watch"], "replicationcontrollers"),
            CoreRule(Update, "replicationcontrollers/status"),
            CoreRule(Update, "replicationcontrollers/finalizers"),
            CoreRule(["create", "delete", "list", "patch", "watch"], "pods"),
            EventsRule(),
        ]),
        // DynamicResourceAllocation (GA in 1.34).
        ("resource-claim-controller",
        [
            CoreRule(Read, "pods"),
            CoreRule(Update, "pods/finalizers"),
            Rule(["create", "delete", "get", "list", "watch"], [Resource], ["resourceclaims"]),
            Rule(PatchUpdate, [Resource], ["resourceclaims", "resourceclaims/status"]),
            CoreRule(PatchUpdate, "pods/status"),
            EventsRule(),
        ]),
        ("resourcequota-controller",
        [
            Rule(["list", "watch"], ["*"], ["*"]),
            CoreRule(Update, "resourcequotas/status"),
            EventsRule(),
        ]),
        ("root-ca-cert-publisher",
        [
            CoreRule(["create", "update"], "configmaps"),
            EventsRule(),
        ]),
        ("route-controller",
        [
            CoreRule(["list", "watch"], "nodes"),
            CoreRule(["patch"], "nodes/status"),
            EventsRule(),
        ]),
        ("selinux-warning-controller",
        [
            EventsRule(),
            CoreRule(Read, "persistentvolumes"),
            CoreRule(Read, "persistentvolumeclaims"),
            CoreRule(Read, "pods"),
            Rule(Read, [Storage], ["csidrivers"]),
        ]),
        ("service-account-controller",
        [
            CoreRule(["create"], "serviceaccounts"),
            EventsRule(),
        ]),
        ("service-cidrs-controller",
        [
            Rule(ReadUpdate, [Networking], ["servicecidrs"]),
            Rule(PatchUpdate, [Networking], ["servicecidrs/finalizers"]),
            Rule(PatchUpdate, [Networking], ["servicecidrs/status"]),
            Rule(Read, [Networking], ["ipaddresses"]),
            EventsRule(),
        ]),
        ("service-controller",
        [
            CoreRule(Read, "services"),
            CoreRule(PatchUpdate, "services/status"),
            CoreRule(["list", "watch"], "nodes"),
            EventsRule(),
        ]),
        ("statefulset-controller",
        [
            CoreRule(["list", "watch"], "pods"),
            Rule(Read, [Apps], ["statefulsets"]),
            Rule(Update, [Apps], ["statefulsets/status"]),
            Rule(Update, [Apps], ["statefulsets/finalizers"]),
            CoreRule(["create", "delete", "get", "patch", "update"], "pods"),
            Rule(AllButDeleteCollection, [Apps], ["controllerrevisions"]),
            CoreRule(["create", "get", "list", "watch"], "persistentvolumeclaims"),
            EventsRule(),
            CoreRule(["delete", "update"], "persistentvolumeclaims"),
            CoreRule(Update, "pods/finalizers"),
        ]),
        ("ttl-after-finished-controller",
        [
            Rule(["delete", "get", "list", "watch"], [Batch], ["jobs"]),
            EventsRule(),
        ]),
        ("ttl-controller",
        [
            CoreRule(["list", "patch", "update", "watch"], "nodes"),
            EventsRule(),
        ]),
        ("validatingadmissionpolicy-status-controller",
        [
            Rule(Read, ["admissionregistration.k8s.io"], ["validatingadmissionpolicies"]),
            Rule(["get", "patch", "update"], ["admissionregistration.k8s.io"], ["validatingadmissionpolicies/status"]),
            EventsRule(),
        ]),
        // VolumeAttributesClass (GA in 1.34).
        ("volumeattributesclass-protection-controller",
        [
            CoreRule(Read, "persistentvolumeclaims"),
            CoreRule(Read, "persistentvolumes"),
            Rule(["get", "list", "update", "watch"], [Storage], ["volumeattributesclasses"]),
            EventsRule(),
        ]),
    ];

    /// <summary>The controller roles.</summary>
    public static IEnumerable<JsonObject> Roles() => Table().Select(c => ClusterRole(Prefix + c.Controller, c.Rules));

    /// <summary>Each role bound to its controller's service account in kube-system.</summary>
    public static IEnumerable<JsonObject> Bindings() =>
        Table().Select(c => ClusterRoleBinding(Prefix + c.Controller, Prefix + c.Controller, [ServiceAccount("kube-system", c.Controller)]));
}
