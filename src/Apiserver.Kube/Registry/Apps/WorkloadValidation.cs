using System.Text.Json.Nodes;
using Apiserver.Generic.Api;

namespace Apiserver.Kube.Registry.Apps;

/// <summary>
/// What deployments, replica sets, stateful sets and daemon sets check alike
/// (<c>pkg/apis/apps/validation</c>): a non-negative replica count, a non-empty selector that
/// matches the template's labels, a valid template, and (apps/v1) a selector that never changes.
/// </summary>
public static class WorkloadValidation
{
    private static readonly string[] AlwaysRestart = ["Always"];

    /// <summary>Validates the workload's spec. <paramref name="kindWord"/> ends kube's empty-selector message.</summary>
    public static void ValidateSpec(JsonObject obj, string kindWord, List<FieldError> errors, bool hasReplicas = true)
    {
        var spec = obj["spec"] as JsonObject ?? [];
        if (hasReplicas)
        {
            NonNegative(spec, "replicas", "spec", errors);
        }
        NonNegative(spec, "minReadySeconds", "spec", errors);
        NonNegative(spec, "revisionHistoryLimit", "spec", errors);
        var selector = spec["selector"] as JsonObject;
        if (selector is null)
        {
            errors.Add(FieldError.Required("spec.selector"));
        }
        else if (LabelSelectors.IsEmpty(selector))
        {
            errors.Add(FieldError.Invalid("spec.selector", selector.DeepClone(), $"empty selector is invalid for {kindWord}"));
        }
        else if (!LabelSelectors.Matches(selector, spec["template"]?["metadata"]?["labels"] as JsonObject))
        {
            errors.Add(FieldError.Invalid("spec.template.metadata.labels", spec["template"]?["metadata"]?["labels"]?.DeepClone() ?? new JsonObject(),
                "`selector` does not match template `labels`"));
        }
        PodTemplateValidation.Validate(spec["template"], "spec.template", AlwaysRestart, errors);
    }

    /// <summary>apps/v1 forbids changing the selector.</summary>
    public static void ValidateSelectorUnchanged(JsonObject obj, JsonObject old, List<FieldError> errors)
    {
        var selector = obj["spec"]?["selector"];
        if (!JsonNode.DeepEquals(selector, old["spec"]?["selector"]))
        {
            errors.Add(FieldError.Immutable("spec.selector", selector?.DeepClone()));
        }
    }

    /// <summary>Adds kube's error when <c>parent.field</c> is negative.</summary>
    public static void NonNegative(JsonObject parent, string field, string path, List<FieldError> errors)
    {
        if (Integer(parent[field]) < 0)
        {
            errors.Add(FieldError.Invalid(path.Length == 0 ? field : $"{path}.{field}", parent[field]!.DeepClone(), "must be greater than or equal to 0"));
        }
    }

    /// <summary>An integer field's value, or null. Read through the JSON text: a JsonValue made from an int does not convert to long.</summary>
    public static long? Integer(JsonNode? node) =>
        node is JsonValue v && long.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;
}
