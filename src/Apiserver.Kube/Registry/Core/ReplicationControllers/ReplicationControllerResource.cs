using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Registry.Apps;
using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Core.ReplicationControllers;

/// <summary>
/// The <c>replicationcontrollers</c> resource of core/v1, with <c>status</c> and <c>scale</c>
/// subresources. Defaults as kube: the selector and the labels from the template's labels, one
/// replica, the template's defaults. Its selector is a plain label map.
/// </summary>
public static class ReplicationControllerResource
{
    private static readonly string[] AlwaysRestart = ["Always"];

    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("", "v1", "ReplicationController"), "replicationcontrollers", "replicationcontroller", Namespaced: true),
        new Strategy())
    {
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1ReplicationController)),
        Typed = true,
        ShortNames = ["rc"],
        Categories = ["all"],
        StatusSubresource = true,
        TracksGeneration = true,
        Columns =
        [
            TableColumn.NameColumn,
            new("Desired", "integer", "Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller",
                obj => WorkloadValidation.Integer(obj["spec"]?["replicas"]) ?? 0),
            WorkloadColumns.Status("Current", "replicas", "Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller"),
            WorkloadColumns.Status("Ready", "readyReplicas", "The number of ready replicas for this replication controller."),
            TableColumn.AgeColumn,
            WorkloadColumns.Containers,
            WorkloadColumns.Images,
            new("Selector", "string", "Selector is a label query over pods that should match the Replicas count. If Selector is empty, it is defaulted to the labels present on the Pod template. Label keys and values that must match in order to be controlled by this replication controller, if empty defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors",
                obj => CoreFormat.Labels(obj["spec"]?["selector"]), Priority: 1),
        ],
    };

    /// <summary>A selector map as a label selector string (<c>app=web,tier=fe</c>), empty when it has none.</summary>
    public static string SelectorString(JsonObject rc) =>
        rc["spec"]?["selector"] is JsonObject { Count: > 0 } s ? CoreFormat.Labels(s) : "";

    private sealed class Strategy : IRestStrategy
    {
        public void PrepareForCreate(JsonObject obj)
        {
            Default(obj);
            obj["status"] = new JsonObject { ["replicas"] = 0 };
        }

        public void PrepareForUpdate(JsonObject obj, JsonObject old)
        {
            Default(obj);
            if (JsonNode.DeepEquals(obj["spec"], old["spec"]) && old.Metadata()["generation"] is { } generation)
            {
                obj.Metadata()["generation"] = generation.DeepClone();
            }
        }

        private static void Default(JsonObject obj)
        {
            if (obj["spec"] is not JsonObject spec)
            {
                return;
            }
            var templateLabels = spec["template"]?["metadata"]?["labels"] as JsonObject;
            if (templateLabels is { Count: > 0 })
            {
                if (spec["selector"] is not JsonObject { Count: > 0 })
                {
                    spec["selector"] = templateLabels.DeepClone();
                }
                if (obj.Metadata()["labels"] is not JsonObject { Count: > 0 })
                {
                    obj.Metadata()["labels"] = templateLabels.DeepClone();
                }
            }
            spec["replicas"] ??= 1;
            PodTemplateDefaults.Apply(spec["template"]);
        }

        public void Validate(JsonObject obj, List<FieldError> errors)
        {
            var spec = obj["spec"] as JsonObject ?? [];
            WorkloadValidation.NonNegative(spec, "replicas", "spec", errors);
            WorkloadValidation.NonNegative(spec, "minReadySeconds", "spec", errors);
            var selector = spec["selector"] as JsonObject;
            if (selector is not { Count: > 0 })
            {
                errors.Add(FieldError.Required("spec.selector"));
            }
            if (spec["template"] is not JsonObject template)
            {
                errors.Add(FieldError.Required("spec.template"));
                return;
            }
            var labels = template["metadata"]?["labels"] as JsonObject;
            if (selector is { Count: > 0 } && selector.Any(p => labels?[p.Key]?.ToString() != p.Value?.ToString()))
            {
                errors.Add(FieldError.Invalid("spec.template.metadata.labels", labels?.DeepClone() ?? new JsonObject(), "`selector` does not match template `labels`"));
            }
            PodTemplateValidation.Validate(template, "spec.template", AlwaysRestart, errors);
        }
    }
}
