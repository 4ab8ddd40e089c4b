using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Schema;
using Apiserver.Kube.Validation;

namespace Apiserver.Kube.Registry.Storage.CsiNodes;

/// <summary>
/// The <c>csinodes</c> resource of storage.k8s.io/v1 (cluster-scoped, named after its node). As
/// kube's <c>ValidateCSINode</c>: each driver has a valid, unique name, a node ID of at most 192
/// characters (256 once a stored driver has a longer one), a non-negative allocatable count and unique qualified topology keys; a driver that
/// stays registered may change only its allocatable count.
/// </summary>
public static class CsiNodeResource
{
    private const int MaxNodeIdLength = 192, LongerMaxNodeIdLength = 256;

    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("storage.k8s.io", "v1", "CSINode"), "csinodes", "csinode", Namespaced: false),
        new Strategy())
    {
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1CSINode)),
        Typed = true,
        ReturnDeletedObject = true,
        Columns =
        [
            TableColumn.NameColumn,
            new("Drivers", "integer", "Drivers indicates the number of CSI drivers registered on the node", obj => (obj["spec"]?["drivers"] as JsonArray)?.Count ?? 0),
            TableColumn.AgeColumn,
        ],
    };

    private static JsonArray Drivers(JsonObject obj) => obj["spec"]?["drivers"] as JsonArray ?? [];

    private sealed class Strategy : IRestStrategy
    {
        public bool AllowUnconditionalUpdate => false;

        public void Validate(JsonObject obj, List<FieldError> errors) => Validate(obj, MaxNodeIdLength, errors);

        public void ValidateUpdate(JsonObject obj, JsonObject old, List<FieldError> errors)
        {
            // As kube: the longer node IDs stay allowed only where one is stored already.
            var longIds = Drivers(old).Any(d => (d?["nodeID"]?.ToString().Length ?? 0) > MaxNodeIdLength);
            Validate(obj, longIds ? LongerMaxNodeIdLength : MaxNodeIdLength, errors);
            foreach (var before in Drivers(old).OfType<JsonObject>())
            {
                foreach (var after in Drivers(obj).OfType<JsonObject>().Where(d => d["name"]?.ToString() == before["name"]?.ToString()))
                {
                    // The allocatable count may change (MutableCSINodeAllocatableCount, on in 1.34); nothing else may.
                    var (a, b) = (WithoutAllocatable(after), WithoutAllocatable(before));
                    if (!JsonNode.DeepEquals(a, b))
                    {
                        errors.Add(FieldError.Immutable("spec.drivers", a));
                    }
                }
            }
        }

        private static void Validate(JsonObject obj, int maxNodeIdLength, List<FieldError> errors)
        {
            var drivers = Drivers(obj);
            var names = new HashSet<string>();
            for (var i = 0; i < drivers.Count; i++)
            {
                ValidateDriver(drivers[i] as JsonObject ?? [], $"spec.drivers[{i}]", maxNodeIdLength, names, errors);
            }
        }

        private static JsonObject WithoutAllocatable(JsonObject driver)
        {
            var copy = (JsonObject)driver.DeepClone();
            copy.Remove("allocatable");
            return copy;
        }

        private static void ValidateDriver(JsonObject driver, string path, int maxNodeIdLength, HashSet<string> names, List<FieldError> errors)
        {
            var name = driver["name"]?.ToString() ?? "";
            StorageValidation.ValidateCsiDriverName(name, $"{path}.name", errors);
            var nodeId = driver["nodeID"]?.ToString() ?? "";
            if (nodeId.Length == 0)
            {
                errors.Add(FieldError.Required($"{path}.nodeID"));
            }
            if (nodeId.Length > maxNodeIdLength)
            {
                errors.Add(FieldError.Invalid($"{path}.nodeID", nodeId, $"must be {maxNodeIdLength} characters or less"));
            }
            if (driver["allocatable"]?["count"] is JsonValue count && count.GetValue<long>() < 0)
            {
                errors.Add(FieldError.Invalid($"{path}.allocatable.count", count.DeepClone(), "must be greater than or equal to 0"));
            }
            if (!names.Add(name))
            {
                errors.Add(new FieldError(FieldErrorType.Duplicate, $"{path}.name", JsonValue.Create(name), ""));
            }
            var keys = new HashSet<string>();
            foreach (var key in (driver["topologyKeys"] as JsonArray ?? []).Select(k => k?.ToString() ?? ""))
            {
                // kube reports topology key problems on the driver itself.
                if (key.Length == 0)
                {
                    errors.Add(FieldError.Required(path));
                }
                if (!keys.Add(key))
                {
                    errors.Add(new FieldError(FieldErrorType.Duplicate, path, JsonValue.Create(key), ""));
                }
                errors.AddRange(QualifiedName.Validate(key).Select(m => FieldError.Invalid(path, key, m)));
            }
        }
    }
}
