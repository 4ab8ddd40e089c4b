using System.Text.Json;
using System.Text.Json.Nodes;

namespace Apiserver.Kube.Registry.Autoscaling.HorizontalPodAutoscalers;

/// <summary>
/// The <c>autoscaling.alpha.kubernetes.io/behavior</c> annotation: kube marshals its internal
/// <c>HorizontalPodAutoscalerBehavior</c>, which has no json tags, so the keys are Go's field names
/// (<c>ScaleUp</c>, <c>StabilizationWindowSeconds</c>…) and nil pointers are <c>null</c>; Go reads the
/// keys back ignoring case.
/// </summary>
internal static class HpaBehaviorAnnotation
{
    /// <summary>The annotation's value for a v2 <c>behavior</c>.</summary>
    public static string Write(JsonObject behavior) => new JsonObject
    {
        ["ScaleUp"] = Rules(behavior["scaleUp"] as JsonObject),
        ["ScaleDown"] = Rules(behavior["scaleDown"] as JsonObject),
    }.ToJsonString();

    private static JsonObject? Rules(JsonObject? rules) => rules is null ? null : new JsonObject
    {
        ["StabilizationWindowSeconds"] = rules["stabilizationWindowSeconds"]?.DeepClone(),
        ["SelectPolicy"] = rules["selectPolicy"]?.DeepClone(),
        ["Policies"] = rules["policies"] is JsonArray policies
            ? new JsonArray([.. policies.OfType<JsonObject>().Select(p => (JsonNode)new JsonObject
            {
                ["Type"] = p["type"]?.DeepClone() ?? "",
                ["Value"] = p["value"]?.DeepClone() ?? 0,
                ["PeriodSeconds"] = p["periodSeconds"]?.DeepClone() ?? 0,
            })])
            : null,
        ["Tolerance"] = rules["tolerance"]?.DeepClone(),
    };

    /// <summary>The v2 <c>behavior</c> an annotation holds; null when it is not JSON or holds no rules.</summary>
    public static JsonObject? Read(string value)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(value);
        }
        catch (JsonException)
        {
            return null;
        }
        if (node is not JsonObject behavior)
        {
            return null;
        }
        var result = new JsonObject();
        HpaV1Metrics.Set(result, "scaleUp", ReadRules(Get(behavior, "ScaleUp")));
        HpaV1Metrics.Set(result, "scaleDown", ReadRules(Get(behavior, "ScaleDown")));
        return result.Count == 0 ? null : result;
    }

    private static JsonObject? ReadRules(JsonNode? node)
    {
        if (node is not JsonObject rules)
        {
            return null;
        }
        var result = new JsonObject();
        HpaV1Metrics.Set(result, "stabilizationWindowSeconds", Get(rules, "StabilizationWindowSeconds"));
        HpaV1Metrics.Set(result, "selectPolicy", Get(rules, "SelectPolicy"));
        if (Get(rules, "Policies") is JsonArray policies)
        {
            result["policies"] = new JsonArray([.. policies.OfType<JsonObject>().Select(p => (JsonNode)new JsonObject
            {
                ["type"] = Get(p, "Type")?.DeepClone() ?? "",
                ["value"] = Get(p, "Value")?.DeepClone() ?? 0,
                ["periodSeconds"] = Get(p, "PeriodSeconds")?.DeepClone() ?? 0,
            })]);
        }
        HpaV1Metrics.Set(result, "tolerance", Get(rules, "Tolerance"));
        return result;
    }

    // encoding/json matches a key exactly, else ignoring case.
    private static JsonNode? Get(JsonObject obj, string name) =>
        obj.TryGetPropertyValue(name, out var exact) ? exact : obj.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}
