using System.Text.Json.Nodes;

namespace Apiserver.Kube.Authorization.Bootstrap;

/// <summary>
/// The RBAC objects kube-apiserver 1.34 reconciles at start-up (the <c>rbac/bootstrap-roles</c>
/// post-start hook) with its default feature gates: the ClusterRoles for users, nodes and system
/// components, the <c>system:controller:*</c> roles of kube-controller-manager's controllers,
/// their ClusterRoleBindings, and the Roles and RoleBindings in kube-system and kube-public.
/// Every call returns fresh objects (callers may modify them).
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

    /// <summary>The default ClusterRoles: the system roles, then the controller roles.</summary>
    public static IReadOnlyList<JsonObject> ClusterRoles() => [.. SystemClusterRoles.Roles(), .. ControllerRoles.Roles()];

    /// <summary>The default ClusterRoleBindings.</summary>
    public static IReadOnlyList<JsonObject> ClusterRoleBindings() => [.. SystemClusterRoles.Bindings(), .. ControllerRoles.Bindings()];

    /// <summary>The default Roles (each with its <c>metadata.namespace</c>).</summary>
    public static IReadOnlyList<JsonObject> Roles() => [.. NamespaceRoles.Roles()];

    /// <summary>The default RoleBindings (each with its <c>metadata.namespace</c>).</summary>
    public static IReadOnlyList<JsonObject> RoleBindings() => [.. NamespaceRoles.Bindings()];

    /// <summary>The namespaces the default Roles and RoleBindings live in.</summary>
    public static IReadOnlyList<string> Namespaces => NamespaceRoles.Namespaces;
}
