using System.Text.Json.Nodes;

namespace Apiserver.Kube.Registry.Autoscaling.HorizontalPodAutoscalers;

/// <summary>
/// The metric specs and statuses of autoscaling/v2 in autoscaling/v1's (v2beta1-like) shape and back,
/// as <c>pkg/apis/autoscaling/v1/conversion.go</c> converts them for the round-trip annotations. Go's
/// non-pointer quantities (<c>targetValue</c>, <c>currentAverageValue</c>…) are written as <c>"0"</c> when zero.
/// </summary>
internal static class HpaV1Metrics
{
    private static readonly string[] Sources = ["object", "pods", "resource", "containerResource", "external"];

    /// <summary>A v2 <c>MetricSpec</c> in v1's shape.</summary>
    public static JsonObject SpecToV1(JsonObject m)
    {
        var result = new JsonObject { ["type"] = Clone(m["type"]) ?? "" };
        foreach (var source in Sources)
        {
            if (m[source] is not JsonObject s)
            {
                continue;
            }
            var target = s["target"] as JsonObject ?? [];
            var v = new JsonObject();
            switch (source)
            {
                case "object":
                    v["target"] = Reference(s["describedObject"]);
                    v["metricName"] = Clone(s["metric"]?["name"]) ?? "";
                    v["targetValue"] = QuantityOrZero(target["value"]);
                    Set(v, "selector", s["metric"]?["selector"]);
                    Set(v, "averageValue", target["averageValue"]);
                    break;
                case "pods":
                    v["metricName"] = Clone(s["metric"]?["name"]) ?? "";
                    v["targetAverageValue"] = QuantityOrZero(target["averageValue"]);
                    Set(v, "selector", s["metric"]?["selector"]);
                    break;
                case "resource" or "containerResource":
                    v["name"] = Clone(s["name"]) ?? "";
                    Set(v, "targetAverageUtilization", target["averageUtilization"]);
                    Set(v, "targetAverageValue", target["averageValue"]);
                    if (source == "containerResource") v["container"] = Clone(s["container"]) ?? "";
                    break;
                case "external":
                    v["metricName"] = Clone(s["metric"]?["name"]) ?? "";
                    Set(v, "metricSelector", s["metric"]?["selector"]);
                    Set(v, "targetValue", target["value"]);
                    Set(v, "targetAverageValue", target["averageValue"]);
                    break;
            }
            result[source] = v;
        }
        return result;
    }

    /// <summary>A v1-shaped <c>MetricSpec</c> (from the annotation) in v2's shape.</summary>
    public static JsonObject SpecToV2(JsonObject m)
    {
        var result = new JsonObject { ["type"] = Clone(m["type"]) ?? "" };
        foreach (var source in Sources)
        {
            if (m[source] is not JsonObject s)
            {
                continue;
            }
            var target = new JsonObject();
            var v = new JsonObject();
            switch (source)
            {
                case "object":
                    target["type"] = s["averageValue"] is null ? "Value" : "AverageValue";
                    target["value"] = QuantityOrZero(s["targetValue"]);
                    Set(target, "averageValue", s["averageValue"]);
                    v["describedObject"] = Reference(s["target"]);
                    v["target"] = target;
                    v["metric"] = Identifier(s["metricName"], s["selector"]);
                    break;
                case "pods":
                    v["metric"] = Identifier(s["metricName"], s["selector"]);
                    v["target"] = new JsonObject { ["type"] = "AverageValue", ["averageValue"] = QuantityOrZero(s["targetAverageValue"]) };
                    break;
                case "resource" or "containerResource":
                    target["type"] = s["targetAverageUtilization"] is null ? "AverageValue" : "Utilization";
                    Set(target, "averageValue", s["targetAverageValue"]);
                    Set(target, "averageUtilization", s["targetAverageUtilization"]);
                    v["name"] = Clone(s["name"]) ?? "";
                    v["target"] = target;
                    if (source == "containerResource") v["container"] = Clone(s["container"]) ?? "";
                    break;
                case "external":
                    target["type"] = s["targetValue"] is null ? "AverageValue" : "Value";
                    Set(target, "value", s["targetValue"]);
                    Set(target, "averageValue", s["targetAverageValue"]);
                    v["metric"] = Identifier(s["metricName"], s["metricSelector"]);
                    v["target"] = target;
                    break;
            }
            result[source] = v;
        }
        return result;
    }

    /// <summary>A v2 <c>MetricStatus</c> in v1's shape.</summary>
    public static JsonObject StatusToV1(JsonObject m)
    {
        var result = new JsonObject { ["type"] = Clone(m["type"]) ?? "" };
        foreach (var source in Sources)
        {
            if (m[source] is not JsonObject s)
            {
                continue;
            }
            var current = s["current"] as JsonObject ?? [];
            var v = new JsonObject();
            switch (source)
            {
                case "object":
                    v["target"] = Reference(s["describedObject"]);
                    v["metricName"] = Clone(s["metric"]?["name"]) ?? "";
                    v["currentValue"] = QuantityOrZero(current["value"]);
                    Set(v, "selector", s["metric"]?["selector"]);
                    Set(v, "averageValue", current["averageValue"]);
                    break;
                case "pods":
                    v["metricName"] = Clone(s["metric"]?["name"]) ?? "";
                    v["currentAverageValue"] = QuantityOrZero(current["averageValue"]);
                    Set(v, "selector", s["metric"]?["selector"]);
                    break;
                case "resource" or "containerResource":
                    v["name"] = Clone(s["name"]) ?? "";
                    Set(v, "currentAverageUtilization", current["averageUtilization"]);
                    v["currentAverageValue"] = QuantityOrZero(current["averageValue"]);
                    if (source == "containerResource") v["container"] = Clone(s["container"]) ?? "";
                    break;
                case "external":
                    v["metricName"] = Clone(s["metric"]?["name"]) ?? "";
                    Set(v, "metricSelector", s["metric"]?["selector"]);
                    v["currentValue"] = QuantityOrZero(current["value"]);
                    Set(v, "currentAverageValue", current["averageValue"]);
                    break;
            }
            result[source] = v;
        }
        return result;
    }

    /// <summary>A v1-shaped <c>MetricStatus</c> (from the annotation) in v2's shape.</summary>
    public static JsonObject StatusToV2(JsonObject m)
    {
        var result = new JsonObject { ["type"] = Clone(m["type"]) ?? "" };
        foreach (var source in Sources)
        {
            if (m[source] is not JsonObject s)
            {
                continue;
            }
            var current = new JsonObject();
            var v = new JsonObject();
            switch (source)
            {
                case "object":
                    current["value"] = QuantityOrZero(s["currentValue"]);
                    Set(current, "averageValue", s["averageValue"]);
                    v["metric"] = Identifier(s["metricName"], s["selector"]);
                    v["current"] = current;
                    v["describedObject"] = Reference(s["target"]);
                    break;
                case "pods":
                    v["metric"] = Identifier(s["metricName"], s["selector"]);
                    v["current"] = new JsonObject { ["averageValue"] = QuantityOrZero(s["currentAverageValue"]) };
                    break;
                case "resource" or "containerResource":
                    current["averageValue"] = QuantityOrZero(s["currentAverageValue"]);
                    Set(current, "averageUtilization", s["currentAverageUtilization"]);
                    v["name"] = Clone(s["name"]) ?? "";
                    v["current"] = current;
                    if (source == "containerResource") v["container"] = Clone(s["container"]) ?? "";
                    break;
                case "external":
                    current["value"] = QuantityOrZero(s["currentValue"]);
                    Set(current, "averageValue", s["currentAverageValue"]);
                    v["metric"] = Identifier(s["metricName"], s["metricSelector"]);
                    v["current"] = current;
                    break;
            }
            result[source] = v;
        }
        return result;
    }

    /// <summary>A <c>CrossVersionObjectReference</c> as Go writes it: kind and name always, apiVersion when set.</summary>
    public static JsonObject Reference(JsonNode? reference)
    {
        var result = new JsonObject { ["kind"] = Clone(reference?["kind"]) ?? "", ["name"] = Clone(reference?["name"]) ?? "" };
        Set(result, "apiVersion", reference?["apiVersion"]);
        return result;
    }

    private static JsonObject Identifier(JsonNode? name, JsonNode? selector)
    {
        var result = new JsonObject { ["name"] = Clone(name) ?? "" };
        Set(result, "selector", selector);
        return result;
    }

    private static JsonNode QuantityOrZero(JsonNode? value) => Clone(value) ?? "0";

    /// <summary>Sets <paramref name="key"/> to a copy of <paramref name="value"/> when it is there.</summary>
    public static void Set(JsonObject target, string key, JsonNode? value)
    {
        if (value is not null)
        {
            target[key] = value.DeepClone();
        }
    }

    private static JsonNode? Clone(JsonNode? value) => value?.DeepClone();
}
