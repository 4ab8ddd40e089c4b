using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Storage.CsiDrivers;

/// <summary>
/// The <c>csidrivers</c> resource of storage.k8s.io/v1 (cluster-scoped). As kube's v1 defaults
/// and <c>ValidateCSIDriver</c>: attachRequired, podInfoOnMount, storageCapacity, requiresRepublish
/// and seLinuxMount are set (true, then false), fsGroupPolicy defaults to ReadWriteOnceWithFSType and
/// the lifecycle modes to Persistent; attachRequired and volumeLifecycleModes never change.
/// </summary>
public static class CsiDriverResource
{
    private const long MinTokenExpirationSeconds = 10 * 60;
    private const long MaxTokenExpirationSeconds = 1L << 32;
    private const long MinAllocatableUpdatePeriodSeconds = 10;
    private static readonly string[] FsGroupPolicies = ["File", "None", "ReadWriteOnceWithFSType"];
    private static readonly string[] LifecycleModes = ["Persistent", "Ephemeral"];

    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("storage.k8s.io", "v1", "CSIDriver"), "csidrivers", "csidriver", Namespaced: false),
        new Strategy())
    {
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1CSIDriver)),
        Typed = true,
        ReturnDeletedObject = true,
        // kube starts CSIDriver generations at 1 and counts spec changes.
        TracksGeneration = true,
        Columns =
        [
            TableColumn.NameColumn,
            new("AttachRequired", "boolean", "attachRequired indicates this CSI volume driver requires an attach operation (because it implements the CSI ControllerPublishVolume() method), and that the Kubernetes attach detach controller should call the attach volume interface which checks the volumeattachment status and waits until the volume is attached before proceeding to mounting.",
                obj => Flag(obj, "attachRequired", true)),
            new("PodInfoOnMount", "boolean", "podInfoOnMount indicates this CSI volume driver requires additional pod information (like podName, podUID, etc.) during mount operations, if set to true.",
                obj => Flag(obj, "podInfoOnMount", false)),
            new("StorageCapacity", "boolean", "storageCapacity indicates that the CSI volume driver wants pod scheduling to consider the storage capacity that the driver deployment will report by creating CSIStorageCapacity objects with capacity information, if set to true.",
                obj => Flag(obj, "storageCapacity", false)),
            new("TokenRequests", "string", "tokenRequests indicates the CSI driver needs pods' service account tokens it is mounting volume for to do necessary authentication.", TokenRequests),
            new("RequiresRepublish", "boolean", "requiresRepublish indicates the CSI driver wants `NodePublishVolume` being periodically called to reflect any possible change in the mounted volume.",
                obj => Flag(obj, "requiresRepublish", false)),
            new("Modes", "string", "volumeLifecycleModes defines what kind of volumes this CSI volume driver supports.", Modes),
            TableColumn.AgeColumn,
        ],
    };

    private static JsonNode Flag(JsonObject obj, string field, bool unset) => obj["spec"]?[field]?.GetValue<bool>() ?? unset;

    // kube's printer: "<unset>" without tokenRequests, else the audiences joined by commas.
    private static JsonNode TokenRequests(JsonObject obj) =>
        obj["spec"]?["tokenRequests"] is JsonArray requests
            ? string.Join(",", requests.Select(r => r?["audience"]?.ToString() ?? ""))
            : "<unset>";

    private static JsonNode Modes(JsonObject obj)
    {
        var modes = string.Join(",", (obj["spec"]?["volumeLifecycleModes"] as JsonArray ?? []).Select(m => m?.ToString()));
        return modes.Length == 0 ? "<none>" : modes;
    }

    private sealed class Strategy : IRestStrategy
    {
        public bool AllowUnconditionalUpdate => false;

        public void PrepareForCreate(JsonObject obj) => Default(obj);

        public void PrepareForUpdate(JsonObject obj, JsonObject old) => Default(obj);

        public void Validate(JsonObject obj, List<FieldError> errors)
        {
            var spec = obj["spec"] as JsonObject ?? [];
            // kube names the attachRequired field "attachedRequired" in its errors.
            foreach (var (field, path) in new[] { ("attachRequired", "spec.attachedRequired"), ("podInfoOnMount", "spec.podInfoOnMount"), ("storageCapacity", "spec.storageCapacity"), ("seLinuxMount", "spec.seLinuxMount") })
            {
                if (spec[field] is null)
                {
                    errors.Add(FieldError.Required(path));
                }
            }
            if (spec["fsGroupPolicy"]?.ToString() is { } policy && !FsGroupPolicies.Contains(policy))
            {
                errors.Add(FieldError.NotSupported("spec.fsGroupPolicy", policy, FsGroupPolicies));
            }
            ValidateTokenRequests(spec["tokenRequests"] as JsonArray ?? [], errors);
            foreach (var mode in (spec["volumeLifecycleModes"] as JsonArray ?? []).Select(m => m?.ToString() ?? ""))
            {
                if (!LifecycleModes.Contains(mode))
                {
                    errors.Add(FieldError.NotSupported("spec.volumeLifecycleModes", mode, LifecycleModes));
                }
            }
            if (spec["nodeAllocatableUpdatePeriodSeconds"] is JsonValue period && period.GetValue<long>() < MinAllocatableUpdatePeriodSeconds)
            {
                errors.Add(FieldError.Invalid("spec.nodeAllocatableUpdatePeriodSeconds", period.DeepClone(), "must be greater than or equal to 10 seconds"));
            }
        }

        public void ValidateUpdate(JsonObject obj, JsonObject old, List<FieldError> errors)
        {
            Validate(obj, errors);
            foreach (var (field, path) in new[] { ("attachRequired", "spec.attachedRequired"), ("volumeLifecycleModes", "spec.volumeLifecycleModes") })
            {
                var value = obj["spec"]?[field];
                if (!JsonNode.DeepEquals(value, old["spec"]?[field]))
                {
                    errors.Add(FieldError.Immutable(path, value?.DeepClone()));
                }
            }
        }

        // Each audience once; an expiration between ten minutes and 2^32 seconds.
        private static void ValidateTokenRequests(JsonArray requests, List<FieldError> errors)
        {
            var audiences = new HashSet<string>();
            for (var i = 0; i < requests.Count; i++)
            {
                var path = $"spec.tokenRequests[{i}]";
                var audience = requests[i]?["audience"]?.ToString() ?? "";
                if (!audiences.Add(audience))
                {
                    errors.Add(new FieldError(FieldErrorType.Duplicate, $"{path}.audience", JsonValue.Create(audience), ""));
                    continue;
                }
                if (requests[i]?["expirationSeconds"] is not JsonValue expiration)
                {
                    continue;
                }
                var seconds = expiration.GetValue<long>();
                if (seconds < MinTokenExpirationSeconds)
                {
                    errors.Add(FieldError.Invalid($"{path}.expirationSeconds", expiration.DeepClone(), "may not specify a duration less than 10 minutes"));
                }
                if (seconds > MaxTokenExpirationSeconds)
                {
                    errors.Add(FieldError.Invalid($"{path}.expirationSeconds", expiration.DeepClone(), "may not specify a duration larger than 2^32 seconds"));
                }
            }
        }

        private static void Default(JsonObject obj)
        {
            if (obj["spec"] is not JsonObject spec)
            {
                return;
            }
            spec["attachRequired"] ??= true;
            spec["podInfoOnMount"] ??= false;
            spec["storageCapacity"] ??= false;
            spec["fsGroupPolicy"] ??= "ReadWriteOnceWithFSType";
            if (spec["volumeLifecycleModes"] is not JsonArray { Count: > 0 })
            {
                spec["volumeLifecycleModes"] = new JsonArray("Persistent");
            }
            spec["requiresRepublish"] ??= false;
            spec["seLinuxMount"] ??= false;
        }
    }
}
