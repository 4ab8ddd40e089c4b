using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;

using Apiserver.Kube.Schema;
using Apiserver.Kube.Validation;

namespace Apiserver.Kube.Registry.Storage.StorageClasses;

/// <summary>
/// The <c>storageclasses</c> resource of storage.k8s.io/v1. <c>reclaimPolicy</c> defaults to
/// Delete and <c>volumeBindingMode</c> to Immediate; provisioner, parameters, reclaimPolicy and
/// volumeBindingMode are immutable.
/// </summary>
public static class StorageClassResource
{
    /// <summary>The annotation that marks the cluster's default class (and its beta predecessor).</summary>
    public const string DefaultClassAnnotation = "storageclass.kubernetes.io/is-default-class";

    private const string BetaDefaultClassAnnotation = "storageclass.beta.kubernetes.io/is-default-class";
    private const int MaxParameters = 512;
    private const int MaxParametersSize = 256 * 1024;
    private static readonly string[] ReclaimPolicies = ["Delete", "Retain"];
    private static readonly string[] BindingModes = ["Immediate", "WaitForFirstConsumer"];

    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("storage.k8s.io", "v1", "StorageClass"), "storageclasses", "storageclass", Namespaced: false),
        new Strategy())
    {
        Schema = ModelSchemas.For(typeof(k8s.Models.V1StorageClass)),
        Typed = true,
        ShortNames = ["sc"],
        Columns =
        [
            TableColumn.NameColumn with { Cell = obj => IsDefault(obj) ? obj.GetName() + " (default)" : obj.GetName() },
            new("Provisioner", "string", "provisioner indicates the type of the provisioner.", obj => obj["provisioner"]?.DeepClone() ?? ""),
            new("ReclaimPolicy", "string", "reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete.",
                obj => obj["reclaimPolicy"]?.DeepClone() ?? ReclaimPolicies[0]),
            new("VolumeBindingMode", "string", "volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  When unset, VolumeBindingImmediate is used. This field is only honored by servers that enable the VolumeScheduling feature.",
                obj => obj["volumeBindingMode"]?.DeepClone() ?? BindingModes[0]),
            new("AllowVolumeExpansion", "string", "allowVolumeExpansion shows whether the storage class allow volume expand.",
                obj => obj["allowVolumeExpansion"]?.DeepClone() ?? false),
            TableColumn.AgeColumn,
        ],
    };

    private static bool IsDefault(JsonObject obj) =>
        obj.Metadata()["annotations"] is JsonObject a
        && (a[DefaultClassAnnotation]?.ToString() == "true" || a[BetaDefaultClassAnnotation]?.ToString() == "true");

    private sealed class Strategy : IRestStrategy
    {
        public void PrepareForCreate(JsonObject obj) => Default(obj);

        public void PrepareForUpdate(JsonObject obj, JsonObject old) => Default(obj);

        public void Validate(JsonObject obj, List<FieldError> errors)
        {
            var provisioner = obj["provisioner"]?.ToString() ?? "";
            if (provisioner.Length == 0)
            {
                errors.Add(FieldError.Required("provisioner"));
            }
            else
            {
                // kube checks the lower-cased provisioner, and reports that.
                var lower = provisioner.ToLowerInvariant();
                errors.AddRange(QualifiedName.Validate(lower).Select(m => FieldError.Invalid("provisioner", lower, m)));
            }
            ValidateParameters(obj["parameters"] as JsonObject, errors);
            var reclaimPolicy = obj["reclaimPolicy"]?.ToString() ?? "";
            if (reclaimPolicy.Length > 0 && !ReclaimPolicies.Contains(reclaimPolicy))
            {
                errors.Add(FieldError.NotSupported("reclaimPolicy", reclaimPolicy, ReclaimPolicies));
            }
            if (obj["volumeBindingMode"]?.ToString() is not { } mode)
            {
                errors.Add(FieldError.Required("volumeBindingMode"));
            }
            else if (!BindingModes.Contains(mode))
            {
                errors.Add(FieldError.NotSupported("volumeBindingMode", mode, BindingModes));
            }
        }

        // As kube's strategy: the create rules, then the immutable fields.
        public void ValidateUpdate(JsonObject obj, JsonObject old, List<FieldError> errors)
        {
            Validate(obj, errors);
            if (!JsonNode.DeepEquals(obj["parameters"], old["parameters"]))
            {
                errors.Add(FieldError.Forbidden("parameters", "updates to parameters are forbidden."));
            }
            if (obj["provisioner"]?.ToString() != old["provisioner"]?.ToString())
            {
                errors.Add(FieldError.Forbidden("provisioner", "updates to provisioner are forbidden."));
            }
            if (obj["reclaimPolicy"]?.ToString() != old["reclaimPolicy"]?.ToString())
            {
                errors.Add(FieldError.Forbidden("reclaimPolicy", "updates to reclaimPolicy are forbidden."));
            }
            if (!JsonNode.DeepEquals(obj["volumeBindingMode"], old["volumeBindingMode"]))
            {
                errors.Add(FieldError.Immutable("volumeBindingMode", obj["volumeBindingMode"]?.DeepClone()));
            }
        }

        private static void Default(JsonObject obj)
        {
            obj["reclaimPolicy"] ??= ReclaimPolicies[0];
            obj["volumeBindingMode"] ??= BindingModes[0];
        }

        private static void ValidateParameters(JsonObject? parameters, List<FieldError> errors)
        {
            if (parameters is null)
            {
                return;
            }
            if (parameters.Count > MaxParameters)
            {
                errors.Add(new FieldError(FieldErrorType.TooLong, "parameters", null, $"may not be more than {MaxParameters} bytes"));
                return;
            }
            long size = 0;
            foreach (var (key, value) in parameters)
            {
                if (key.Length == 0)
                {
                    errors.Add(FieldError.Invalid("parameters", key, "field can not be empty."));
                }
                size += key.Length + (value?.ToString().Length ?? 0);
            }
            if (size > MaxParametersSize)
            {
                errors.Add(new FieldError(FieldErrorType.TooLong, "parameters", null, $"may not be more than {MaxParametersSize} bytes"));
            }
        }
    }
}
