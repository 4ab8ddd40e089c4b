using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Rbac.ClusterRoleBindings;

/// <summary>
/// The <c>clusterrolebindings</c> resource of rbac.authorization.k8s.io/v1: it binds a ClusterRole
/// only, its service account subjects name their namespace, and its <c>roleRef</c> is immutable.
/// </summary>
public static class ClusterRoleBindingResource
{
    private static readonly string[] RoleKinds = ["ClusterRole"];

    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind(RbacValidation.GroupName, "v1", "ClusterRoleBinding"), "clusterrolebindings", "clusterrolebinding", Namespaced: false),
        new BindingStrategy(namespaced: false, RoleKinds))
    {
        Protobuf = RbacV1Messages.ClusterRoleBinding,
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1ClusterRoleBinding)),
        Typed = true,
        Columns = RbacValidation.BindingColumns("clusterRoleBinding",
            "RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error."),
    };
}
