using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;

using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Core.ServiceAccounts;

/// <summary>The <c>serviceaccounts</c> resource of core/v1.</summary>
public static class ServiceAccountResource
{
    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("", "v1", "ServiceAccount"), "serviceaccounts", "serviceaccount", Namespaced: true),
        new Strategy())
    {
        Protobuf = CoreV1Messages.ServiceAccount,
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1ServiceAccount)),
        Typed = true,
        ShortNames = ["sa"],
        ReturnDeletedObject = true,
        Columns =
        [
            TableColumn.NameColumn,
            new("Secrets", "string", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.", obj => obj["secrets"] is JsonArray a ? a.Count : 0),
            TableColumn.AgeColumn,
        ],
    };

    private sealed class Strategy : IRestStrategy
    {
        public void Validate(JsonObject obj, List<FieldError> errors)
        {
            if (obj["secrets"] is JsonArray secrets)
            {
                for (var i = 0; i < secrets.Count; i++)
                {
                    if (secrets[i] is not JsonObject)
                    {
                        errors.Add(FieldError.Invalid($"secrets[{i}]", secrets[i]?.DeepClone(), "must be an object reference"));
                    }
                }
            }
        }
    }
}
