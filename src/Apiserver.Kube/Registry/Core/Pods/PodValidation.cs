using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Kube.Registry.Apps;

namespace Apiserver.Kube.Registry.Core.Pods;

/// <summary>
/// The main rules of kube's <c>ValidatePodSpec</c> and <c>ValidatePodUpdate</c>
/// (<c>pkg/apis/core/validation</c>), with kube's messages.
/// </summary>
internal static class PodValidation
{
    private static readonly string[] RestartPolicies = ["Always", "OnFailure", "Never"];
    private static readonly string[] DnsPolicies = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];

    /// <summary>The fields kube lets a pod update change, as its Forbidden message lists them.</summary>
    private static readonly string[] UpdatableFields =
    [
        "`spec.containers[*].image`",
        "`spec.initContainers[*].image`",
        "`spec.activeDeadlineSeconds`",
        "`spec.tolerations` (only additions to existing tolerations)",
        "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
    ];

    /// <summary>Validates a pod's spec at <c>spec</c>.</summary>
    public static void ValidateSpec(JsonObject? spec, List<FieldError> errors)
    {
        // The template validation reports below "<path>.spec"; a pod's spec is at "spec".
        var templateErrors = new List<FieldError>();
        PodTemplateValidation.Validate(spec is null ? null : new JsonObject { ["spec"] = spec.DeepClone() }, "pod", RestartPolicies, templateErrors);
        errors.AddRange(templateErrors.Select(e => e with { Field = e.Field.StartsWith("pod.", StringComparison.Ordinal) ? e.Field[4..] : e.Field }));
        if (spec is null)
        {
            return;
        }
        var dnsPolicy = spec["dnsPolicy"]?.ToString() ?? "";
        if (!DnsPolicies.Contains(dnsPolicy))
        {
            errors.Add(FieldError.NotSupported("spec.dnsPolicy", dnsPolicy, DnsPolicies));
        }
        if (WorkloadValidation.Integer(spec["activeDeadlineSeconds"]) is { } deadline and (< 1 or > int.MaxValue))
        {
            errors.Add(FieldError.Invalid("spec.activeDeadlineSeconds", JsonValue.Create(deadline), "must be between 1 and 2147483647, inclusive"));
        }
    }

    /// <summary>kube's update rules: only the fields of <see cref="UpdatableFields"/> may change.</summary>
    public static void ValidateUpdate(JsonObject spec, JsonObject old, List<FieldError> errors)
    {
        var oldDeadline = WorkloadValidation.Integer(old["activeDeadlineSeconds"]);
        var newDeadline = WorkloadValidation.Integer(spec["activeDeadlineSeconds"]);
        if (oldDeadline is not null && newDeadline is null)
        {
            errors.Add(FieldError.Invalid("spec.activeDeadlineSeconds", (JsonNode?)null, "must not update from a positive integer to nil value"));
        }
        else if (oldDeadline is not null && newDeadline > oldDeadline)
        {
            errors.Add(FieldError.Invalid("spec.activeDeadlineSeconds", JsonValue.Create(newDeadline.Value), "must be less than or equal to previous value"));
        }

        // Munge the updatable fields of the new spec to their old values; what then differs may not change.
        var munged = (JsonObject)spec.DeepClone();
        foreach (var list in new[] { "initContainers", "containers" })
        {
            var oldContainers = old[list] as JsonArray ?? [];
            var newContainers = munged[list] as JsonArray ?? [];
            for (var i = 0; i < Math.Min(oldContainers.Count, newContainers.Count); i++)
            {
                if (newContainers[i] is JsonObject c && oldContainers[i] is JsonObject o)
                {
                    c["image"] = o["image"]?.DeepClone();
                }
            }
        }
        munged["activeDeadlineSeconds"] = old["activeDeadlineSeconds"]?.DeepClone();
        if (munged["activeDeadlineSeconds"] is null)
        {
            munged.Remove("activeDeadlineSeconds");
        }
        var oldTolerations = (old["tolerations"] as JsonArray ?? []).ToList();
        var newTolerations = (spec["tolerations"] as JsonArray ?? []).ToList();
        if (oldTolerations.All(t => newTolerations.Any(n => JsonNode.DeepEquals(n, t))))
        {
            munged["tolerations"] = old["tolerations"]?.DeepClone();
        }
        if (WorkloadValidation.Integer(old["terminationGracePeriodSeconds"]) < 0 && WorkloadValidation.Integer(spec["terminationGracePeriodSeconds"]) == 1)
        {
            munged["terminationGracePeriodSeconds"] = old["terminationGracePeriodSeconds"]?.DeepClone();
        }
        if (!JsonNode.DeepEquals(WithoutNulls(munged), WithoutNulls(old)))
        {
            errors.Add(FieldError.Forbidden("spec", $"pod updates may not change fields other than {string.Join(",", UpdatableFields)}\n{Diff(old, munged)}"));
        }
    }

    private static JsonObject WithoutNulls(JsonObject o) => new(o.Where(p => p.Value is not null).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value!.DeepClone())));

    /// <summary>A short account of what differs, field by field (kube prints a Go <c>cmp.Diff</c> here).</summary>
    private static string Diff(JsonObject old, JsonObject updated)
    {
        var lines = new List<string> { "  core.PodSpec{" };
        foreach (var key in old.Select(p => p.Key).Union(updated.Select(p => p.Key)))
        {
            if (!JsonNode.DeepEquals(old[key], updated[key]))
            {
                lines.Add($"-\t{key}: {old[key]?.ToJsonString() ?? "nil"},");
                lines.Add($"+\t{key}: {updated[key]?.ToJsonString() ?? "nil"},");
            }
        }
        lines.Add("  }");
        return string.Join("\n", lines) + "\n";
    }
}
