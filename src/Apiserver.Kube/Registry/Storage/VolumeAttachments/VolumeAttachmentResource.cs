using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Validation;
using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Storage.VolumeAttachments;

/// <summary>
/// The <c>volumeattachments</c> resource of storage.k8s.io/v1 (cluster-scoped), with a
/// <c>status</c> subresource. As kube's <c>ValidateVolumeAttachment</c> (and the stricter v1 rules
/// on create): an attacher that is a CSI driver name, exactly one source, a node name; bounded
/// attachment metadata and error messages in the status. The spec never changes.
/// </summary>
public static class VolumeAttachmentResource
{
    private const int MaxMetadataSize = 256 * 1024;
    private const int MaxErrorMessageLength = 1024;
    private const string OneSource = "must specify exactly one of inlineVolumeSpec and persistentVolumeName";

    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("storage.k8s.io", "v1", "VolumeAttachment"), "volumeattachments", "volumeattachment", Namespaced: false),
        new Strategy())
    {
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1VolumeAttachment)),
        Typed = true,
        ReturnDeletedObject = true,
        StatusSubresource = true,
        Columns =
        [
            TableColumn.NameColumn,
            new("Attacher", "string", "attacher indicates the name of the volume driver that MUST handle this request. This is the name returned by GetPluginName().",
                obj => obj["spec"]?["attacher"]?.DeepClone() ?? "", Format: "name"),
            new("PV", "string", "persistentVolumeName represents the name of the persistent volume to attach.",
                obj => obj["spec"]?["source"]?["persistentVolumeName"]?.DeepClone() ?? ""),
            new("Node", "string", "nodeName represents the node that the volume should be attached to.", obj => obj["spec"]?["nodeName"]?.DeepClone() ?? ""),
            new("Attached", "boolean", "attached indicates the volume is successfully attached. This field must only be set by the entity completing the attach operation, i.e. the external-attacher.",
                obj => obj["status"]?["attached"]?.DeepClone() ?? false),
            TableColumn.AgeColumn,
        ],
    };

    private sealed class Strategy : IRestStrategy
    {
        public bool AllowUnconditionalUpdate => false;

        public void Validate(JsonObject obj, List<FieldError> errors)
        {
            ValidateCommon(obj, errors);
            // The v1 rules kube adds on create only: the attacher is a CSI driver name, the PV name a subdomain.
            var spec = obj["spec"] as JsonObject ?? [];
            StorageValidation.ValidateCsiDriverName(spec["attacher"]?.ToString(), "spec.attacher", errors);
            if (spec["source"]?["persistentVolumeName"]?.ToString() is { } pv)
            {
                errors.AddRange(NameValidation.IsDns1123Subdomain(pv).Select(m => FieldError.Invalid("spec.source.persistentVolumeName", pv, m)));
            }
        }

        public void ValidateUpdate(JsonObject obj, JsonObject old, List<FieldError> errors)
        {
            ValidateCommon(obj, errors);
            if (!JsonNode.DeepEquals(obj["spec"], old["spec"]))
            {
                errors.Add(FieldError.Immutable("spec", obj["spec"]?.DeepClone()));
            }
        }

        private static void ValidateCommon(JsonObject obj, List<FieldError> errors)
        {
            var spec = obj["spec"] as JsonObject ?? [];
            if ((spec["attacher"]?.ToString() ?? "").Length == 0)
            {
                errors.Add(FieldError.Required("spec.attacher"));
            }
            var source = spec["source"] as JsonObject ?? [];
            var (inline, pv) = (source["inlineVolumeSpec"], source["persistentVolumeName"]);
            if (inline is null && pv is null)
            {
                errors.Add(FieldError.Required("spec.source", OneSource));
            }
            else if (inline is not null && pv is not null)
            {
                errors.Add(FieldError.Forbidden("spec.source", OneSource));
            }
            else if (pv is not null && pv.ToString().Length == 0)
            {
                errors.Add(FieldError.Required("spec.source.persistentVolumeName", "must specify non empty persistentVolumeName"));
            }
            var node = spec["nodeName"]?.ToString() ?? "";
            errors.AddRange(NameValidation.IsDns1123Subdomain(node).Select(m => FieldError.Invalid("spec.nodeName", node, m)));
            ValidateStatus(obj["status"] as JsonObject ?? [], errors);
        }

        private static void ValidateStatus(JsonObject status, List<FieldError> errors)
        {
            long size = 0;
            foreach (var (key, value) in status["attachmentMetadata"] as JsonObject ?? [])
            {
                size += key.Length + (value?.ToString().Length ?? 0);
            }
            if (size > MaxMetadataSize)
            {
                errors.Add(new FieldError(FieldErrorType.TooLong, "status.attachmentMetadata", null, $"may not be more than {MaxMetadataSize} bytes"));
            }
            foreach (var field in new[] { "attachError", "detachError" })
            {
                if (status[field] is not JsonObject error)
                {
                    continue;
                }
                if ((error["message"]?.ToString().Length ?? 0) > MaxErrorMessageLength)
                {
                    // kube reports the metadata limit here, as its code does.
                    errors.Add(new FieldError(FieldErrorType.TooLong, $"status.{field}.message", null, $"may not be more than {MaxMetadataSize} bytes"));
                }
                if (error["errorCode"] is JsonValue code && code.GetValue<long>() < 0)
                {
                    errors.Add(FieldError.Invalid($"status.{field}.errorCode", code.DeepClone(), $"must be between 0 and {int.MaxValue}, inclusive"));
                }
            }
        }
    }
}
