using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Registry.Apps;
using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Batch.Jobs;

/// <summary>
/// The <c>jobs</c> resource of batch/v1, with a <c>status</c> subresource. Defaults as
/// <c>pkg/apis/batch/v1/defaults.go</c> (one completion and parallelism when neither is set,
/// 6 retries, NonIndexed, not suspended, not a manual selector, TerminatingOrFailed replacement)
/// plus the pod template's; the selector is generated as kube's strategy does. The pod template,
/// selector and completion mode cannot change.
/// </summary>
public static class JobResource
{
    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("batch", "v1", "Job"), "jobs", "job", Namespaced: true),
        new Strategy())
    {
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1Job)),
        Typed = true,
        Protobuf = BatchV1Messages.Job,
        Categories = ["all"],
        StatusSubresource = true,
        TracksGeneration = true,
        Columns =
        [
            TableColumn.NameColumn,
            new("Status", "string", "Status of the job.", Status),
            new("Completions", "string", "The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs.", Completions),
            new("Duration", "string", "Time required to complete the job.", Duration),
            TableColumn.AgeColumn,
            WorkloadColumns.Containers,
            WorkloadColumns.Images,
            WorkloadColumns.Selector with { Description = "A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors" },
        ],
    };

    private static JsonNode Status(JsonObject job)
    {
        bool Has(string type) => (job["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>()
            .Any(c => c["type"]?.ToString() == type && c["status"]?.ToString() == "True");
        if (Has("Complete"))
        {
            return "Complete";
        }
        if (Has("Failed"))
        {
            return "Failed";
        }
        if (job.Metadata()["deletionTimestamp"] is not null)
        {
            return "Terminating";
        }
        return Has("Suspended") ? "Suspended" : Has("FailureTarget") ? "FailureTarget" : Has("SuccessCriteriaMet") ? "SuccessCriteriaMet" : "Running";
    }

    private static JsonNode Completions(JsonObject job)
    {
        var succeeded = WorkloadValidation.Integer(job["status"]?["succeeded"]) ?? 0;
        var spec = job["spec"];
        if (WorkloadValidation.Integer(spec?["completions"]) is { } completions)
        {
            return $"{succeeded}/{completions}";
        }
        return WorkloadValidation.Integer(spec?["parallelism"]) is > 1 and var parallelism ? $"{succeeded}/1 of {parallelism}" : $"{succeeded}/1";
    }

    private static JsonNode Duration(JsonObject job)
    {
        if (ObjectMeta.ParseTime(job["status"]?["startTime"]) is not { } start)
        {
            return "";
        }
        var end = ObjectMeta.ParseTime(job["status"]?["completionTime"]) ?? DateTimeOffset.UtcNow;
        return HumanDuration.Format(end - start);
    }

    private sealed class Strategy : IRestStrategy
    {
        public void PrepareForCreate(JsonObject obj)
        {
            if (obj["spec"] is not JsonObject spec)
            {
                spec = [];
                obj["spec"] = spec;
            }
            if (!JobSelector.IsManual(spec))
            {
                JobSelector.Generate(obj, spec);
            }
            Default(spec);
            obj["status"] = new JsonObject();
        }

        public void PrepareForUpdate(JsonObject obj, JsonObject old)
        {
            if (obj["spec"] is JsonObject spec)
            {
                Default(spec);
            }
        }

        public void Validate(JsonObject obj, List<FieldError> errors)
        {
            var spec = obj["spec"] as JsonObject ?? [];
            JobSelector.ValidateGenerated(obj, spec, errors);
            if (spec["selector"] is not JsonObject selector)
            {
                errors.Add(FieldError.Required("spec.selector"));
            }
            else if (!LabelSelectors.Matches(selector, spec["template"]?["metadata"]?["labels"] as JsonObject))
            {
                errors.Add(FieldError.Invalid("spec.template.metadata.labels", spec["template"]?["metadata"]?["labels"]?.DeepClone() ?? new JsonObject(),
                    "`selector` does not match template `labels`"));
            }
            JobSpecValidation.Validate(spec, "spec", errors);
        }

        public void ValidateUpdate(JsonObject obj, JsonObject old, List<FieldError> errors)
        {
            Validate(obj, errors);
            foreach (var field in new[] { "selector", "template", "completionMode" })
            {
                var value = obj["spec"]?[field];
                if (!JsonNode.DeepEquals(value, old["spec"]?[field]))
                {
                    errors.Add(FieldError.Immutable($"spec.{field}", value?.DeepClone()));
                }
            }
        }

        private static void Default(JsonObject spec)
        {
            if (spec["completions"] is null && spec["parallelism"] is null)
            {
                spec["completions"] = 1;
            }
            spec["parallelism"] ??= 1;
            spec["backoffLimit"] ??= spec["backoffLimitPerIndex"] is null ? 6 : int.MaxValue;
            spec["completionMode"] ??= "NonIndexed";
            spec["suspend"] ??= false;
            spec["manualSelector"] ??= false;
            spec["podReplacementPolicy"] ??= spec["podFailurePolicy"] is null ? "TerminatingOrFailed" : "Failed";
            PodTemplateDefaults.Apply(spec["template"]);
        }
    }
}
