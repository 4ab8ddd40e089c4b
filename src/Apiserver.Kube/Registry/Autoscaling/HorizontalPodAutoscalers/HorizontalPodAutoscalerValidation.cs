using System.Globalization;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Validation;

namespace Apiserver.Kube.Registry.Autoscaling.HorizontalPodAutoscalers;

/// <summary>
/// kube's <c>ValidateHorizontalPodAutoscaler</c> (the main rules) on the autoscaling/v2 form: replica
/// bounds, the scale target, each metric (one source matching its type, a sensible target) and the
/// scaling behavior.
/// </summary>
internal static class HorizontalPodAutoscalerValidation
{
    private static readonly string[] SourceTypes = ["Object", "Pods", "Resource", "External", "ContainerResource"];
    private static readonly string[] SelectPolicies = ["Max", "Min", "Disabled"];
    private static readonly string[] PolicyTypes = ["Pods", "Percent"];

    public static void Validate(JsonObject obj, List<FieldError> errors)
    {
        var spec = obj["spec"] as JsonObject ?? [];
        var min = Integer(spec["minReplicas"]);
        var max = Integer(spec["maxReplicas"]) ?? 0;
        if (min is < 1)
        {
            errors.Add(FieldError.Invalid("spec.minReplicas", JsonValue.Create(min.Value), "must be greater than or equal to 1"));
        }
        if (max < 1)
        {
            errors.Add(FieldError.Invalid("spec.maxReplicas", JsonValue.Create(max), "must be greater than 0"));
        }
        if (min is { } lower && max < lower)
        {
            errors.Add(FieldError.Invalid("spec.maxReplicas", JsonValue.Create(max), "must be greater than or equal to `minReplicas`"));
        }
        Reference(spec["scaleTargetRef"], "spec.scaleTargetRef", errors);
        var metrics = (spec["metrics"] as JsonArray ?? []).ToList();
        for (var i = 0; i < metrics.Count; i++)
        {
            Metric(metrics[i] as JsonObject ?? [], $"spec.metrics[{i}]", errors);
        }
        if (spec["behavior"] is JsonObject behavior)
        {
            Rules(behavior["scaleUp"] as JsonObject, "spec.behavior.scaleUp", errors);
            Rules(behavior["scaleDown"] as JsonObject, "spec.behavior.scaleDown", errors);
        }
    }

    public static void ValidateStatus(JsonObject obj, List<FieldError> errors)
    {
        foreach (var field in new[] { "currentReplicas", "desiredReplicas" })
        {
            if (Integer(obj["status"]?[field]) is < 0 and var value)
            {
                errors.Add(FieldError.Invalid($"status.{field}", JsonValue.Create(value), "must be greater than or equal to 0"));
            }
        }
    }

    private static void Reference(JsonNode? reference, string path, List<FieldError> errors)
    {
        foreach (var field in new[] { "kind", "name" })
        {
            var value = reference?[field]?.ToString() ?? "";
            if (value.Length == 0)
            {
                errors.Add(FieldError.Required($"{path}.{field}"));
            }
            foreach (var message in NameValidation.IsValidPathSegmentName(value))
            {
                errors.Add(FieldError.Invalid($"{path}.{field}", value, message));
            }
        }
    }

    private static void Metric(JsonObject metric, string path, List<FieldError> errors)
    {
        var type = metric["type"]?.ToString() ?? "";
        if (type.Length == 0)
        {
            errors.Add(FieldError.Required($"{path}.type", "must specify a metric source type"));
        }
        var expected = type switch
        {
            "Object" => "object", "Pods" => "pods", "Resource" => "resource", "External" => "external", "ContainerResource" => "containerResource", _ => null,
        };
        if (expected is null)
        {
            errors.Add(FieldError.NotSupported($"{path}.type", type, SourceTypes));
        }
        var present = new[] { "object", "pods", "resource", "external", "containerResource" }.Where(s => metric[s] is JsonObject).ToList();
        if (present.Count == 1)
        {
            Source(present[0], (JsonObject)metric[present[0]]!, $"{path}.{present[0]}", errors);
        }
        if (expected is not null && metric[expected] is not JsonObject)
        {
            errors.Add(FieldError.Required($"{path}.{expected}", "must populate information for the given metric source"));
        }
        if (present.Count != 1)
        {
            foreach (var extra in present.Where(p => p != expected))
            {
                errors.Add(FieldError.Forbidden($"{path}.{extra}", "must populate the given metric source only"));
            }
        }
    }

    private static void Source(string kind, JsonObject source, string path, List<FieldError> errors)
    {
        var target = source["target"] as JsonObject ?? [];
        if (kind is "object" or "pods" or "external")
        {
            var name = source["metric"]?["name"]?.ToString() ?? "";
            if (name.Length == 0) errors.Add(FieldError.Required($"{path}.metric.name", "must specify a metric name"));
            else foreach (var message in NameValidation.IsValidPathSegmentName(name)) errors.Add(FieldError.Invalid($"{path}.metric.name", name, message));
        }
        if (kind == "object") Reference(source["describedObject"], $"{path}.describedObject", errors);
        if (kind is "resource" or "containerResource" && (source["name"]?.ToString() ?? "").Length == 0)
        {
            errors.Add(FieldError.Required($"{path}.name", "must specify a resource name"));
        }
        if (kind == "containerResource")
        {
            var container = source["container"]?.ToString() ?? "";
            if (container.Length == 0) errors.Add(FieldError.Required($"{path}.container", "must specify a container"));
            else foreach (var message in NameValidation.IsDns1123Label(container)) errors.Add(FieldError.Invalid($"{path}.container", container, message));
        }
        Target(target, $"{path}.target", errors);
        bool value = target["value"] is not null, average = target["averageValue"] is not null, utilization = target["averageUtilization"] is not null;
        switch (kind)
        {
            case "resource" or "containerResource":
                if (!utilization && !average) errors.Add(FieldError.Required($"{path}.target.averageUtilization", "must set either a target raw value or a target utilization"));
                if (utilization && average) errors.Add(FieldError.Forbidden($"{path}.target.averageValue", "may not set both a target raw value and a target utilization"));
                break;
            case "pods" when !average:
                errors.Add(FieldError.Required($"{path}.target.averageValue", "must specify a positive target averageValue"));
                break;
            case "object" when !value && !average:
                errors.Add(FieldError.Required($"{path}.target.value", "must set either a target value or averageValue"));
                break;
            case "external":
                if (!value && !average) errors.Add(FieldError.Required($"{path}.target.value", "must set either a target value for metric or a per-pod target"));
                if (value && average) errors.Add(FieldError.Forbidden($"{path}.target.value", "may not set both a target value for metric and a per-pod target"));
                break;
        }
    }

    private static void Target(JsonObject target, string path, List<FieldError> errors)
    {
        var type = target["type"]?.ToString() ?? "";
        if (type.Length == 0)
        {
            errors.Add(FieldError.Required($"{path}.type", "must specify a metric target type"));
        }
        if (type is not ("Utilization" or "Value" or "AverageValue"))
        {
            errors.Add(FieldError.Invalid($"{path}.type", type, "must be either Utilization, Value, or AverageValue"));
        }
        foreach (var field in new[] { "value", "averageValue" })
        {
            if (target[field] is { } quantity && !IsPositive(quantity.ToString()))
            {
                errors.Add(FieldError.Invalid($"{path}.{field}", quantity.DeepClone(), "must be positive"));
            }
        }
        if (Integer(target["averageUtilization"]) is < 1 and var utilization)
        {
            errors.Add(FieldError.Invalid($"{path}.averageUtilization", JsonValue.Create(utilization), "must be greater than 0"));
        }
    }

    private static void Rules(JsonObject? rules, string path, List<FieldError> errors)
    {
        if (rules is null)
        {
            return;
        }
        if (Integer(rules["stabilizationWindowSeconds"]) is { } window && window is < 0 or > 3600)
        {
            errors.Add(FieldError.Invalid($"{path}.stabilizationWindowSeconds", JsonValue.Create(window), window < 0 ? "must be greater than or equal to zero" : "must be less than or equal to 3600"));
        }
        if (rules["selectPolicy"]?.ToString() is { } select && !SelectPolicies.Contains(select))
        {
            errors.Add(FieldError.NotSupported($"{path}.selectPolicy", select, SelectPolicies));
        }
        var policies = (rules["policies"] as JsonArray ?? []).ToList();
        if (policies.Count == 0)
        {
            errors.Add(FieldError.Required($"{path}.policies", "must specify at least one Policy"));
        }
        for (var i = 0; i < policies.Count; i++)
        {
            var policy = policies[i] as JsonObject ?? [];
            var at = $"{path}.policies[{i}]";
            var type = policy["type"]?.ToString() ?? "";
            if (!PolicyTypes.Contains(type)) errors.Add(FieldError.NotSupported($"{at}.type", type, PolicyTypes));
            var value = Integer(policy["value"]) ?? 0;
            if (value <= 0) errors.Add(FieldError.Invalid($"{at}.value", JsonValue.Create(value), "must be greater than zero"));
            var period = Integer(policy["periodSeconds"]) ?? 0;
            if (period <= 0) errors.Add(FieldError.Invalid($"{at}.periodSeconds", JsonValue.Create(period), "must be greater than zero"));
            if (period > 1800) errors.Add(FieldError.Invalid($"{at}.periodSeconds", JsonValue.Create(period), "must be less than or equal to 1800"));
        }
    }

    private static long? Integer(JsonNode? node) =>
        node is JsonValue v && long.TryParse(v.ToString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>Whether a quantity (<c>500m</c>, <c>1Gi</c>, <c>1e3</c>) is greater than zero: its number part is.</summary>
    private static bool IsPositive(string quantity)
    {
        var end = 0;
        while (end < quantity.Length && (char.IsDigit(quantity[end]) || quantity[end] is '.' or '+' or '-')) end++;
        return decimal.TryParse(quantity[..end], NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number > 0;
    }
}
