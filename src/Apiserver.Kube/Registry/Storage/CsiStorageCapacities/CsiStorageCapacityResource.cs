using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Validation;
using Apiserver.Kube.Registry.Apps;
using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Storage.CsiStorageCapacities;

/// <summary>
/// The <c>csistoragecapacities</c> resource of storage.k8s.io/v1 (namespaced). As kube's
/// <c>ValidateCSIStorageCapacity</c>: a well-formed node topology selector, a storage class name
/// that is an RFC 1123 subdomain and a non-negative capacity; the topology and the class (the
/// inputs of the driver's GetCapacity call) never change.
/// </summary>
public static class CsiStorageCapacityResource
{
    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("storage.k8s.io", "v1", "CSIStorageCapacity"), "csistoragecapacities", "csistoragecapacity", Namespaced: true),
        new Strategy())
    {
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1CSIStorageCapacity)),
        Typed = true,
        // kube serves capacities with the default table (NAME, CREATED AT), not its printer's columns.
    };

    private sealed class Strategy : IRestStrategy
    {
        public void Validate(JsonObject obj, List<FieldError> errors)
        {
            LabelSelectors.Validate(obj["nodeTopology"] as JsonObject, "nodeTopology", errors);
            var className = obj["storageClassName"]?.ToString() ?? "";
            errors.AddRange(NameValidation.IsDns1123Subdomain(className).Select(m => FieldError.Invalid("storageClassName", className, m)));
            if (obj["capacity"]?.ToString() is { } capacity && capacity.StartsWith('-'))
            {
                errors.Add(FieldError.Invalid("capacity", capacity, "must be greater than or equal to 0"));
            }
        }

        // As kube: metadata, then the immutable inputs (not the create rules again).
        public void ValidateUpdate(JsonObject obj, JsonObject old, List<FieldError> errors)
        {
            foreach (var field in new[] { "nodeTopology", "storageClassName" })
            {
                if (!JsonNode.DeepEquals(obj[field], old[field]))
                {
                    errors.Add(FieldError.Immutable(field, obj[field]?.DeepClone()));
                }
            }
        }
    }
}
