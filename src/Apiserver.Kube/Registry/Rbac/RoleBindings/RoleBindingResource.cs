using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Rbac.RoleBindings;

/// <summary>The <c>rolebindings</c> resource of rbac.authorization.k8s.io/v1: its <c>roleRef</c> is immutable.</summary>
public static class RoleBindingResource
{
    private static readonly string[] RoleKinds = ["Role", "ClusterRole"];

    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind(RbacValidation.GroupName, "v1", "RoleBinding"), "rolebindings", "rolebinding", Namespaced: true),
        new BindingStrategy(namespaced: true, RoleKinds))
    {
        Protobuf = RbacV1Messages.RoleBinding,
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1RoleBinding)),
        Typed = true,
        Columns = RbacValidation.BindingColumns("roleBinding",
            "RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error."),
    };
}
