using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Validation;
using Apiserver.Kube.Validation;

namespace Apiserver.Kube.Registry.Apps;

/// <summary>
/// The checks of a workload's pod template that matter most, with kube's messages
/// (<c>pkg/apis/core/validation</c>): containers named as DNS labels, unique and with an image;
/// the supported pull policies, termination message policies, port numbers and protocols; resource
/// quantities that are not negative, with no request above its limit; and the restart policies a
/// workload allows.
/// </summary>
public static class PodTemplateValidation
{
    private static readonly string[] PullPolicies = ["Always", "IfNotPresent", "Never"];
    private static readonly string[] MessagePolicies = ["File", "FallbackToLogsOnError"];
    private static readonly string[] Protocols = ["SCTP", "TCP", "UDP"];

    /// <summary>Validates <paramref name="template"/> at <paramref name="path"/> (e.g. <c>spec.template</c>).</summary>
    public static void Validate(JsonNode? template, string path, IReadOnlyList<string> restartPolicies, List<FieldError> errors)
    {
        if (template is not JsonObject t || t["spec"] is not JsonObject spec)
        {
            errors.Add(FieldError.Required($"{path}.spec.containers"));
            return;
        }
        var specPath = $"{path}.spec";
        var restartPolicy = spec["restartPolicy"]?.ToString() ?? "";
        if (!restartPolicies.Contains(restartPolicy))
        {
            errors.Add(FieldError.NotSupported($"{specPath}.restartPolicy", restartPolicy, restartPolicies));
        }
        WorkloadValidation.NonNegative(spec, "terminationGracePeriodSeconds", specPath, errors);
        var names = new HashSet<string>();
        ValidateContainers(spec["initContainers"] as JsonArray, $"{specPath}.initContainers", names, errors);
        if (spec["containers"] is not JsonArray { Count: > 0 } containers)
        {
            errors.Add(FieldError.Required($"{specPath}.containers"));
            return;
        }
        ValidateContainers(containers, $"{specPath}.containers", names, errors);
    }

    private static void ValidateContainers(JsonArray? containers, string path, HashSet<string> names, List<FieldError> errors)
    {
        var i = 0;
        foreach (var node in containers ?? [])
        {
            var at = $"{path}[{i++}]";
            if (node is not JsonObject container)
            {
                errors.Add(FieldError.Required($"{at}.name"));
                continue;
            }
            var name = container["name"]?.ToString() ?? "";
            if (name.Length == 0)
            {
                errors.Add(FieldError.Required($"{at}.name"));
            }
            else if (NameValidation.IsDns1123Label(name) is { Count: > 0 } problems)
            {
                errors.AddRange(problems.Select(p => FieldError.Invalid($"{at}.name", name, p)));
            }
            else if (!names.Add(name))
            {
                errors.Add(new FieldError(FieldErrorType.Duplicate, $"{at}.name", JsonValue.Create(name), ""));
            }
            if ((container["image"]?.ToString() ?? "").Trim().Length == 0)
            {
                errors.Add(FieldError.Required($"{at}.image"));
            }
            CheckOneOf(container["imagePullPolicy"], $"{at}.imagePullPolicy", PullPolicies, errors);
            CheckOneOf(container["terminationMessagePolicy"], $"{at}.terminationMessagePolicy", MessagePolicies, errors);
            ValidatePorts(container["ports"] as JsonArray, $"{at}.ports", errors);
            ValidateResources(container["resources"] as JsonObject, $"{at}.resources", errors);
        }
    }

    // kube's ValidateResourceRequirements on quantities: none negative, no request above its limit.
    private static void ValidateResources(JsonObject? resources, string path, List<FieldError> errors)
    {
        var limits = resources?["limits"] as JsonObject ?? [];
        foreach (var list in new[] { "limits", "requests" })
        {
            foreach (var (name, value) in resources?[list] as JsonObject ?? [])
            {
                if (Quantity.Parse(value) is not { } quantity)
                {
                    continue;
                }
                if (quantity < 0)
                {
                    errors.Add(FieldError.Invalid($"{path}.{list}[{name}]", value?.ToString(), "must be greater than or equal to 0"));
                }
                else if (list == "requests" && Quantity.Parse(limits[name]) is { } limit && quantity > limit)
                {
                    errors.Add(FieldError.Invalid($"{path}.requests", value?.ToString(), $"must be less than or equal to {name} limit of {limits[name]}"));
                }
            }
        }
    }

    private static void ValidatePorts(JsonArray? ports, string path, List<FieldError> errors)
    {
        var i = 0;
        foreach (var port in (ports ?? []).OfType<JsonObject>())
        {
            var at = $"{path}[{i++}]";
            var number = WorkloadValidation.Integer(port["containerPort"]) ?? 0;
            if (number is < 1 or > 65535)
            {
                errors.Add(FieldError.Invalid($"{at}.containerPort", JsonValue.Create(number), "must be between 1 and 65535, inclusive"));
            }
            CheckOneOf(port["protocol"], $"{at}.protocol", Protocols, errors);
        }
    }

    private static void CheckOneOf(JsonNode? node, string field, IReadOnlyList<string> supported, List<FieldError> errors)
    {
        var value = node?.ToString() ?? "";
        if (value.Length == 0)
        {
            errors.Add(FieldError.Required(field));
        }
        else if (!supported.Contains(value))
        {
            errors.Add(FieldError.NotSupported(field, value, supported));
        }
    }
}
