using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Apps.DaemonSets;

/// <summary>
/// The <c>daemonsets</c> resource of apps/v1, with a <c>status</c> subresource. Defaults: a
/// RollingUpdate strategy with one unavailable pod and no surge, 10 revisions of history, and the
/// pod template's defaults.
/// </summary>
public static class DaemonSetResource
{
    private static readonly string[] UpdateStrategies = ["OnDelete", "RollingUpdate"];

    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("apps", "v1", "DaemonSet"), "daemonsets", "daemonset", Namespaced: true),
        new Strategy())
    {
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1DaemonSet)),
        Typed = true,
        Protobuf = AppsV1Messages.DaemonSet,
        ShortNames = ["ds"],
        Categories = ["all"],
        StatusSubresource = true,
        TracksGeneration = true,
        Columns =
        [
            TableColumn.NameColumn,
            WorkloadColumns.Status("Desired", "desiredNumberScheduled", "The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/"),
            WorkloadColumns.Status("Current", "currentNumberScheduled", "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/"),
            WorkloadColumns.Status("Ready", "numberReady", "numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition."),
            WorkloadColumns.Status("Up-to-date", "updatedNumberScheduled", "The total number of nodes that are running updated daemon pod"),
            WorkloadColumns.Status("Available", "numberAvailable", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)"),
            new("Node Selector", "string", "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/",
                NodeSelector),
            TableColumn.AgeColumn,
            WorkloadColumns.Containers,
            WorkloadColumns.Images,
            WorkloadColumns.Selector,
        ],
    };

    // labels.FormatLabels: sorted key=value pairs, <none> when empty.
    private static JsonNode NodeSelector(JsonObject obj)
    {
        var selector = obj["spec"]?["template"]?["spec"]?["nodeSelector"] as JsonObject ?? [];
        return selector.Count == 0
            ? "<none>"
            : string.Join(",", selector.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
    }

    private sealed class Strategy : WorkloadStrategy
    {
        public override void Validate(JsonObject obj, List<FieldError> errors)
        {
            WorkloadValidation.ValidateSpec(obj, "daemonset", errors, hasReplicas: false);
            var type = obj["spec"]?["updateStrategy"]?["type"]?.ToString() ?? "";
            if (!UpdateStrategies.Contains(type))
            {
                errors.Add(FieldError.NotSupported("spec.updateStrategy.type", type, UpdateStrategies));
            }
        }

        protected override void Default(JsonObject spec)
        {
            var strategy = spec.ObjectField("updateStrategy");
            strategy["type"] ??= "RollingUpdate";
            if (strategy["type"]?.ToString() == "RollingUpdate")
            {
                var rollingUpdate = strategy.ObjectField("rollingUpdate");
                rollingUpdate["maxUnavailable"] ??= 1;
                rollingUpdate["maxSurge"] ??= 0;
            }
            spec["revisionHistoryLimit"] ??= 10;
        }
    }
}
