using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;

using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Core.Events;

/// <summary>The <c>events</c> resource of core/v1.</summary>
public static class EventResource
{
    private static readonly string[] InvolvedObjectFields = ["kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"];

    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("", "v1", "Event"), "events", "event", Namespaced: true),
        new Strategy())
    {
        Protobuf = CoreV1Messages.Event,
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.Corev1Event)),
        Typed = true,
        ShortNames = ["ev"],
        Columns =
        [
            new("Last Seen", "string", "Time when last event occurred", LastSeen),
            new("Type", "string", "Type of this event (Normal, Warning), new types could be added in the future.", obj => obj["type"]?.DeepClone() ?? ""),
            new("Reason", "string", "This should be a short, machine understandable string that gives the reason for this event being generated.", obj => obj["reason"]?.DeepClone() ?? ""),
            new("Object", "string", "The object that this event is about. Mapped to \"involvedObject\"", InvolvedObject),
            new("Message", "string", "A human-readable description of the status of this operation.", obj => obj["message"]?.DeepClone() ?? ""),
        ],
    };

    private static JsonNode LastSeen(JsonObject obj)
    {
        var time = ObjectMeta.ParseTime(obj["lastTimestamp"]) ?? ObjectMeta.ParseTime(obj["eventTime"]) ?? ObjectMeta.ParseTime(obj.Metadata()["creationTimestamp"]);
        return HumanDuration.Since(time);
    }

    private static JsonNode InvolvedObject(JsonObject obj)
    {
        var involved = obj["involvedObject"] as JsonObject;
        var kind = involved?["kind"]?.ToString() ?? "";
        var name = involved?["name"]?.ToString() ?? "";
        return $"{kind.ToLowerInvariant()}/{name}";
    }

    private sealed class Strategy : IRestStrategy
    {
        public void Validate(JsonObject obj, List<FieldError> errors)
        {
            var involvedNamespace = (obj["involvedObject"] as JsonObject)?["namespace"]?.ToString() ?? "";
            if (involvedNamespace.Length > 0 && involvedNamespace != obj.GetNamespace())
            {
                errors.Add(FieldError.Invalid("involvedObject.namespace", involvedNamespace, "does not match event.namespace"));
            }
            if (ObjectMeta.ParseTime(obj["eventTime"]) is not null)
            {
                ValidateNewStyle(obj, involvedNamespace, errors);
            }
        }

        // kube's legacyValidateEvent for "new" events (those with an eventTime, as events.k8s.io writes them).
        private static void ValidateNewStyle(JsonObject obj, string involvedNamespace, List<FieldError> errors)
        {
            if (involvedNamespace.Length == 0 && obj.GetNamespace() is not ("default" or "kube-system"))
            {
                errors.Add(FieldError.Invalid("involvedObject.namespace", involvedNamespace, "does not match event.namespace"));
            }
            var controller = obj["reportingComponent"]?.ToString() ?? "";
            if (controller.Length == 0)
            {
                errors.Add(FieldError.Required("reportingComponent"));
            }
            foreach (var message in Validation.QualifiedName.Validate(controller))
            {
                errors.Add(FieldError.Invalid("reportingComponent", controller, message));
            }
            Limited(obj, "reportingInstance", 128, required: true, errors);
            Limited(obj, "action", 128, required: true, errors);
            Limited(obj, "reason", 128, required: true, errors);
            Limited(obj, "message", 1024, required: false, errors);
        }

        private static void Limited(JsonObject obj, string field, int limit, bool required, List<FieldError> errors)
        {
            var value = obj[field]?.ToString() ?? "";
            if (required && value.Length == 0)
            {
                errors.Add(FieldError.Required(field));
            }
            if (value.Length > limit)
            {
                errors.Add(FieldError.Invalid(field, "", $"can have at most {limit} characters"));
            }
        }

        public string? GetSelectableField(JsonObject obj, string field)
        {
            if (field.StartsWith("involvedObject.", StringComparison.Ordinal) && InvolvedObjectFields.Contains(field["involvedObject.".Length..]))
            {
                return (obj["involvedObject"] as JsonObject)?[field["involvedObject.".Length..]]?.ToString() ?? "";
            }
            return field switch
            {
                "reason" or "type" or "reportingComponent" => obj[field]?.ToString() ?? "",
                "source" => (obj["source"] as JsonObject)?["component"]?.ToString() ?? obj["reportingComponent"]?.ToString() ?? "",
                _ => null,
            };
        }
    }
}
