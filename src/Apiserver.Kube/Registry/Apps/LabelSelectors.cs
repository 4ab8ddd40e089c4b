using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Kube.Validation;

namespace Apiserver.Kube.Registry.Apps;

/// <summary>
/// <c>metav1.LabelSelector</c> as the workload kinds use it: whether it selects a set of labels,
/// and its string form (<c>app=web,tier in (a,b)</c>, requirements sorted by key, as
/// <c>LabelSelectorAsSelector(…).String()</c> writes it).
/// </summary>
public static class LabelSelectors
{
    private static readonly string[] SetOperators = ["In", "NotIn"];
    private static readonly string[] ExistenceOperators = ["Exists", "DoesNotExist"];

    /// <summary>
    /// The structure of a selector at <paramref name="path"/> (kube's <c>ValidateLabelSelector</c>):
    /// qualified label keys and well-formed requirements.
    /// </summary>
    public static void Validate(JsonObject? selector, string path, List<FieldError> errors)
    {
        if (selector is null)
        {
            return;
        }
        foreach (var (key, _) in selector["matchLabels"] as JsonObject ?? [])
        {
            errors.AddRange(QualifiedName.Validate(key).Select(m => FieldError.Invalid($"{path}.matchLabels", key, m)));
        }
        var expressions = selector["matchExpressions"] as JsonArray ?? [];
        for (var i = 0; i < expressions.Count; i++)
        {
            ValidateRequirement(expressions[i] as JsonObject ?? [], $"{path}.matchExpressions[{i}]", errors);
        }
    }

    /// <summary>One requirement at <paramref name="path"/>, as <c>metav1validation.ValidateLabelSelectorRequirement</c>.</summary>
    public static void ValidateRequirement(JsonObject requirement, string path, List<FieldError> errors)
    {
        var op = requirement["operator"]?.ToString() ?? "";
        var values = requirement["values"] is JsonArray list ? list.Count : 0;
        if (SetOperators.Contains(op))
        {
            if (values == 0)
            {
                errors.Add(FieldError.Required($"{path}.values", "must be specified when `operator` is 'In' or 'NotIn'"));
            }
        }
        else if (ExistenceOperators.Contains(op))
        {
            if (values > 0)
            {
                errors.Add(FieldError.Forbidden($"{path}.values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
            }
        }
        else
        {
            errors.Add(FieldError.Invalid($"{path}.operator", op, "not a valid selector operator"));
        }
        var key = requirement["key"]?.ToString() ?? "";
        errors.AddRange(QualifiedName.Validate(key).Select(m => FieldError.Invalid($"{path}.key", key, m)));
    }

    /// <summary>Whether the selector has no requirement (it would select everything).</summary>
    public static bool IsEmpty(JsonObject? selector) =>
        selector is null
        || ((selector["matchLabels"] as JsonObject)?.Count ?? 0) == 0 && ((selector["matchExpressions"] as JsonArray)?.Count ?? 0) == 0;

    /// <summary>Whether <paramref name="labels"/> satisfy every requirement of <paramref name="selector"/>.</summary>
    public static bool Matches(JsonObject selector, JsonObject? labels)
    {
        string? Label(string key) => labels?[key]?.ToString();
        foreach (var (key, value) in selector["matchLabels"] as JsonObject ?? [])
        {
            if (Label(key) != value?.ToString())
            {
                return false;
            }
        }
        foreach (var requirement in (selector["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = requirement["key"]?.ToString() ?? "";
            var values = Values(requirement);
            var label = Label(key);
            var ok = requirement["operator"]?.ToString() switch
            {
                "In" => label is not null && values.Contains(label),
                "NotIn" => label is null || !values.Contains(label),
                "Exists" => label is not null,
                "DoesNotExist" => label is null,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The selector's string form; empty when it has no requirement.</summary>
    public static string Format(JsonObject? selector)
    {
        if (selector is null)
        {
            return "";
        }
        var requirements = new List<(string Key, string Text)>();
        foreach (var (key, value) in selector["matchLabels"] as JsonObject ?? [])
        {
            requirements.Add((key, $"{key}={value}"));
        }
        foreach (var requirement in (selector["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = requirement["key"]?.ToString() ?? "";
            var values = string.Join(",", Values(requirement).Order(StringComparer.Ordinal));
            requirements.Add((key, requirement["operator"]?.ToString() switch
            {
                "In" => $"{key} in ({values})",
                "NotIn" => $"{key} notin ({values})",
                "Exists" => key,
                "DoesNotExist" => "!" + key,
                var op => $"{key} {op} ({values})",
            }));
        }
        return string.Join(",", requirements.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Text));
    }

    private static List<string> Values(JsonObject requirement) =>
        [.. (requirement["values"] as JsonArray ?? []).Select(v => v?.ToString() ?? "")];
}
