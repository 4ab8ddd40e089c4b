using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Validation;
using Apiserver.Kube.Validation;

namespace Apiserver.Kube.Registry.Rbac;

/// <summary>
/// The rules shared by the RBAC kinds, as <c>pkg/apis/rbac/validation</c> and the v1 defaults
/// state them: policy rules of roles, role references and subjects of bindings.
/// </summary>
public static class RbacValidation
{
    /// <summary>The RBAC API group, the only group a role reference may name.</summary>
    public const string GroupName = "rbac.authorization.k8s.io";

    private static readonly string[] SubjectKinds = ["ServiceAccount", "User", "Group"];

    /// <summary>
    /// RBAC object names are only required to be usable as a URL path segment (kube's
    /// <c>ValidateRBACName</c>), not to be DNS subdomains: <c>system:controller:foo</c> is fine.
    /// </summary>
    public static IReadOnlyList<string> ValidateName(string name) => NameValidation.IsValidPathSegmentName(name);

    /// <summary>Checks <c>rules</c>; namespaced rules (of a Role) may not name non-resource URLs.</summary>
    public static void ValidateRules(JsonObject obj, bool namespaced, List<FieldError> errors)
    {
        if (obj["rules"] is not JsonArray rules)
        {
            return;
        }
        for (var i = 0; i < rules.Count; i++)
        {
            var path = $"rules[{i}]";
            var rule = rules[i] as JsonObject ?? [];
            if (Count(rule, "verbs") == 0)
            {
                errors.Add(FieldError.Required($"{path}.verbs", "verbs must contain at least one value"));
            }
            if (Count(rule, "nonResourceURLs") > 0)
            {
                var urls = rule["nonResourceURLs"]!.DeepClone();
                if (namespaced)
                {
                    errors.Add(FieldError.Invalid($"{path}.nonResourceURLs", urls, "namespaced rules cannot apply to non-resource URLs"));
                }
                if (Count(rule, "apiGroups") > 0 || Count(rule, "resources") > 0 || Count(rule, "resourceNames") > 0)
                {
                    errors.Add(FieldError.Invalid($"{path}.nonResourceURLs", urls, "rules cannot apply to both regular resources and non-resource URLs"));
                }
                continue;
            }
            if (Count(rule, "apiGroups") == 0)
            {
                errors.Add(FieldError.Required($"{path}.apiGroups", "resource rules must supply at least one api group"));
            }
            if (Count(rule, "resources") == 0)
            {
                errors.Add(FieldError.Required($"{path}.resources", "resource rules must supply at least one resource"));
            }
            if (Count(rule, "resourceNames") > 0 && Count(rule, "resources") > 1)
            {
                errors.Add(FieldError.Required($"{path}.resourceNames", "resource names cannot apply to multiple resources"));
            }
        }
    }

    /// <summary>Checks a ClusterRole's <c>aggregationRule</c>: at least one selector, each a valid label selector.</summary>
    public static void ValidateAggregationRule(JsonObject obj, List<FieldError> errors)
    {
        if (obj["aggregationRule"] is not JsonObject rule)
        {
            return;
        }
        const string path = "aggregationRule.clusterRoleSelectors";
        if (rule["clusterRoleSelectors"] is not JsonArray { Count: > 0 } selectors)
        {
            errors.Add(FieldError.Required(path, "at least one clusterRoleSelector required if aggregationRule is non-nil"));
            return;
        }
        for (var i = 0; i < selectors.Count; i++)
        {
            if ((selectors[i] as JsonObject)?["matchExpressions"] is not JsonArray expressions)
            {
                continue;
            }
            for (var j = 0; j < expressions.Count; j++)
            {
                Apps.LabelSelectors.ValidateRequirement(expressions[j] as JsonObject ?? [], $"{path}[{i}].matchExpressions[{j}]", errors);
            }
        }
    }

    /// <summary>The v1 defaults of a binding: the RBAC group on <c>roleRef</c>, and on User and Group subjects.</summary>
    public static void DefaultBinding(JsonObject obj)
    {
        if (obj["roleRef"] is JsonObject roleRef && string.IsNullOrEmpty(roleRef["apiGroup"]?.ToString()))
        {
            roleRef["apiGroup"] = GroupName;
        }
        if (obj["subjects"] is JsonArray subjects)
        {
            foreach (var subject in subjects.OfType<JsonObject>())
            {
                if (string.IsNullOrEmpty(subject["apiGroup"]?.ToString()) && subject["kind"]?.ToString() is "User" or "Group")
                {
                    subject["apiGroup"] = GroupName;
                }
            }
        }
    }

    /// <summary>Checks a binding's <c>roleRef</c> (one of <paramref name="roleKinds"/>) and <c>subjects</c>.</summary>
    public static void ValidateBinding(JsonObject obj, bool namespaced, IReadOnlyList<string> roleKinds, List<FieldError> errors)
    {
        var roleRef = obj["roleRef"] as JsonObject ?? [];
        var apiGroup = roleRef["apiGroup"]?.ToString() ?? "";
        if (apiGroup != GroupName)
        {
            errors.Add(FieldError.NotSupported("roleRef.apiGroup", apiGroup, [GroupName]));
        }
        var kind = roleRef["kind"]?.ToString() ?? "";
        if (!roleKinds.Contains(kind))
        {
            errors.Add(FieldError.NotSupported("roleRef.kind", kind, roleKinds));
        }
        var name = roleRef["name"]?.ToString() ?? "";
        if (name.Length == 0)
        {
            errors.Add(FieldError.Required("roleRef.name"));
        }
        else
        {
            errors.AddRange(ValidateName(name).Select(m => FieldError.Invalid("roleRef.name", name, m)));
        }
        if (obj["subjects"] is JsonArray subjects)
        {
            for (var i = 0; i < subjects.Count; i++)
            {
                ValidateSubject(subjects[i] as JsonObject ?? [], namespaced, $"subjects[{i}]", errors);
            }
        }
    }

    /// <summary>A binding's <c>roleRef</c> may not change: bind a different role with a new binding.</summary>
    public static void ValidateRoleRefUnchanged(JsonObject obj, JsonObject old, List<FieldError> errors)
    {
        if (!JsonNode.DeepEquals(obj["roleRef"], old["roleRef"]))
        {
            errors.Add(FieldError.Invalid("roleRef", obj["roleRef"]?.DeepClone(), "cannot change roleRef"));
        }
    }

    /// <summary>
    /// The <c>kubectl get</c> columns of a binding kind (<paramref name="what"/>: <c>roleBinding</c>
    /// or <c>clusterRoleBinding</c>), the Role column described by <paramref name="roleRefDoc"/>.
    /// </summary>
    public static IReadOnlyList<TableColumn> BindingColumns(string what, string roleRefDoc) =>
    [
        TableColumn.NameColumn,
        new("Role", "string", roleRefDoc, RoleRefCell),
        TableColumn.AgeColumn,
        new("Users", "string", $"Users in the {what}", obj => string.Join(", ", Subjects(obj, "User")), Priority: 1),
        new("Groups", "string", $"Groups in the {what}", obj => string.Join(", ", Subjects(obj, "Group")), Priority: 1),
        new("ServiceAccounts", "string", $"ServiceAccounts in the {what}", obj => string.Join(", ", Subjects(obj, "ServiceAccount")), Priority: 1),
    ];

    private static JsonNode RoleRefCell(JsonObject obj)
    {
        var roleRef = obj["roleRef"] as JsonObject;
        return $"{roleRef?["kind"]}/{roleRef?["name"]}";
    }

    // As rbac.SubjectsStrings: users and groups by name, service accounts as namespace/name.
    private static IEnumerable<string> Subjects(JsonObject obj, string kind) =>
        (obj["subjects"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(s => s["kind"]?.ToString() == kind)
            .Select(s => kind == "ServiceAccount" ? $"{s["namespace"]}/{s["name"]}" : s["name"]?.ToString() ?? "");

    private static void ValidateSubject(JsonObject subject, bool namespaced, string path, List<FieldError> errors)
    {
        var name = subject["name"]?.ToString() ?? "";
        var apiGroup = subject["apiGroup"]?.ToString() ?? "";
        var kind = subject["kind"]?.ToString() ?? "";
        if (name.Length == 0)
        {
            errors.Add(FieldError.Required($"{path}.name"));
        }
        switch (kind)
        {
            case "ServiceAccount":
                if (name.Length > 0)
                {
                    errors.AddRange(NameValidation.IsDns1123Subdomain(name).Select(m => FieldError.Invalid($"{path}.name", name, m)));
                }
                if (apiGroup.Length > 0)
                {
                    errors.Add(FieldError.NotSupported($"{path}.apiGroup", apiGroup, [""]));
                }
                if (!namespaced && string.IsNullOrEmpty(subject["namespace"]?.ToString()))
                {
                    errors.Add(FieldError.Required($"{path}.namespace"));
                }
                break;
            case "User" or "Group":
                if (name.Length == 0)
                {
                    errors.Add(FieldError.Invalid($"{path}.name", name, $"{kind.ToLowerInvariant()} name cannot be empty"));
                }
                if (apiGroup != GroupName)
                {
                    errors.Add(FieldError.NotSupported($"{path}.apiGroup", apiGroup, [GroupName]));
                }
                break;
            default:
                errors.Add(FieldError.NotSupported($"{path}.kind", kind, SubjectKinds));
                break;
        }
    }

    private static int Count(JsonObject obj, string field) => obj[field] is JsonArray list ? list.Count : 0;
}
