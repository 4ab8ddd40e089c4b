using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Apps.ControllerRevisions;

/// <summary>
/// The <c>controllerrevisions</c> resource of apps/v1: immutable snapshots of a workload's
/// template that stateful sets and daemon sets keep. <c>data</c> is required and immutable;
/// <c>revision</c> non-negative.
/// </summary>
public static class ControllerRevisionResource
{
    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("apps", "v1", "ControllerRevision"), "controllerrevisions", "controllerrevision", Namespaced: true),
        new Strategy())
    {
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1ControllerRevision)),
        Typed = true,
        Protobuf = AppsV1Messages.ControllerRevision,
        Columns =
        [
            TableColumn.NameColumn,
            new("Controller", "string", "Controller of the object", Controller),
            new("Revision", "integer", "Revision indicates the revision of the state represented by Data.", obj => WorkloadValidation.Integer(obj["revision"]) ?? 0),
            TableColumn.AgeColumn,
        ],
    };

    // The controlling owner as kind.group/name, lower-cased kind (kubectl's resource name form).
    private static JsonNode Controller(JsonObject obj)
    {
        var owner = (obj.Metadata()["ownerReferences"] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(o => o["controller"] is JsonValue c && c.TryGetValue<bool>(out var isController) && isController);
        if (owner is null)
        {
            return "<none>";
        }
        var apiVersion = owner["apiVersion"]?.ToString() ?? "";
        var group = apiVersion.Contains('/') ? apiVersion[..apiVersion.IndexOf('/')] : "";
        var kind = (owner["kind"]?.ToString() ?? "").ToLowerInvariant();
        return $"{kind}{(group.Length > 0 ? "." + group : "")}/{owner["name"]}";
    }

    private sealed class Strategy : IRestStrategy
    {
        public void Validate(JsonObject obj, List<FieldError> errors)
        {
            if (obj["data"] is null)
            {
                errors.Add(FieldError.Required("data", "data is mandatory"));
            }
            WorkloadValidation.NonNegative(obj, "revision", "", errors);
        }

        public void ValidateUpdate(JsonObject obj, JsonObject old, List<FieldError> errors)
        {
            Validate(obj, errors);
            if (!JsonNode.DeepEquals(obj["data"], old["data"]))
            {
                errors.Add(FieldError.Immutable("data", obj["data"]?.DeepClone()));
            }
        }
    }
}
