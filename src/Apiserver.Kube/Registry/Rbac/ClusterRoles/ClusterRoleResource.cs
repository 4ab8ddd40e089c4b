using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;

using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Rbac.ClusterRoles;

/// <summary>
/// The <c>clusterroles</c> resource of rbac.authorization.k8s.io/v1. An <c>aggregationRule</c> is
/// accepted and validated; filling its rules from the selected roles is the aggregation
/// controller's job, which this server does not run.
/// </summary>
public static class ClusterRoleResource
{
    /// <summary>Its definition. kube prints cluster roles with the default columns (NAME, CREATED AT).</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind(RbacValidation.GroupName, "v1", "ClusterRole"), "clusterroles", "clusterrole", Namespaced: false),
        new Strategy())
    {
        Protobuf = RbacV1Messages.ClusterRole,
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1ClusterRole)),
        Typed = true,
    };

    private sealed class Strategy : IRestStrategy
    {
        public IReadOnlyList<string> ValidateName(string name) => RbacValidation.ValidateName(name);

        public void Validate(JsonObject obj, List<FieldError> errors)
        {
            RbacValidation.ValidateRules(obj, namespaced: false, errors);
            RbacValidation.ValidateAggregationRule(obj, errors);
        }
    }
}
