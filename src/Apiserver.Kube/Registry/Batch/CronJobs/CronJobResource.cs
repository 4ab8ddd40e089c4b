using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Registry.Apps;
using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Batch.CronJobs;

/// <summary>
/// The <c>cronjobs</c> resource of batch/v1, with a <c>status</c> subresource. Defaults as
/// <c>SetDefaults_CronJob</c> (Allow concurrency, not suspended, 3 successful and 1 failed jobs of
/// history) plus the job template's pod template defaults; validation as
/// <c>ValidateCronJobCreate</c>: a 52-character name, a valid standard cron schedule without TZ,
/// a known time zone and a job template whose selector will be generated.
/// </summary>
public static class CronJobResource
{
    private const int MaxNameLength = 52;
    private static readonly string[] ConcurrencyPolicies = ["Allow", "Forbid", "Replace"];
    private static readonly string[] ManualSelectorValues = ["nil", "false"];
    private static readonly Regex TimeZoneCharacters = new("^[A-Za-z\\.\\-_0-9+]{1,14}$", RegexOptions.CultureInvariant);

    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("batch", "v1", "CronJob"), "cronjobs", "cronjob", Namespaced: true),
        new Strategy())
    {
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1CronJob)),
        Typed = true,
        Protobuf = BatchV1Messages.CronJob,
        ShortNames = ["cj"],
        Categories = ["all"],
        StatusSubresource = true,
        TracksGeneration = true,
        Columns =
        [
            TableColumn.NameColumn,
            new("Schedule", "string", "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.", obj => obj["spec"]?["schedule"]?.DeepClone() ?? ""),
            new("Timezone", "string", "The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process. The set of valid time zone names and the time zone offset is loaded from the system-wide time zone database by the API server during CronJob validation and the controller manager during execution. If no system-wide time zone database can be found a bundled version of the database is used instead. If the time zone name becomes invalid during the lifetime of a CronJob or due to a change in host configuration, the controller will stop creating new new Jobs and will create a system event with the reason UnknownTimeZone. More information can be found in https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones",
                obj => obj["spec"]?["timeZone"]?.DeepClone() ?? "<none>"),
            new("Suspend", "boolean", "This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.",
                obj => obj["spec"]?["suspend"] is JsonValue v && v.TryGetValue<bool>(out var s) ? (s ? "True" : "False") : "<unset>"),
            new("Active", "integer", "A list of pointers to currently running jobs.", obj => (obj["status"]?["active"] as JsonArray)?.Count ?? 0),
            new("Last Schedule", "string", "Information when was the last time the job was successfully scheduled.",
                obj => ObjectMeta.ParseTime(obj["status"]?["lastScheduleTime"]) is { } last ? HumanDuration.Since(last) : "<none>"),
            TableColumn.AgeColumn,
            new("Containers", "string", WorkloadColumns.Containers.Description, obj => string.Join(",", Containers(obj).Select(c => c["name"]?.ToString() ?? "")), Priority: 1),
            new("Images", "string", WorkloadColumns.Images.Description, obj => string.Join(",", Containers(obj).Select(c => c["image"]?.ToString() ?? "")), Priority: 1),
            new("Selector", "string", "A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors",
                obj => LabelSelectors.Format(obj["spec"]?["jobTemplate"]?["spec"]?["selector"] as JsonObject) is { Length: > 0 } s ? s : "<none>", Priority: 1),
        ],
    };

    private static IEnumerable<JsonObject> Containers(JsonObject obj) =>
        (obj["spec"]?["jobTemplate"]?["spec"]?["template"]?["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>();

    private sealed class Strategy : IRestStrategy
    {
        public void PrepareForCreate(JsonObject obj)
        {
            Default(obj);
            obj["status"] = new JsonObject();
        }

        public void PrepareForUpdate(JsonObject obj, JsonObject old) => Default(obj);

        public void Validate(JsonObject obj, List<FieldError> errors) => ValidateSpec(obj, null, errors);

        public void ValidateUpdate(JsonObject obj, JsonObject old, List<FieldError> errors) => ValidateSpec(obj, old, errors);

        private static void ValidateSpec(JsonObject obj, JsonObject? old, List<FieldError> errors)
        {
            if (old is null && obj.GetName().Length > MaxNameLength)
            {
                errors.Add(FieldError.Invalid("metadata.name", obj.GetName(), $"must be no more than {MaxNameLength} characters"));
            }
            var spec = obj["spec"] as JsonObject ?? [];
            var schedule = spec["schedule"]?.ToString() ?? "";
            var oldSchedule = old?["spec"]?["schedule"]?.ToString();
            if (schedule.Length == 0)
            {
                errors.Add(FieldError.Required("spec.schedule"));
            }
            else if (schedule != oldSchedule)
            {
                if (CronSchedule.Validate(schedule) is { } problem)
                {
                    errors.Add(FieldError.Invalid("spec.schedule", schedule, problem));
                }
                var allowTz = oldSchedule?.Contains("TZ", StringComparison.Ordinal) ?? false;
                if (schedule.Contains("TZ", StringComparison.Ordinal))
                {
                    if (!allowTz)
                    {
                        errors.Add(FieldError.Invalid("spec.schedule", schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"));
                    }
                    else if (spec["timeZone"] is not null)
                    {
                        errors.Add(FieldError.Invalid("spec.schedule", schedule, "cannot use both timeZone field and TZ or CRON_TZ in schedule"));
                    }
                }
            }
            ValidateTimeZone(spec["timeZone"]?.ToString(), errors);
            var policy = spec["concurrencyPolicy"]?.ToString() ?? "";
            if (policy.Length == 0)
            {
                errors.Add(FieldError.Required("spec.concurrencyPolicy"));
            }
            else if (!ConcurrencyPolicies.Contains(policy))
            {
                errors.Add(FieldError.NotSupported("spec.concurrencyPolicy", policy, ConcurrencyPolicies));
            }
            WorkloadValidation.NonNegative(spec, "startingDeadlineSeconds", "spec", errors);
            WorkloadValidation.NonNegative(spec, "successfulJobsHistoryLimit", "spec", errors);
            WorkloadValidation.NonNegative(spec, "failedJobsHistoryLimit", "spec", errors);
            ValidateJobTemplate(spec["jobTemplate"]?["spec"] as JsonObject ?? [], errors);
        }

        private static void ValidateJobTemplate(JsonObject jobSpec, List<FieldError> errors)
        {
            const string path = "spec.jobTemplate.spec";
            JobSpecValidation.Validate(jobSpec, path, errors);
            if (jobSpec["selector"] is JsonObject selector)
            {
                errors.Add(FieldError.Invalid($"{path}.selector", selector.DeepClone(), "`selector` will be auto-generated"));
            }
            if (jobSpec["manualSelector"] is JsonValue v && v.TryGetValue<bool>(out var manual) && manual)
            {
                errors.Add(FieldError.NotSupported($"{path}.manualSelector", "true", ManualSelectorValues));
            }
        }

        private static void ValidateTimeZone(string? timeZone, List<FieldError> errors)
        {
            const string field = "spec.timeZone";
            if (timeZone is null)
            {
                return;
            }
            if (timeZone.Length == 0)
            {
                errors.Add(FieldError.Invalid(field, timeZone, "timeZone must be nil or non-empty string"));
                return;
            }
            if (timeZone.Equals("Local", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add(FieldError.Invalid(field, timeZone, "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"));
                return;
            }
            var known = timeZone == "UTC" || TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _);
            if (!known || timeZone.Split('/').Any(p => p is "." or ".." || p.StartsWith('-') || !TimeZoneCharacters.IsMatch(p)))
            {
                errors.Add(FieldError.Invalid(field, timeZone, $"unknown time zone {timeZone}"));
            }
        }

        private static void Default(JsonObject obj)
        {
            if (obj["spec"] is not JsonObject spec)
            {
                return;
            }
            spec["concurrencyPolicy"] ??= ConcurrencyPolicies[0];
            spec["suspend"] ??= false;
            spec["successfulJobsHistoryLimit"] ??= 3;
            spec["failedJobsHistoryLimit"] ??= 1;
            PodTemplateDefaults.Apply(spec["jobTemplate"]?["spec"]?["template"]);
        }
    }
}
