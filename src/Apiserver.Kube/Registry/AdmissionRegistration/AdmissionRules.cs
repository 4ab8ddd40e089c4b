using System.Text.Json.Nodes;
using Apiserver.Generic.Api;

namespace Apiserver.Kube.Registry.AdmissionRegistration;

/// <summary>
/// What webhooks and policies share (kube's <c>pkg/apis/admissionregistration/v1/defaults.go</c> and
/// <c>validation.go</c>): rules with operations, match policies and selectors, failure policies.
/// </summary>
internal static class AdmissionRules
{
    public static readonly string[] FailurePolicies = ["Fail", "Ignore"];
    private static readonly string[] MatchPolicies = ["Equivalent", "Exact"];
    private static readonly string[] Operations = ["*", "CONNECT", "CREATE", "DELETE", "UPDATE"];
    private static readonly string[] Scopes = ["*", "Cluster", "Namespaced"];

    /// <summary>Defaults of a webhook or of match resources: Equivalent matching, empty selectors, <c>*</c> scope.</summary>
    public static void DefaultMatching(JsonObject owner, string rulesField)
    {
        owner["matchPolicy"] ??= "Equivalent";
        owner["namespaceSelector"] ??= new JsonObject();
        owner["objectSelector"] ??= new JsonObject();
        foreach (var rule in Items(owner[rulesField]))
        {
            rule["scope"] ??= "*";
        }
    }

    public static void ValidateMatching(JsonObject owner, string path, string rulesField, bool rulesRequired, List<FieldError> errors)
    {
        if (owner["matchPolicy"]?.ToString() is { } matchPolicy && !MatchPolicies.Contains(matchPolicy))
        {
            errors.Add(FieldError.NotSupported($"{path}.matchPolicy", matchPolicy, MatchPolicies));
        }
        var rules = Items(owner[rulesField]).ToList();
        if (rulesRequired && rules.Count == 0)
        {
            errors.Add(FieldError.Required($"{path}.{rulesField}"));
        }
        for (var i = 0; i < rules.Count; i++)
        {
            ValidateRule(rules[i], $"{path}.{rulesField}[{i}]", errors);
        }
    }

    private static void ValidateRule(JsonObject rule, string path, List<FieldError> errors)
    {
        var operations = Strings(rule["operations"]);
        if (operations.Count == 0)
        {
            errors.Add(FieldError.Required($"{path}.operations"));
        }
        for (var i = 0; i < operations.Count; i++)
        {
            if (!Operations.Contains(operations[i]))
            {
                errors.Add(FieldError.NotSupported($"{path}.operations[{i}]", operations[i], Operations));
            }
        }
        if (operations.Count > 1 && operations.Contains("*"))
        {
            errors.Add(FieldError.Invalid($"{path}.operations", new JsonArray([.. operations.Select(o => (JsonNode)o)]), "if '*' is present, must not specify other operations"));
        }
        foreach (var field in new[] { "apiGroups", "apiVersions", "resources" })
        {
            if (Strings(rule[field]).Count == 0)
            {
                errors.Add(FieldError.Required($"{path}.{field}"));
            }
        }
        if (rule["scope"]?.ToString() is { } scope && !Scopes.Contains(scope))
        {
            errors.Add(FieldError.NotSupported($"{path}.scope", scope, Scopes));
        }
    }

    public static void ValidateFailurePolicy(JsonNode? value, string path, List<FieldError> errors)
    {
        if (value?.ToString() is { } policy && !FailurePolicies.Contains(policy))
        {
            errors.Add(FieldError.NotSupported(path, policy, FailurePolicies));
        }
    }

    /// <summary>Match conditions: a name (a qualified name, unique) and an expression each.</summary>
    public static void ValidateMatchConditions(JsonNode? conditions, string path, List<FieldError> errors)
    {
        var names = new HashSet<string>();
        var list = Items(conditions).ToList();
        for (var i = 0; i < list.Count; i++)
        {
            var name = list[i]["name"]?.ToString() ?? "";
            if (name.Length == 0)
            {
                errors.Add(FieldError.Required($"{path}[{i}].name"));
            }
            else if (!names.Add(name))
            {
                errors.Add(new FieldError(FieldErrorType.Duplicate, $"{path}[{i}].name", JsonValue.Create(name), ""));
            }
            if ((list[i]["expression"]?.ToString() ?? "").Length == 0)
            {
                errors.Add(FieldError.Required($"{path}[{i}].expression"));
            }
        }
    }

    public static IEnumerable<JsonObject> Items(JsonNode? node) => (node as JsonArray ?? []).OfType<JsonObject>();

    public static List<string> Strings(JsonNode? node) => (node as JsonArray ?? []).Select(n => n?.ToString() ?? "").ToList();
}
