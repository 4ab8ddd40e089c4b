using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;

using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Rbac.Roles;

/// <summary>The <c>roles</c> resource of rbac.authorization.k8s.io/v1.</summary>
public static class RoleResource
{
    /// <summary>Its definition. kube prints roles with the default columns (NAME, CREATED AT).</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind(RbacValidation.GroupName, "v1", "Role"), "roles", "role", Namespaced: true),
        new Strategy())
    {
        Protobuf = RbacV1Messages.Role,
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1Role)),
        Typed = true,
    };

    private sealed class Strategy : IRestStrategy
    {
        public IReadOnlyList<string> ValidateName(string name) => RbacValidation.ValidateName(name);

        public void Validate(JsonObject obj, List<FieldError> errors) => RbacValidation.ValidateRules(obj, namespaced: true, errors);
    }
}
