using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;

namespace Apiserver.Kube.Registry.Rbac;

/// <summary>
/// The rules of RoleBindings and ClusterRoleBindings, which differ only in scope and in the role kinds
/// their roleRef may name: defaults on every write, validation, and an immutable roleRef.
/// </summary>
internal sealed class BindingStrategy(bool namespaced, IReadOnlyList<string> roleKinds) : IRestStrategy
{
    public IReadOnlyList<string> ValidateName(string name) => RbacValidation.ValidateName(name);

    public void PrepareForCreate(JsonObject obj) => RbacValidation.DefaultBinding(obj);

    public void PrepareForUpdate(JsonObject obj, JsonObject old) => RbacValidation.DefaultBinding(obj);

    public void Validate(JsonObject obj, List<FieldError> errors) => RbacValidation.ValidateBinding(obj, namespaced, roleKinds, errors);

    public void ValidateUpdate(JsonObject obj, JsonObject old, List<FieldError> errors)
    {
        Validate(obj, errors);
        RbacValidation.ValidateRoleRefUnchanged(obj, old, errors);
    }
}
