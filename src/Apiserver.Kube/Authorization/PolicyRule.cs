using System.Text.Json.Nodes;

namespace Apiserver.Kube.Authorization;

/// <summary>One rule of a Role or ClusterRole (<c>rbac/v1 PolicyRule</c>).</summary>
/// <param name="Verbs">The verbs; <c>*</c> is every verb.</param>
/// <param name="ApiGroups">The API groups; <c>""</c> is the core group, <c>*</c> every group.</param>
/// <param name="Resources">The resources: <c>*</c>, <c>pods</c>, <c>pods/log</c>, or <c>*/scale</c>.</param>
/// <param name="ResourceNames">When not empty, the only object names the rule applies to.</param>
/// <param name="NonResourceUrls">Paths such as <c>/healthz</c>, <c>/apis/*</c> (a trailing <c>*</c> is a prefix), or <c>*</c>.</param>
public sealed record PolicyRule(
    IReadOnlyList<string> Verbs,
    IReadOnlyList<string> ApiGroups,
    IReadOnlyList<string> Resources,
    IReadOnlyList<string> ResourceNames,
    IReadOnlyList<string> NonResourceUrls)
{
    /// <summary>The rules of a stored Role or ClusterRole (its <c>rules</c> field).</summary>
    public static IReadOnlyList<PolicyRule> FromRole(JsonObject role) =>
        role["rules"] is JsonArray rules
            ? [.. rules.OfType<JsonObject>().Select(FromJson)]
            : [];

    /// <summary>One rule from its JSON form.</summary>
    public static PolicyRule FromJson(JsonObject rule) => new(
        Strings(rule, "verbs"), Strings(rule, "apiGroups"), Strings(rule, "resources"), Strings(rule, "resourceNames"), Strings(rule, "nonResourceURLs"));

    private static string[] Strings(JsonObject obj, string field) =>
        obj[field] is JsonArray array ? [.. array.Select(v => v?.GetValue<string>() ?? "")] : [];
}
