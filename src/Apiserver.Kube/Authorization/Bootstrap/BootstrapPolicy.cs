using System.Text.Json.Nodes;

namespace Apiserver.Kube.Authorization.Bootstrap;

/// <summary>
/// The default ClusterRoles and ClusterRoleBindings kube-apiserver reconciles at start-up (the
/// <c>rbac/bootstrap-roles</c> post-start hook), limited to those that matter without
/// controllers: <c>cluster-admin</c>, the aggregated user-facing roles <c>admin</c>,
/// <c>edit</c>, <c>view</c> with the <c>system:aggregate-to-*</c> roles that feed them, and the
/// discovery, basic-user and public-info roles every user (or everyone) is bound to.
/// </summary>
public static class BootstrapPolicy
{
    /// <summary>The annotation that lets (<c>"true"</c>) or stops (<c>"false"</c>) reconciliation of an object.</summary>
    public const string AutoUpdateAnnotation = "rbac.authorization.kubernetes.io/autoupdate";

    /// <summary>The label every bootstrap object carries.</summary>
    public const string BootstrappingLabel = "kubernetes.io/bootstrapping";

    /// <summary>The value of <see cref="BootstrappingLabel"/>.</summary>
    public const string BootstrappingValue = "rbac-defaults";

    /// <summary>The group name of RBAC subjects of kind User and Group.</summary>
    public const string RbacGroup = "rbac.authorization.k8s.io";

    private const string AggregateToAdmin = "rbac.authorization.k8s.io/aggregate-to-admin";
    private const string AggregateToEdit = "rbac.authorization.k8s.io/aggregate-to-edit";
    private const string AggregateToView = "rbac.authorization.k8s.io/aggregate-to-view";

    private static readonly string[] Read = ["get", "list", "watch"];
    private static readonly string[] ReadWrite = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];
    private static readonly string[] Write = ["create", "update", "patch", "delete", "deletecollection"];

    /// <summary>The default ClusterRoles, as fresh objects (callers may modify them).</summary>
    public static IReadOnlyList<JsonObject> ClusterRoles() =>
    [
        ClusterRole("cluster-admin", null,
        [
            Rule(["*"], ["*"], ["*"]),
            NonResource(["*"], ["*"]),
        ]),
        ClusterRole("system:discovery", null,
        [
            NonResource(["get"], ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"]),
        ]),
        // Read access to the service-account issuer's discovery document and keys.
        ClusterRole("system:service-account-issuer-discovery", null,
        [
            NonResource(["get"], ["/.well-known/openid-configuration", "/.well-known/openid-configuration/", "/openid/v1/jwks", "/openid/v1/jwks/"]),
        ]),
        ClusterRole("system:basic-user", null,
        [
            Rule(["create"], ["authorization.k8s.io"], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]),
            Rule(["create"], ["authentication.k8s.io"], ["selfsubjectreviews"]),
        ]),
        ClusterRole("system:public-info-viewer", null,
        [
            NonResource(["get"], ["/healthz", "/livez", "/readyz", "/version", "/version/"]),
        ]),
        // The user-facing roles: their rules are aggregated from the roles their selectors pick.
        ClusterRole("admin", null, null, AggregateToAdmin),
        ClusterRole("edit", AggregateToAdmin, null, AggregateToEdit),
        ClusterRole("view", AggregateToEdit, null, AggregateToView),
        ClusterRole("system:aggregate-to-admin", AggregateToAdmin,
        [
            Rule(["create"], ["authorization.k8s.io"], ["localsubjectaccessreviews"]),
            Rule(ReadWrite, [RbacGroup], ["rolebindings", "roles"]),
        ]),
        ClusterRole("system:aggregate-to-edit", AggregateToEdit,
        [
            Rule(Read, [""], ["pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"]),
            Rule(["impersonate"], [""], ["serviceaccounts"]),
            Rule(Write, [""], ["pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"]),
            Rule(["create"], [""], ["pods/eviction"]),
            Rule(Write, [""], ["configmaps", "events", "persistentvolumeclaims", "replicationcontrollers", "replicationcontrollers/scale", "secrets", "serviceaccounts", "services", "services/proxy"]),
            Rule(["create"], [""], ["serviceaccounts/token"]),
            Rule(Write, ["apps"], ["daemonsets", "deployments", "deployments/rollback", "deployments/scale", "replicasets", "replicasets/scale", "statefulsets", "statefulsets/scale"]),
            Rule(Write, ["autoscaling"], ["horizontalpodautoscalers"]),
            Rule(Write, ["batch"], ["cronjobs", "jobs"]),
            Rule(Write, ["extensions"], ["daemonsets", "deployments", "deployments/rollback", "deployments/scale", "ingresses", "networkpolicies", "replicasets", "replicasets/scale", "replicationcontrollers/scale"]),
            Rule(Write, ["policy"], ["poddisruptionbudgets"]),
            Rule(Write, ["networking.k8s.io"], ["ingresses", "networkpolicies"]),
            Rule(ReadWrite, ["coordination.k8s.io"], ["leases"]),
        ]),
        ClusterRole("system:aggregate-to-view", AggregateToView,
        [
            Rule(Read, [""], ["configmaps", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "pods", "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services", "services/status"]),
            Rule(Read, [""], ["bindings", "events", "limitranges", "namespaces/status", "pods/log", "pods/status", "replicationcontrollers/status", "resourcequotas", "resourcequotas/status"]),
            Rule(Read, [""], ["namespaces"]),
            Rule(Read, ["discovery.k8s.io"], ["endpointslices"]),
            Rule(Read, ["apps"], ["controllerrevisions", "daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status", "replicasets", "replicasets/scale", "replicasets/status", "statefulsets", "statefulsets/scale", "statefulsets/status"]),
            Rule(Read, ["autoscaling"], ["horizontalpodautoscalers", "horizontalpodautoscalers/status"]),
            Rule(Read, ["batch"], ["cronjobs", "cronjobs/status", "jobs", "jobs/status"]),
            Rule(Read, ["extensions"], ["daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status", "ingresses", "ingresses/status", "networkpolicies", "replicasets", "replicasets/scale", "replicasets/status", "replicationcontrollers/scale"]),
            Rule(Read, ["policy"], ["poddisruptionbudgets", "poddisruptionbudgets/status"]),
            Rule(Read, ["networking.k8s.io"], ["ingresses", "ingresses/status", "networkpolicies"]),
        ]),
        ClusterRole("system:auth-delegator", null,
        [
            Rule(["create"], ["authentication.k8s.io"], ["tokenreviews"]),
            Rule(["create"], ["authorization.k8s.io"], ["subjectaccessreviews"]),
        ]),
    ];

    /// <summary>The default ClusterRoleBindings, as fresh objects.</summary>
    public static IReadOnlyList<JsonObject> ClusterRoleBindings() =>
    [
        ClusterRoleBinding("cluster-admin", "cluster-admin", ["system:masters"]),
        ClusterRoleBinding("system:discovery", "system:discovery", ["system:authenticated"]),
        ClusterRoleBinding("system:service-account-issuer-discovery", "system:service-account-issuer-discovery", ["system:serviceaccounts"]),
        ClusterRoleBinding("system:basic-user", "system:basic-user", ["system:authenticated"]),
        ClusterRoleBinding("system:public-info-viewer", "system:public-info-viewer", ["system:authenticated", "system:unauthenticated"]),
    ];

    private static JsonObject Metadata(string name, string? aggregateTo)
    {
        var labels = new JsonObject { [BootstrappingLabel] = BootstrappingValue };
        if (aggregateTo is not null)
        {
            labels[aggregateTo] = "true";
        }
        return new JsonObject
        {
            ["name"] = name,
            ["labels"] = labels,
            ["annotations"] = new JsonObject { [AutoUpdateAnnotation] = "true" },
        };
    }

    private static JsonObject ClusterRole(string name, string? aggregateTo, JsonObject[]? rules, string? aggregateFrom = null)
    {
        var role = new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = "ClusterRole",
            ["metadata"] = Metadata(name, aggregateTo),
        };
        if (aggregateFrom is not null)
        {
            role["aggregationRule"] = new JsonObject
            {
                ["clusterRoleSelectors"] = new JsonArray(new JsonObject { ["matchLabels"] = new JsonObject { [aggregateFrom] = "true" } }),
            };
        }
        role["rules"] = new JsonArray([.. rules ?? []]);
        return role;
    }

    private static JsonObject ClusterRoleBinding(string name, string role, string[] groups) => new()
    {
        ["apiVersion"] = "rbac.authorization.k8s.io/v1",
        ["kind"] = "ClusterRoleBinding",
        ["metadata"] = Metadata(name, null),
        ["roleRef"] = new JsonObject { ["apiGroup"] = RbacGroup, ["kind"] = "ClusterRole", ["name"] = role },
        ["subjects"] = new JsonArray([.. groups.Select(g => (JsonNode)new JsonObject { ["apiGroup"] = RbacGroup, ["kind"] = "Group", ["name"] = g })]),
    };

    private static JsonObject Rule(string[] verbs, string[] groups, string[] resources) => new()
    {
        ["verbs"] = Array(verbs),
        ["apiGroups"] = Array(groups),
        ["resources"] = Array(resources),
    };

    private static JsonObject NonResource(string[] verbs, string[] urls) => new()
    {
        ["verbs"] = Array(verbs),
        ["nonResourceURLs"] = Array(urls),
    };

    private static JsonArray Array(string[] values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
}
