using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;

using Apiserver.Kube.Schema;

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
    private static readonly string[] ReclaimPolicies = ["Delete", "Retain"];
    private static readonly string[] BindingModes = ["Immediate", "WaitForFirstConsumer"];

    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("storage.k8s.io", "v1", "StorageClass"), "storageclasses", "storageclass", Namespaced: false),
        new Strategy())
    {
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1StorageClass)),
        ReturnDeletedObject = true,
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
            StorageValidation.ValidateProvisioner(obj["provisioner"]?.ToString(), "provisioner", errors);
            StorageValidation.ValidateParameters(obj["parameters"] as JsonObject, allowEmpty: true, errors);
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
            StorageValidation.ForbidChange(obj, old, "parameters", errors);
            StorageValidation.ForbidChange(obj, old, "provisioner", errors);
            StorageValidation.ForbidChange(obj, old, "reclaimPolicy", errors);
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
    }
}
