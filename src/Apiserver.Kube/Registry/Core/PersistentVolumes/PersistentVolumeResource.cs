using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Core.PersistentVolumes;

/// <summary>
/// The cluster-scoped <c>persistentvolumes</c> resource of core/v1, with a <c>status</c>
/// subresource. Defaults as kube: reclaim policy <c>Retain</c>, volume mode <c>Filesystem</c>, and
/// a new volume is <c>Pending</c> since now.
/// </summary>
public static class PersistentVolumeResource
{
    private static readonly string[] ReclaimPolicies = ["Delete", "Recycle", "Retain"];

    /// <summary>The spec fields that are not a volume source.</summary>
    private static readonly HashSet<string> NotSources =
        ["capacity", "accessModes", "claimRef", "persistentVolumeReclaimPolicy", "storageClassName", "mountOptions", "volumeMode", "nodeAffinity", "volumeAttributesClassName"];

    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("", "v1", "PersistentVolume"), "persistentvolumes", "persistentvolume", Namespaced: false),
        new Strategy())
    {
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1PersistentVolume)),
        Typed = true,
        ShortNames = ["pv"],
        StatusSubresource = true,
        Columns =
        [
            TableColumn.NameColumn,
            new("Capacity", "string", "capacity is the description of the persistent volume's resources and capacity. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity",
                obj => obj["spec"]?["capacity"]?["storage"]?.ToString() ?? ""),
            new("Access Modes", "string", "accessModes contains all ways the volume can be mounted. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes",
                obj => CoreFormat.AccessModes(obj["spec"]?["accessModes"])),
            new("Reclaim Policy", "string", "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim. Valid options are Retain (default for manually created PersistentVolumes), Delete (default for dynamically provisioned PersistentVolumes), and Recycle (deprecated). Recycle must be supported by the volume plugin underlying this PersistentVolume. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming",
                obj => obj["spec"]?["persistentVolumeReclaimPolicy"]?.ToString() ?? ""),
            new("Status", "string", "phase indicates if a volume is available, bound to a claim, or released by a claim. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase",
                obj => CoreFormat.Deleting(obj) ? "Terminating" : obj["status"]?["phase"]?.ToString() ?? ""),
            new("Claim", "string", "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim. Expected to be non-nil when bound. claim.VolumeName is the authoritative bind between PV and PVC. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding",
                obj => obj["spec"]?["claimRef"] is JsonObject c ? $"{c["namespace"]}/{c["name"]}" : ""),
            new("StorageClass", "string", "StorageClass of the pv", obj => obj["spec"]?["storageClassName"]?.ToString() ?? ""),
            new("VolumeAttributesClass", "string", "VolumeAttributesClass of the pv", obj => CoreFormat.OrNone(obj["spec"]?["volumeAttributesClassName"], "<unset>")),
            new("Reason", "string", "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.",
                obj => obj["status"]?["reason"]?.ToString() ?? ""),
            TableColumn.AgeColumn,
            new("VolumeMode", "string", "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state. Value of Filesystem is implied when not included in spec.",
                obj => CoreFormat.OrNone(obj["spec"]?["volumeMode"], "<unset>"), Priority: 1),
        ],
    };

    private sealed class Strategy : IRestStrategy
    {
        public void PrepareForCreate(JsonObject obj)
        {
            Default(obj);
            obj["status"] = new JsonObject { ["phase"] = "Pending", ["lastPhaseTransitionTime"] = ObjectMeta.FormatTime(DateTimeOffset.UtcNow) };
        }

        public void PrepareForUpdate(JsonObject obj, JsonObject old) => Default(obj);

        private static void Default(JsonObject obj)
        {
            if (obj["spec"] is JsonObject spec)
            {
                spec["persistentVolumeReclaimPolicy"] ??= "Retain";
                spec["volumeMode"] ??= "Filesystem";
            }
        }

        public void Validate(JsonObject obj, List<FieldError> errors)
        {
            var spec = obj["spec"] as JsonObject ?? [];
            AccessModeValidation.Validate(spec["accessModes"], "spec.accessModes", errors);
            if (spec["capacity"] is not JsonObject { Count: > 0 } capacity)
            {
                errors.Add(FieldError.Required("spec.capacity"));
            }
            else if (capacity["storage"] is null)
            {
                errors.Add(FieldError.NotSupported("spec.capacity", capacity.First().Key, ["storage"]));
            }
            var policy = spec["persistentVolumeReclaimPolicy"]?.ToString() ?? "";
            if (policy.Length > 0 && !ReclaimPolicies.Contains(policy))
            {
                errors.Add(FieldError.NotSupported("spec.persistentVolumeReclaimPolicy", policy, ReclaimPolicies));
            }
            if (!spec.Any(p => !NotSources.Contains(p.Key) && p.Value is JsonObject))
            {
                errors.Add(FieldError.Required("spec", "must specify a volume type"));
            }
        }

        public string? GetSelectableField(JsonObject obj, string field) => null;
    }
}
