using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Kube.Registry.Apps;

namespace Apiserver.Kube.Registry.Batch.Jobs;

/// <summary>
/// A job's generated selector (<c>generateSelector</c> and <c>validateGeneratedSelector</c> of
/// kube's job strategy and validation): unless <c>manualSelector</c> is true, the pod template is
/// labelled with the job's name and uid (legacy and <c>batch.kubernetes.io/</c> keys) and the
/// selector matches <c>batch.kubernetes.io/controller-uid</c>.
/// </summary>
public static class JobSelector
{
    /// <summary>The label keys with the job's uid: legacy first.</summary>
    public static readonly string[] UidLabels = ["controller-uid", "batch.kubernetes.io/controller-uid"];

    /// <summary>The label keys with the job's name: legacy first.</summary>
    public static readonly string[] NameLabels = ["job-name", "batch.kubernetes.io/job-name"];

    /// <summary>Whether the user asked to manage the selector.</summary>
    public static bool IsManual(JsonObject spec) => spec["manualSelector"] is JsonValue v && v.TryGetValue<bool>(out var m) && m;

    /// <summary>Generates the labels and selector on a new job; the user's own labels are kept (validation rejects a conflict).</summary>
    public static void Generate(JsonObject job, JsonObject spec)
    {
        var template = spec.ObjectField("template");
        var labels = template.ObjectField("metadata").ObjectField("labels");
        foreach (var key in NameLabels)
        {
            labels[key] ??= job.GetName();
        }
        foreach (var key in UidLabels)
        {
            labels[key] ??= job.GetUid();
        }
        var matchLabels = spec.ObjectField("selector").ObjectField("matchLabels");
        matchLabels[UidLabels[1]] ??= job.GetUid();
    }

    /// <summary>Checks a generated selector and its labels, with kube's messages.</summary>
    public static void ValidateGenerated(JsonObject job, JsonObject spec, List<FieldError> errors)
    {
        if (IsManual(spec))
        {
            return;
        }
        var labels = spec["template"]?["metadata"]?["labels"] as JsonObject;
        if (labels is null)
        {
            errors.Add(FieldError.Required("spec.template.metadata.labels"));
        }
        foreach (var (key, expected) in new[] { (UidLabels[0], job.GetUid()), (NameLabels[0], job.GetName()), (UidLabels[1], job.GetUid()), (NameLabels[1], job.GetName()) })
        {
            var field = $"spec.template.metadata.labels[{key}]";
            if (labels?[key]?.ToString() is not { } actual)
            {
                errors.Add(FieldError.Required(field));
            }
            else if (actual != expected)
            {
                errors.Add(FieldError.Invalid(field, actual, $"must be '{expected}'"));
            }
        }
        if (spec["selector"] is JsonObject selector && !LabelSelectors.Matches(selector, new JsonObject { [UidLabels[1]] = job.GetUid() }))
        {
            errors.Add(FieldError.Invalid("spec.selector", selector.DeepClone(), "`selector` not auto-generated"));
        }
    }
}
