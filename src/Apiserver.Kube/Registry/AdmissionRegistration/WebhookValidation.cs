using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Validation;
using Apiserver.Kube.Registry.Apps;

namespace Apiserver.Kube.Registry.AdmissionRegistration;

/// <summary>kube's <c>ValidateValidatingWebhookConfiguration</c> and its mutating twin: the main rules and messages.</summary>
internal static class WebhookValidation
{
    private static readonly string[] SideEffects = ["None", "NoneOnDryRun"];
    private static readonly string[] ReviewVersions = ["v1", "v1beta1"];
    private static readonly string[] ReinvocationPolicies = ["IfNeeded", "Never"];

    public static void Validate(JsonObject config, bool mutating, List<FieldError> errors)
    {
        var names = new HashSet<string>();
        var webhooks = AdmissionRules.Items(config["webhooks"]).ToList();
        for (var i = 0; i < webhooks.Count; i++)
        {
            var path = $"webhooks[{i}]";
            var webhook = webhooks[i];
            var name = webhook["name"]?.ToString() ?? "";
            if (name.Length == 0)
            {
                errors.Add(FieldError.Required($"{path}.name"));
            }
            else if (name.Split('.').Length < 3 || NameValidation.IsDns1123Subdomain(name).Count > 0)
            {
                errors.Add(FieldError.Invalid($"{path}.name", name, "should be a domain with at least three segments separated by dots"));
            }
            else if (!names.Add(name))
            {
                errors.Add(new FieldError(FieldErrorType.Duplicate, $"{path}.name", JsonValue.Create(name), ""));
            }
            AdmissionRules.ValidateMatching(webhook, path, "rules", rulesRequired: false, errors);
            AdmissionRules.ValidateFailurePolicy(webhook["failurePolicy"], $"{path}.failurePolicy", errors);
            var sideEffects = webhook["sideEffects"]?.ToString();
            if (sideEffects is null)
            {
                errors.Add(FieldError.Required($"{path}.sideEffects", "must specify one of None, NoneOnDryRun"));
            }
            else if (!SideEffects.Contains(sideEffects))
            {
                errors.Add(FieldError.NotSupported($"{path}.sideEffects", sideEffects, SideEffects));
            }
            var versions = AdmissionRules.Strings(webhook["admissionReviewVersions"]);
            if (versions.Count == 0)
            {
                errors.Add(FieldError.Required($"{path}.admissionReviewVersions", "must specify one of v1, v1beta1"));
            }
            else if (!versions.Any(ReviewVersions.Contains))
            {
                errors.Add(FieldError.Invalid($"{path}.admissionReviewVersions", new JsonArray([.. versions.Select(v => (JsonNode)v)]), "must include at least one of v1, v1beta1"));
            }
            if (WorkloadValidation.Integer(webhook["timeoutSeconds"]) is { } timeout and (< 1 or > 30))
            {
                errors.Add(FieldError.Invalid($"{path}.timeoutSeconds", JsonValue.Create(timeout), "the timeout value must be between 1 and 30 seconds"));
            }
            if (mutating && webhook["reinvocationPolicy"]?.ToString() is { } reinvocation && !ReinvocationPolicies.Contains(reinvocation))
            {
                errors.Add(FieldError.NotSupported($"{path}.reinvocationPolicy", reinvocation, ReinvocationPolicies));
            }
            ValidateClientConfig(webhook["clientConfig"] as JsonObject ?? [], $"{path}.clientConfig", errors);
            AdmissionRules.ValidateMatchConditions(webhook["matchConditions"], $"{path}.matchConditions", errors);
        }
    }

    private static void ValidateClientConfig(JsonObject config, string path, List<FieldError> errors)
    {
        var url = config["url"]?.ToString();
        var service = config["service"] as JsonObject;
        if ((url is null) == (service is null))
        {
            errors.Add(FieldError.Required(path, "exactly one of url or service is required"));
            return;
        }
        if (url is not null)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            {
                errors.Add(FieldError.Invalid($"{path}.url", url, "host must be specified"));
            }
            else if (uri.Scheme != "https")
            {
                errors.Add(FieldError.Invalid($"{path}.url", url, "'https' is the only allowed URL scheme"));
            }
            else if (uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
            {
                errors.Add(FieldError.Invalid($"{path}.url", url, "query parameters, fragments and user information are not allowed"));
            }
            return;
        }
        foreach (var field in new[] { "namespace", "name" })
        {
            if ((service![field]?.ToString() ?? "").Length == 0)
            {
                errors.Add(FieldError.Required($"{path}.service.{field}"));
            }
        }
        if (WorkloadValidation.Integer(service!["port"]) is { } port and (< 1 or > 65535))
        {
            errors.Add(FieldError.Invalid($"{path}.service.port", JsonValue.Create(port), "port is not valid: must be between 1 and 65535, inclusive"));
        }
        if (service["path"]?.ToString() is { Length: > 0 } servicePath && !servicePath.StartsWith('/'))
        {
            errors.Add(FieldError.Invalid($"{path}.service.path", servicePath, "must start with a '/'"));
        }
    }
}
