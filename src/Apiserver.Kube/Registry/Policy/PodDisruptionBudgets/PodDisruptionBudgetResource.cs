using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Registry.Apps;
using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Policy.PodDisruptionBudgets;

/// <summary>
/// The <c>poddisruptionbudgets</c> resource of policy/v1, with a <c>status</c> subresource. As
/// <c>ValidatePodDisruptionBudgetSpec</c>: at most one of minAvailable and maxUnavailable, each a
/// non-negative integer or a percentage up to 100%, and a supported unhealthy pod eviction policy.
/// A new budget's status has kube's zero counts.
/// </summary>
public static class PodDisruptionBudgetResource
{
    private static readonly string[] EvictionPolicies = ["AlwaysAllow", "IfHealthyBudget"];
    private static readonly Regex Percent = new("^[0-9]+%$", RegexOptions.CultureInvariant);

    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("policy", "v1", "PodDisruptionBudget"), "poddisruptionbudgets", "poddisruptionbudget", Namespaced: true),
        new Strategy())
    {
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1PodDisruptionBudget)),
        Typed = true,
        Protobuf = PolicyV1Messages.PodDisruptionBudget,
        ShortNames = ["pdb"],
        StatusSubresource = true,
        TracksGeneration = true,
        Columns =
        [
            TableColumn.NameColumn,
            new("Min Available", "string", "The minimum number of pods that must be available.", obj => obj["spec"]?["minAvailable"]?.ToString() ?? "N/A"),
            new("Max Unavailable", "string", "The maximum number of pods that may be unavailable.", obj => obj["spec"]?["maxUnavailable"]?.ToString() ?? "N/A"),
            new("Allowed Disruptions", "integer", "Calculated number of pods that may be disrupted at this time.",
                obj => WorkloadValidation.Integer(obj["status"]?["disruptionsAllowed"]) ?? 0),
            TableColumn.AgeColumn,
        ],
    };

    private sealed class Strategy : IRestStrategy
    {
        // Go writes the status counts without omitempty.
        public void PrepareForCreate(JsonObject obj) =>
            obj["status"] = new JsonObject { ["disruptionsAllowed"] = 0, ["currentHealthy"] = 0, ["desiredHealthy"] = 0, ["expectedPods"] = 0 };

        public void Validate(JsonObject obj, List<FieldError> errors)
        {
            var spec = obj["spec"] as JsonObject ?? [];
            if (spec["minAvailable"] is not null && spec["maxUnavailable"] is not null)
            {
                errors.Add(FieldError.Invalid("spec", spec.DeepClone(), "minAvailable and maxUnavailable cannot be both set"));
            }
            ValidateIntOrPercent(spec["minAvailable"], "spec.minAvailable", errors);
            ValidateIntOrPercent(spec["maxUnavailable"], "spec.maxUnavailable", errors);
            if (spec["unhealthyPodEvictionPolicy"]?.ToString() is { } policy && !EvictionPolicies.Contains(policy))
            {
                errors.Add(FieldError.NotSupported("spec.unhealthyPodEvictionPolicy", policy, EvictionPolicies));
            }
        }

        private static void ValidateIntOrPercent(JsonNode? value, string field, List<FieldError> errors)
        {
            if (value is not JsonValue v)
            {
                return;
            }
            if (v.TryGetValue<string>(out var text))
            {
                if (!Percent.IsMatch(text))
                {
                    errors.Add(FieldError.Invalid(field, text, "must be an integer or percentage (e.g '5%')"));
                }
                else if (int.TryParse(text.TrimEnd('%'), out var percent) && percent > 100)
                {
                    errors.Add(FieldError.Invalid(field, text, "must not be greater than 100%"));
                }
            }
            else if (WorkloadValidation.Integer(v) is < 0)
            {
                errors.Add(FieldError.Invalid(field, v.DeepClone(), "must be greater than or equal to 0"));
            }
        }
    }
}
