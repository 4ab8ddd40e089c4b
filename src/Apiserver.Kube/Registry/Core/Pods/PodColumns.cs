using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Kube.Registry.Apps;

namespace Apiserver.Kube.Registry.Core.Pods;

/// <summary>The <c>kubectl get pods</c> columns, computed as kube's <c>printPod</c> (<c>pkg/printers/internalversion</c>).</summary>
internal static class PodColumns
{
    public static IReadOnlyList<TableColumn> All { get; } =
    [
        TableColumn.NameColumn,
        new("Ready", "string", "The aggregate readiness state of this pod for accepting traffic.", Ready),
        new("Status", "string", "The aggregate status of the containers in this pod.", Status),
        new("Restarts", "string", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.", Restarts),
        TableColumn.AgeColumn,
        new("IP", "string", "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.",
            obj => OrNone(obj["status"]?["podIP"]), Priority: 1),
        new("Node", "string", "NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename",
            obj => OrNone(obj["spec"]?["nodeName"]), Priority: 1),
        new("Nominated Node", "string", "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.",
            obj => OrNone(obj["status"]?["nominatedNodeName"]), Priority: 1),
        new("Readiness Gates", "string", "Reference to the conditions the pod needs to be ready.", ReadinessGates, Priority: 1),
    ];

    private static JsonNode OrNone(JsonNode? value) => value?.ToString() is { Length: > 0 } s ? s : "<none>";

    private static IEnumerable<JsonObject> Items(JsonNode? node) => (node as JsonArray ?? []).OfType<JsonObject>();

    private static JsonNode Ready(JsonObject pod)
    {
        static bool IsTrue(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) && b;
        // Restartable init containers (sidecars) count as containers once started.
        var sidecars = Items(pod["spec"]?["initContainers"]).Where(c => c["restartPolicy"]?.ToString() == "Always")
            .Select(c => c["name"]?.ToString()).ToHashSet();
        var total = Items(pod["spec"]?["containers"]).Count() + sidecars.Count;
        var ready = Items(pod["status"]?["containerStatuses"]).Count(s => IsTrue(s["ready"]))
            + Items(pod["status"]?["initContainerStatuses"]).Count(s => sidecars.Contains(s["name"]?.ToString()) && IsTrue(s["ready"]) && IsTrue(s["started"]));
        return $"{ready}/{total}";
    }

    private static JsonNode Restarts(JsonObject pod)
    {
        var statuses = Items(pod["status"]?["containerStatuses"]).ToList();
        var restarts = statuses.Sum(s => WorkloadValidation.Integer(s["restartCount"]) ?? 0);
        var last = statuses.Select(s => ObjectMeta.ParseTime(s["lastState"]?["terminated"]?["finishedAt"])).Where(t => t is not null).Max();
        var count = restarts.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return restarts != 0 && last is not null ? $"{count} ({HumanDuration.Since(last)} ago)" : count;
    }

    private static JsonNode Status(JsonObject pod)
    {
        var reason = pod["status"]?["phase"]?.ToString() ?? "";
        if (pod["status"]?["reason"]?.ToString() is { Length: > 0 } r)
        {
            reason = r;
        }
        if (Items(pod["status"]?["conditions"]).Any(c => c["type"]?.ToString() == "PodScheduled" && c["reason"]?.ToString() == "SchedulingGated"))
        {
            reason = "SchedulingGated";
        }
        var initializing = false;
        var initStatuses = Items(pod["status"]?["initContainerStatuses"]).ToList();
        for (var i = 0; i < initStatuses.Count; i++)
        {
            var state = initStatuses[i]["state"];
            var sidecar = Items(pod["spec"]?["initContainers"]).Any(c => c["name"]?.ToString() == initStatuses[i]["name"]?.ToString() && c["restartPolicy"]?.ToString() == "Always");
            if (state?["terminated"] is JsonObject t && WorkloadValidation.Integer(t["exitCode"]) == 0
                || sidecar && initStatuses[i]["started"] is JsonValue sv && sv.TryGetValue<bool>(out var started) && started)
            {
                continue;
            }
            initializing = true;
            reason = state?["terminated"] is JsonObject term
                ? term["reason"]?.ToString() is { Length: > 0 } tr ? "Init:" + tr : $"Init:ExitCode:{WorkloadValidation.Integer(term["exitCode"]) ?? 0}"
                : state?["waiting"]?["reason"]?.ToString() is { Length: > 0 } wr && wr != "PodInitializing" ? "Init:" + wr
                : $"Init:{i}/{Items(pod["spec"]?["initContainers"]).Count()}";
            break;
        }
        if (!initializing)
        {
            var hasRunning = false;
            foreach (var s in Items(pod["status"]?["containerStatuses"]).Reverse())
            {
                var state = s["state"];
                if (state?["waiting"]?["reason"]?.ToString() is { Length: > 0 } wr)
                {
                    reason = wr;
                }
                else if (state?["terminated"] is JsonObject term)
                {
                    reason = term["reason"]?.ToString() is { Length: > 0 } tr ? tr
                        : WorkloadValidation.Integer(term["signal"]) is { } sig and not 0 ? $"Signal:{sig}" : $"ExitCode:{WorkloadValidation.Integer(term["exitCode"]) ?? 0}";
                }
                else if (state?["running"] is not null && s["ready"] is JsonValue v && v.TryGetValue<bool>(out var ready) && ready)
                {
                    hasRunning = true;
                }
            }
            if (reason == "Completed" && hasRunning)
            {
                reason = "Running";
            }
        }
        if (pod.Metadata()["deletionTimestamp"] is not null)
        {
            reason = reason == "NodeLost" ? "Unknown" : "Terminating";
        }
        return reason;
    }

    private static JsonNode ReadinessGates(JsonObject pod)
    {
        var gates = Items(pod["spec"]?["readinessGates"]).Select(g => g["conditionType"]?.ToString()).ToList();
        if (gates.Count == 0)
        {
            return "<none>";
        }
        var trueConditions = Items(pod["status"]?["conditions"]).Count(c => gates.Contains(c["type"]?.ToString()) && c["status"]?.ToString() == "True");
        return $"{trueConditions}/{gates.Count}";
    }
}
