using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;

using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Core.ConfigMaps;

/// <summary>The <c>configmaps</c> resource of core/v1.</summary>
public static class ConfigMapResource
{
    private static readonly string[] DataFields = ["data", "binaryData"];

    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("", "v1", "ConfigMap"), "configmaps", "configmap", Namespaced: true),
        new Strategy())
    {
        Protobuf = CoreV1Messages.ConfigMap,
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1ConfigMap)),
        Typed = true,
        ShortNames = ["cm"],
        Columns =
        [
            TableColumn.NameColumn,
            new("Data", "string", "Data contains the configuration data.", obj => DataValidation.Count(obj, DataFields)),
            TableColumn.AgeColumn,
        ],
    };

    private sealed class Strategy : IRestStrategy
    {
        public void Validate(JsonObject obj, List<FieldError> errors)
        {
            var total = DataValidation.ValidateKeys(obj, DataFields, errors);
            if (total > DataValidation.MaxTotalBytes)
            {
                errors.Add(new FieldError(FieldErrorType.TooLong, "", null, $"must have at most {DataValidation.MaxTotalBytes} bytes"));
            }
        }

        public void ValidateUpdate(JsonObject obj, JsonObject old, List<FieldError> errors)
        {
            DataValidation.ValidateImmutable(obj, old, DataFields, errors);
            Validate(obj, errors);
        }
    }
}
