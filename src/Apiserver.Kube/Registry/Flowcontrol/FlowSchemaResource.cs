using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Registry.Apps;
using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Flowcontrol;

/// <summary>
/// The <c>flowschemas</c> resource of flowcontrol.apiserver.k8s.io/v1, with a <c>status</c>
/// subresource: matching precedence defaults to 1000, and kube's main validation rules.
/// </summary>
public static class FlowSchemaResource
{
    private static readonly string[] Distinguishers = ["ByNamespace", "ByUser"];
    private static readonly string[] SubjectKinds = ["Group", "ServiceAccount", "User"];

    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("flowcontrol.apiserver.k8s.io", "v1", "FlowSchema"), "flowschemas", "flowschema", Namespaced: false),
        new Strategy())
    {
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1FlowSchema)),
        Typed = true,
        Protobuf = FlowcontrolV1Messages.FlowSchema,
        StatusSubresource = true,
        TracksGeneration = true,
        Columns =
        [
            TableColumn.NameColumn,
            new("PriorityLevel", "string", "The name of the priority level configuration that this FlowSchema refers to", obj => obj["spec"]?["priorityLevelConfiguration"]?["name"]?.ToString() ?? ""),
            new("MatchingPrecedence", "string", "The matching precedence of this FlowSchema; lower values are considered first", obj => WorkloadValidation.Integer(obj["spec"]?["matchingPrecedence"]) ?? 0),
            new("DistinguisherMethod", "string", "The method used to distinguish flows of requests matching this FlowSchema", obj => obj["spec"]?["distinguisherMethod"]?["type"]?.ToString() ?? "<none>"),
            TableColumn.AgeColumn,
            new("MissingPL", "string", "Whether the priority level configuration that this FlowSchema refers to is missing", MissingPriorityLevel),
        ],
    };

    private static JsonNode MissingPriorityLevel(JsonObject obj) =>
        (obj["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => c["type"]?.ToString() == "Dangling")?["status"]?.ToString() ?? "?";

    private sealed class Strategy : IRestStrategy
    {
        public void PrepareForCreate(JsonObject obj) => Default(obj);

        public void PrepareForUpdate(JsonObject obj, JsonObject old) => Default(obj);

        public void Validate(JsonObject obj, List<FieldError> errors)
        {
            var spec = obj["spec"] as JsonObject ?? [];
            if ((spec["priorityLevelConfiguration"]?["name"]?.ToString() ?? "").Length == 0)
            {
                errors.Add(FieldError.Required("spec.priorityLevelConfiguration.name", "must reference a priority level"));
            }
            var precedence = WorkloadValidation.Integer(spec["matchingPrecedence"]) ?? 0;
            if (precedence <= 0)
            {
                errors.Add(FieldError.Invalid("spec.matchingPrecedence", JsonValue.Create(precedence), "must be a positive value"));
            }
            else if (precedence > 10000)
            {
                errors.Add(FieldError.Invalid("spec.matchingPrecedence", JsonValue.Create(precedence), "must not be greater than 10000"));
            }
            if (spec["distinguisherMethod"]?["type"]?.ToString() is { } distinguisher && !Distinguishers.Contains(distinguisher))
            {
                errors.Add(FieldError.NotSupported("spec.distinguisherMethod.type", distinguisher, Distinguishers));
            }
            var rules = (spec["rules"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            for (var i = 0; i < rules.Count; i++)
            {
                ValidateRule(rules[i], $"spec.rules[{i}]", errors);
            }
        }

        private static void ValidateRule(JsonObject rule, string path, List<FieldError> errors)
        {
            var subjects = (rule["subjects"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            if (subjects.Count == 0)
            {
                errors.Add(FieldError.Required($"{path}.subjects", "subjects must contain at least one value"));
            }
            for (var i = 0; i < subjects.Count; i++)
            {
                var kind = subjects[i]["kind"]?.ToString() ?? "";
                var field = kind switch { "User" => "user", "Group" => "group", "ServiceAccount" => "serviceAccount", _ => null };
                if (field is null)
                {
                    errors.Add(FieldError.NotSupported($"{path}.subjects[{i}].kind", kind, SubjectKinds));
                }
                else if ((subjects[i][field]?["name"]?.ToString() ?? "").Length == 0)
                {
                    errors.Add(FieldError.Required($"{path}.subjects[{i}].{field}.name", $"{field} name is required"));
                }
            }
            var resourceRules = (rule["resourceRules"] as JsonArray ?? []).Count;
            var nonResourceRules = (rule["nonResourceRules"] as JsonArray ?? []).Count;
            if (resourceRules == 0 && nonResourceRules == 0)
            {
                errors.Add(FieldError.Required(path, "at least one of resourceRules and nonResourceRules has to be non-empty"));
            }
        }

        private static void Default(JsonObject obj)
        {
            if (obj["spec"] is JsonObject spec)
            {
                spec["matchingPrecedence"] ??= 1000;
            }
        }
    }
}
