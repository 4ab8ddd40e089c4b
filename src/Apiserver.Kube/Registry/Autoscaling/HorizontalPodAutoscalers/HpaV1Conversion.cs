using System.Text.Json;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;

namespace Apiserver.Kube.Registry.Autoscaling.HorizontalPodAutoscalers;

/// <summary>
/// autoscaling/v1 HorizontalPodAutoscaler to and from the autoscaling/v2 one it is stored as, as
/// <c>pkg/apis/autoscaling/v1/conversion.go</c>: v1 keeps only the CPU utilization target and
/// current value; what v1 cannot say (other metrics, current metrics, behavior, conditions) travels in
/// <c>autoscaling.alpha.kubernetes.io/*</c> annotations, so a v1 client that reads and writes an
/// object back loses nothing. Annotations of that kind sent in v2 are dropped.
/// </summary>
internal sealed class HpaV1Conversion : IVersionConverter
{
    public const string MetricsAnnotation = "autoscaling.alpha.kubernetes.io/metrics";
    public const string CurrentMetricsAnnotation = "autoscaling.alpha.kubernetes.io/current-metrics";
    public const string ConditionsAnnotation = "autoscaling.alpha.kubernetes.io/conditions";
    public const string BehaviorAnnotation = "autoscaling.alpha.kubernetes.io/behavior";

    // kube drops these on every conversion, so that only the ones it writes are there.
    private static readonly string[] RoundTripAnnotations =
    [
        MetricsAnnotation, BehaviorAnnotation, "autoscaling.alpha.kubernetes.io/scale-down-tolerance",
        "autoscaling.alpha.kubernetes.io/scale-up-tolerance", CurrentMetricsAnnotation, ConditionsAnnotation,
    ];

    public static HpaV1Conversion Instance { get; } = new();

    public JsonObject FromStorage(JsonObject stored)
    {
        var spec = stored["spec"] as JsonObject ?? [];
        var status = stored["status"] as JsonObject ?? [];
        var metrics = (spec["metrics"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var currentMetrics = (status["currentMetrics"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var result = new JsonObject { ["metadata"] = stored["metadata"]?.DeepClone() ?? new JsonObject() };
        var annotations = WithoutRoundTrip(result.Metadata());

        var v1Spec = new JsonObject { ["scaleTargetRef"] = HpaV1Metrics.Reference(spec["scaleTargetRef"]) };
        HpaV1Metrics.Set(v1Spec, "minReplicas", spec["minReplicas"]);
        v1Spec["maxReplicas"] = spec["maxReplicas"]?.DeepClone() ?? 0;
        HpaV1Metrics.Set(v1Spec, "targetCPUUtilizationPercentage", metrics.FirstOrDefault(IsCpuUtilization)?["resource"]?["target"]?["averageUtilization"]);
        result["spec"] = v1Spec;

        var v1Status = new JsonObject();
        HpaV1Metrics.Set(v1Status, "observedGeneration", status["observedGeneration"]);
        HpaV1Metrics.Set(v1Status, "lastScaleTime", status["lastScaleTime"]);
        v1Status["currentReplicas"] = status["currentReplicas"]?.DeepClone() ?? 0;
        v1Status["desiredReplicas"] = status["desiredReplicas"]?.DeepClone() ?? 0;
        // The last CPU status with a utilization wins, as kube's loop has no break.
        HpaV1Metrics.Set(v1Status, "currentCPUUtilizationPercentage", currentMetrics
            .LastOrDefault(m => m["type"]?.ToString() == "Resource" && m["resource"]?["name"]?.ToString() == "cpu" && m["resource"]?["current"]?["averageUtilization"] is not null)
            ?["resource"]?["current"]?["averageUtilization"]);
        result["status"] = v1Status;

        var other = metrics.Where(m => !IsCpuUtilization(m)).Select(HpaV1Metrics.SpecToV1).ToList();
        if (other.Count > 0) annotations[MetricsAnnotation] = Array(other);
        if (currentMetrics.Count > 0) annotations[CurrentMetricsAnnotation] = Array(currentMetrics.Select(HpaV1Metrics.StatusToV1));
        if (spec["behavior"] is JsonObject behavior) annotations[BehaviorAnnotation] = HpaBehaviorAnnotation.Write(behavior);
        if (status["conditions"] is JsonArray { Count: > 0 } conditions) annotations[ConditionsAnnotation] = conditions.ToJsonString();
        SetAnnotations(result.Metadata(), annotations);
        return result;
    }

    public JsonObject ToStorage(JsonObject served)
    {
        var spec = served["spec"] as JsonObject ?? [];
        var status = served["status"] as JsonObject ?? [];
        var meta = served["metadata"] as JsonObject ?? [];
        var given = meta["annotations"] as JsonObject ?? [];
        var result = new JsonObject { ["metadata"] = meta.DeepClone() };

        var metrics = new JsonArray();
        if (Annotation(given, MetricsAnnotation) is JsonArray other)
        {
            foreach (var m in other.OfType<JsonObject>()) metrics.Add(HpaV1Metrics.SpecToV2(m));
        }
        if (spec["targetCPUUtilizationPercentage"] is { } cpu)
        {
            // The normal spec conversion's one metric goes after the annotation's.
            metrics.Add(CpuUtilization("target", cpu.DeepClone(), "Utilization"));
        }
        if (metrics.Count == 0)
        {
            // The implicit default v1 formerly applied in the controller.
            metrics.Add(CpuUtilization("target", 80, "Utilization"));
        }
        var v2Spec = new JsonObject { ["scaleTargetRef"] = HpaV1Metrics.Reference(spec["scaleTargetRef"]) };
        v2Spec["minReplicas"] = spec["minReplicas"]?.DeepClone() ?? 1; // v1's default
        v2Spec["maxReplicas"] = spec["maxReplicas"]?.DeepClone() ?? 0;
        v2Spec["metrics"] = metrics;
        if (given[BehaviorAnnotation]?.ToString() is { } encoded && HpaBehaviorAnnotation.Read(encoded) is { } behavior)
        {
            v2Spec["behavior"] = behavior;
        }
        result["spec"] = v2Spec;

        var v2Status = new JsonObject();
        HpaV1Metrics.Set(v2Status, "observedGeneration", status["observedGeneration"]);
        HpaV1Metrics.Set(v2Status, "lastScaleTime", status["lastScaleTime"]);
        if (status["currentReplicas"] is { } current && current.ToString() != "0") v2Status["currentReplicas"] = current.DeepClone();
        v2Status["desiredReplicas"] = status["desiredReplicas"]?.DeepClone() ?? 0;
        if (Annotation(given, CurrentMetricsAnnotation) is JsonArray currentMetrics)
        {
            // The annotation has everything: it replaces what the CPU percentage would say.
            v2Status["currentMetrics"] = new JsonArray([.. currentMetrics.OfType<JsonObject>().Select(m => (JsonNode)HpaV1Metrics.StatusToV2(m))]);
        }
        else if (status["currentCPUUtilizationPercentage"] is { } currentCpu)
        {
            v2Status["currentMetrics"] = new JsonArray(new JsonObject
            {
                ["type"] = "Resource",
                ["resource"] = new JsonObject { ["name"] = "cpu", ["current"] = new JsonObject { ["averageUtilization"] = currentCpu.DeepClone() } },
            });
        }
        if (Annotation(given, ConditionsAnnotation) is JsonArray conditions)
        {
            v2Status["conditions"] = conditions;
        }
        result["status"] = v2Status;
        SetAnnotations(result.Metadata(), WithoutRoundTrip(result.Metadata()));
        return result;
    }

    private static bool IsCpuUtilization(JsonObject m) =>
        m["type"]?.ToString() == "Resource" && m["resource"]?["name"]?.ToString() == "cpu" && m["resource"]?["target"]?["averageUtilization"] is not null;

    private static JsonObject CpuUtilization(string field, JsonNode utilization, string type) => new()
    {
        ["type"] = "Resource",
        ["resource"] = new JsonObject { ["name"] = "cpu", [field] = new JsonObject { ["type"] = type, ["averageUtilization"] = utilization } },
    };

    /// <summary>The JSON an annotation holds; a value that is not JSON is a client mistake, as kube's conversion error is.</summary>
    private static JsonNode? Annotation(JsonObject annotations, string name)
    {
        if (annotations[name]?.ToString() is not { } value)
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(value);
        }
        catch (JsonException e)
        {
            throw StatusException.BadRequest($"the annotation {name} is not valid JSON: {e.Message}");
        }
    }

    private static JsonObject WithoutRoundTrip(JsonObject meta)
    {
        var annotations = meta["annotations"] as JsonObject ?? [];
        var result = new JsonObject();
        foreach (var (key, value) in annotations)
        {
            if (!RoundTripAnnotations.Contains(key)) result[key] = value?.DeepClone();
        }
        return result;
    }

    private static void SetAnnotations(JsonObject meta, JsonObject annotations)
    {
        if (annotations.Count > 0) meta["annotations"] = annotations; else meta.Remove("annotations");
    }

    private static string Array(IEnumerable<JsonObject> items) => new JsonArray([.. items.Select(i => (JsonNode)i)]).ToJsonString();
}
