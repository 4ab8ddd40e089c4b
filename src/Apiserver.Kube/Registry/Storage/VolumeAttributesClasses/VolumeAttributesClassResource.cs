using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Storage.VolumeAttributesClasses;

/// <summary>
/// The <c>volumeattributesclasses</c> resource of storage.k8s.io/v1 (cluster-scoped, GA in 1.34).
/// As kube's <c>ValidateVolumeAttributesClass</c>: a driver name that is a qualified name and at
/// least one parameter; neither the driver nor the parameters ever change.
/// </summary>
public static class VolumeAttributesClassResource
{
    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("storage.k8s.io", "v1", "VolumeAttributesClass"), "volumeattributesclasses", "volumeattributesclass", Namespaced: false),
        new Strategy())
    {
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1VolumeAttributesClass)),
        Typed = true,
        ReturnDeletedObject = true,
        ShortNames = ["vac"],
        Columns =
        [
            TableColumn.NameColumn,
            new("DriverName", "string", "Name of the CSI driver This field is immutable.", obj => obj["driverName"]?.DeepClone() ?? ""),
            TableColumn.AgeColumn,
        ],
    };

    private sealed class Strategy : IRestStrategy
    {
        public void Validate(JsonObject obj, List<FieldError> errors)
        {
            StorageValidation.ValidateProvisioner(obj["driverName"]?.ToString(), "driverName", errors);
            StorageValidation.ValidateParameters(obj["parameters"] as JsonObject, allowEmpty: false, errors);
        }

        // As kube: the immutable fields first, then the create rules.
        public void ValidateUpdate(JsonObject obj, JsonObject old, List<FieldError> errors)
        {
            StorageValidation.ForbidChange(obj, old, "driverName", errors);
            StorageValidation.ForbidChange(obj, old, "parameters", errors);
            Validate(obj, errors);
        }
    }
}
