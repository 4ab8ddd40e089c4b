using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Kube.Registry.Apps;

namespace Apiserver.Kube.Registry.Batch;

/// <summary>
/// The checks of a <c>JobSpec</c> that jobs and cron jobs' job templates share
/// (<c>validateJobSpec</c> of <c>pkg/apis/batch/validation</c>): non-negative counts, a supported
/// completion mode, a valid pod template that restarts Never or OnFailure.
/// </summary>
public static class JobSpecValidation
{
    private static readonly string[] RestartPolicies = ["OnFailure", "Never"];
    private static readonly string[] CompletionModes = ["NonIndexed", "Indexed"];
    private static readonly string[] ReplacementPolicies = ["Failed", "TerminatingOrFailed"];

    /// <summary>Validates <paramref name="spec"/> found at <paramref name="path"/> (<c>spec</c> or <c>spec.jobTemplate.spec</c>).</summary>
    public static void Validate(JsonObject spec, string path, List<FieldError> errors)
    {
        WorkloadValidation.NonNegative(spec, "parallelism", path, errors);
        WorkloadValidation.NonNegative(spec, "completions", path, errors);
        WorkloadValidation.NonNegative(spec, "backoffLimit", path, errors);
        WorkloadValidation.NonNegative(spec, "ttlSecondsAfterFinished", path, errors);
        WorkloadValidation.NonNegative(spec, "backoffLimitPerIndex", path, errors);
        WorkloadValidation.NonNegative(spec, "maxFailedIndexes", path, errors);
        if (WorkloadValidation.Integer(spec["activeDeadlineSeconds"]) is <= 0 and var deadline)
        {
            errors.Add(FieldError.Invalid($"{path}.activeDeadlineSeconds", JsonValue.Create(deadline), "must be greater than 0"));
        }
        if (spec["completionMode"]?.ToString() is { } mode)
        {
            if (!CompletionModes.Contains(mode))
            {
                errors.Add(FieldError.NotSupported($"{path}.completionMode", mode, CompletionModes));
            }
            else if (mode == "Indexed" && spec["completions"] is null)
            {
                errors.Add(FieldError.Required($"{path}.completions", "when completion mode is Indexed"));
            }
        }
        if (spec["podReplacementPolicy"]?.ToString() is { } replacement && !ReplacementPolicies.Contains(replacement))
        {
            errors.Add(FieldError.NotSupported($"{path}.podReplacementPolicy", replacement, ReplacementPolicies));
        }
        PodTemplateValidation.Validate(spec["template"], $"{path}.template", RestartPolicies, errors);
    }
}
