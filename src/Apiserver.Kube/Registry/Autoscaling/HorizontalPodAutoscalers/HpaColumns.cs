using System.Text.Json.Nodes;
using Apiserver.Generic.Registry.Generic;

namespace Apiserver.Kube.Registry.Autoscaling.HorizontalPodAutoscalers;

/// <summary>
/// kube's <c>kubectl get hpa</c> columns (NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE), computed
/// on the autoscaling/v2 form as kube's printer computes them on the internal one.
/// </summary>
internal static class HpaColumns
{
    public static IReadOnlyList<TableColumn> All { get; } =
    [
        TableColumn.NameColumn,
        new("Reference", "string", "reference to scaled resource; horizontal pod autoscaler will learn the current resource consumption and will set the desired number of pods by using its Scale subresource.",
            obj => $"{obj["spec"]?["scaleTargetRef"]?["kind"]}/{obj["spec"]?["scaleTargetRef"]?["name"]}"),
        new("Targets", "string", "metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).  The desired replica count is calculated multiplying the ratio between the target value and the current value by the current number of pods.  Ergo, metrics used must decrease as the pod count is increased, and vice-versa.  See the individual metric source types for more information about how each type of metric must respond.",
            obj => Targets(obj["spec"]?["metrics"] as JsonArray ?? [], obj["status"]?["currentMetrics"] as JsonArray ?? [])),
        new("MinPods", "string", "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.  It defaults to 1 pod.  minReplicas is allowed to be 0 if the alpha feature gate HPAScaleToZero is enabled and at least one Object or External metric is configured.  Scaling is active as long as at least one metric value is available.",
            obj => obj["spec"]?["minReplicas"]?.ToString() ?? "<unset>"),
        new("MaxPods", "integer", "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas.",
            obj => obj["spec"]?["maxReplicas"]?.DeepClone() ?? 0),
        new("Replicas", "integer", "currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.",
            obj => obj["status"]?["currentReplicas"]?.DeepClone() ?? 0),
        TableColumn.AgeColumn,
    ];

    /// <summary>kube's <c>formatHPAMetrics</c>: each metric as current/target, the first two and a count of the rest.</summary>
    private static string Targets(JsonArray specs, JsonArray statuses)
    {
        if (specs.Count == 0)
        {
            return "<none>";
        }
        var list = new List<string>();
        for (var i = 0; i < specs.Count; i++)
        {
            var spec = specs[i] as JsonObject ?? [];
            var status = i < statuses.Count ? statuses[i] as JsonObject : null;
            list.Add(spec["type"]?.ToString() switch
            {
                "External" => ValueOrAverage(spec["external"]?["target"], status?["external"]?["current"]),
                "Object" => ValueOrAverage(spec["object"]?["target"], status?["object"]?["current"]),
                "Pods" => $"{Quantity(status?["pods"]?["current"]?["averageValue"], status?["pods"] is not null)}/{spec["pods"]?["target"]?["averageValue"]}",
                "Resource" => Resource(spec["resource"], status?["resource"]),
                "ContainerResource" => Resource(spec["containerResource"], status?["containerResource"]),
                _ => "<unknown type>",
            });
        }
        var shown = string.Join(", ", list.Take(2));
        return list.Count > 2 ? $"{shown} + {list.Count - 2} more..." : shown;
    }

    private static string ValueOrAverage(JsonNode? target, JsonNode? current)
    {
        if (target?["averageValue"] is { } average)
        {
            return $"{current?["averageValue"]?.ToString() ?? "<unknown>"}/{average} (avg)";
        }
        return $"{Quantity(current?["value"], current is not null)}/{target?["value"]?.ToString() ?? "0"}";
    }

    private static string Resource(JsonNode? spec, JsonNode? status)
    {
        var name = spec?["name"]?.ToString() ?? "";
        var target = spec?["target"];
        if (target?["averageValue"] is { } average)
        {
            return $"{name}: {Quantity(status?["current"]?["averageValue"], status is not null)}/{average}";
        }
        var current = status?["current"]?["averageUtilization"] is { } utilization ? $"{utilization}%" : "<unknown>";
        var wanted = target?["averageUtilization"] is { } percent ? $"{percent}%" : "<auto>";
        return $"{name}: {current}/{wanted}";
    }

    // A status that is there prints its quantity (zero when unset, as Go's zero Quantity prints "0").
    private static string Quantity(JsonNode? value, bool present) => present ? value?.ToString() ?? "0" : "<unknown>";
}
