using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Autoscaling.HorizontalPodAutoscalers;

/// <summary>
/// The <c>horizontalpodautoscalers</c> resource, stored as autoscaling/v2 (the preferred version) and
/// served in autoscaling/v1 too (<see cref="V1"/>), with a <c>status</c> subresource. Defaults as
/// <c>pkg/apis/autoscaling/v2/defaults.go</c>: one minimum replica, an 80% CPU utilization target when
/// no metric is given, and a given behavior completed with kube's scale-up and scale-down rules
/// (scale-down leaves its stabilization window to the controller's flag).
/// </summary>
public static class HorizontalPodAutoscalerResource
{
    private static readonly GroupVersionKind V2Kind = new("autoscaling", "v2", "HorizontalPodAutoscaler");

    /// <summary>Its definition (autoscaling/v2, the storage version).</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(V2Kind, "horizontalpodautoscalers", "horizontalpodautoscaler", Namespaced: true),
        new Strategy())
    {
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V2HorizontalPodAutoscaler)),
        Typed = true,
        Protobuf = AutoscalingMessages.V2,
        ShortNames = ["hpa"],
        Categories = ["all"],
        StatusSubresource = true,
        Columns = HpaColumns.All,
    };

    /// <summary>autoscaling/v1, served over the same storage.</summary>
    public static ServedVersion V1 { get; } = new(
        Definition.Names with { Kind = V2Kind with { Version = "v1" } },
        HpaV1Conversion.Instance)
    {
        Schema = ModelSchemas.For(typeof(k8s.Models.V1HorizontalPodAutoscaler)),
        Typed = true,
        Protobuf = AutoscalingMessages.V1,
        ShortNames = ["hpa"],
        Categories = ["all"],
        // kube prints either version from the same internal object: the v2 columns, on the v2 form.
        Columns = [.. HpaColumns.All.Select(c => c with { Cell = obj => c.Cell(HpaV1Conversion.Instance.ToStorage((JsonObject)obj.DeepClone())) })],
    };

    private sealed class Strategy : IRestStrategy
    {
        public void PrepareForCreate(JsonObject obj)
        {
            Default(obj);
            obj["status"] = new JsonObject { ["desiredReplicas"] = 0 }; // Go writes the struct; desiredReplicas has no omitempty.
        }

        public void PrepareForUpdate(JsonObject obj, JsonObject old) => Default(obj);

        public void Validate(JsonObject obj, List<FieldError> errors)
        {
            HorizontalPodAutoscalerValidation.Validate(obj, errors);
            HorizontalPodAutoscalerValidation.ValidateStatus(obj, errors);
        }

        private static void Default(JsonObject obj)
        {
            if (obj["spec"] is not JsonObject spec)
            {
                return;
            }
            spec["minReplicas"] ??= 1;
            if (spec["metrics"] is not JsonArray { Count: > 0 })
            {
                spec["metrics"] = new JsonArray(new JsonObject
                {
                    ["type"] = "Resource",
                    ["resource"] = new JsonObject { ["name"] = "cpu", ["target"] = new JsonObject { ["type"] = "Utilization", ["averageUtilization"] = 80 } },
                });
            }
            if (spec["behavior"] is JsonObject behavior)
            {
                behavior["scaleUp"] = Rules(behavior["scaleUp"] as JsonObject, window: 0, [("Pods", 4), ("Percent", 100)]);
                behavior["scaleDown"] = Rules(behavior["scaleDown"] as JsonObject, window: null, [("Percent", 100)]);
            }
        }

        // GenerateHPAScaleUpRules / GenerateHPAScaleDownRules: what is unset takes the direction's default.
        private static JsonObject Rules(JsonObject? rules, int? window, (string Type, int Value)[] policies)
        {
            rules ??= [];
            var result = new JsonObject();
            if ((rules["stabilizationWindowSeconds"]?.DeepClone() ?? (window is { } w ? JsonValue.Create(w) : null)) is { } stabilization)
            {
                result["stabilizationWindowSeconds"] = stabilization;
            }
            result["selectPolicy"] = rules["selectPolicy"]?.DeepClone() ?? "Max";
            // Policies given, even none, are kept (and an empty list fails validation), as copyHPAScalingRules keeps them.
            result["policies"] = rules["policies"] is JsonArray given
                ? given.DeepClone()
                : new JsonArray([.. policies.Select(p => (JsonNode)new JsonObject { ["type"] = p.Type, ["value"] = p.Value, ["periodSeconds"] = 15 })]);
            if (rules["tolerance"] is { } tolerance)
            {
                result["tolerance"] = tolerance.DeepClone();
            }
            return result;
        }
    }
}
