using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Registry.Apps;
using Apiserver.Kube.Registry.Core.PersistentVolumes;
using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Core.PersistentVolumeClaims;

/// <summary>
/// The <c>persistentvolumeclaims</c> resource of core/v1, with a <c>status</c> subresource. A new
/// claim is <c>Pending</c>, its volume mode defaults to <c>Filesystem</c>, and its spec is
/// immutable but for what kube lets change.
/// </summary>
public static class PersistentVolumeClaimResource
{
    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("", "v1", "PersistentVolumeClaim"), "persistentvolumeclaims", "persistentvolumeclaim", Namespaced: true),
        new Strategy())
    {
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1PersistentVolumeClaim)),
        Typed = true,
        ShortNames = ["pvc"],
        StatusSubresource = true,
        Columns =
        [
            TableColumn.NameColumn,
            new("Status", "string", "phase represents the current phase of PersistentVolumeClaim.",
                obj => CoreFormat.Deleting(obj) ? "Terminating" : obj["status"]?["phase"]?.ToString() ?? ""),
            new("Volume", "string", "volumeName is the binding reference to the PersistentVolume backing this claim.", obj => obj["spec"]?["volumeName"]?.ToString() ?? ""),
            new("Capacity", "string", "capacity represents the actual resources of the underlying volume.",
                obj => Bound(obj) ? obj["status"]?["capacity"]?["storage"]?.ToString() ?? "" : ""),
            new("Access Modes", "string", "accessModes contains the actual access modes the volume backing the PVC has. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1",
                obj => Bound(obj) ? CoreFormat.AccessModes(obj["status"]?["accessModes"]) : ""),
            new("StorageClass", "string", "StorageClass of the pvc", obj => obj["spec"]?["storageClassName"]?.ToString() ?? ""),
            new("VolumeAttributesClass", "string", "VolumeAttributesClass of the pvc", obj => CoreFormat.OrNone(obj["spec"]?["volumeAttributesClassName"], "<unset>")),
            TableColumn.AgeColumn,
            new("VolumeMode", "string", "volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec.",
                obj => CoreFormat.OrNone(obj["spec"]?["volumeMode"], "<unset>"), Priority: 1),
        ],
    };

    private static bool Bound(JsonObject obj) => obj["spec"]?["volumeName"]?.ToString() is { Length: > 0 };

    private sealed class Strategy : IRestStrategy
    {
        public void PrepareForCreate(JsonObject obj)
        {
            Default(obj);
            obj["status"] = new JsonObject { ["phase"] = "Pending" };
        }

        public void PrepareForUpdate(JsonObject obj, JsonObject old) => Default(obj);

        private static void Default(JsonObject obj)
        {
            if (obj["spec"] is JsonObject spec)
            {
                spec["volumeMode"] ??= "Filesystem";
            }
        }

        public void Validate(JsonObject obj, List<FieldError> errors)
        {
            var spec = obj["spec"] as JsonObject ?? [];
            AccessModeValidation.Validate(spec["accessModes"], "spec.accessModes", errors);
            if (spec["resources"]?["requests"]?["storage"] is null)
            {
                errors.Add(FieldError.Required("spec.resources[storage]"));
            }
        }

        public void ValidateUpdate(JsonObject obj, JsonObject old, List<FieldError> errors)
        {
            Validate(obj, errors);
            var spec = (obj["spec"] as JsonObject ?? []).DeepClone().AsObject();
            var oldSpec = old["spec"] as JsonObject ?? [];
            // What may change: the requests (of a bound claim), the attributes class, and a first binding.
            if (Bound(old))
            {
                spec.ObjectField("resources")["requests"] = oldSpec["resources"]?["requests"]?.DeepClone();
            }
            spec["volumeAttributesClassName"] = oldSpec["volumeAttributesClassName"]?.DeepClone();
            if (oldSpec["volumeName"] is null)
            {
                spec["volumeName"] = null;
            }
            if (!JsonNode.DeepEquals(WithoutNulls(spec), WithoutNulls(oldSpec)))
            {
                errors.Add(FieldError.Forbidden("spec", "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"));
            }
        }

        private static JsonNode? WithoutNulls(JsonNode? node) => node switch
        {
            JsonObject o => new JsonObject(o.Where(p => p.Value is not null).Select(p => KeyValuePair.Create(p.Key, WithoutNulls(p.Value)))),
            _ => node?.DeepClone(),
        };
    }
}
