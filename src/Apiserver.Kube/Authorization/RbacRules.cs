using Apiserver.Generic.Authorization;

namespace Apiserver.Kube.Authorization;

/// <summary>
/// Whether a <see cref="PolicyRule"/> covers a request, with the semantics of kube's
/// <c>rbac.RuleAllows</c> and the <c>rbacv1helpers</c> matchers.
/// </summary>
public static class RbacRules
{
    /// <summary>The wildcard of verbs, groups, resources and paths.</summary>
    public const string All = "*";

    /// <summary>Whether <paramref name="rule"/> allows the request described by <paramref name="attributes"/>.</summary>
    public static bool Allows(AuthorizationAttributes attributes, PolicyRule rule)
    {
        if (!VerbMatches(rule, attributes.Verb))
        {
            return false;
        }
        if (!attributes.IsResourceRequest)
        {
            return NonResourceUrlMatches(rule, attributes.Path);
        }
        var combined = attributes.Subresource.Length > 0 ? $"{attributes.Resource}/{attributes.Subresource}" : attributes.Resource;
        return ApiGroupMatches(rule, attributes.ApiGroup)
            && ResourceMatches(rule, combined, attributes.Subresource)
            && ResourceNameMatches(rule, attributes.Name);
    }

    /// <summary>The rule names the verb, or <c>*</c>.</summary>
    public static bool VerbMatches(PolicyRule rule, string verb) =>
        rule.Verbs.Any(v => v == All || v == verb);

    /// <summary>The rule names the group (<c>""</c> for core), or <c>*</c>.</summary>
    public static bool ApiGroupMatches(PolicyRule rule, string group) =>
        rule.ApiGroups.Any(g => g == All || g == group);

    /// <summary>
    /// The rule names <c>*</c>, the resource with its subresource (<c>pods/log</c>), or
    /// <c>*/&lt;subresource&gt;</c>. As in kube, <c>pods/*</c> is no wildcard: it matches only
    /// a subresource literally called <c>*</c>.
    /// </summary>
    public static bool ResourceMatches(PolicyRule rule, string combinedResource, string subresource)
    {
        foreach (var resource in rule.Resources)
        {
            if (resource == All || resource == combinedResource)
            {
                return true;
            }
            if (subresource.Length > 0 && resource.Length == subresource.Length + 2 && resource.StartsWith("*/", StringComparison.Ordinal) && resource.EndsWith(subresource, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Without resource names the rule covers every object; with them, only requests naming one
    /// of them — so never a list, a watch, or a create, which carry no name.
    /// </summary>
    public static bool ResourceNameMatches(PolicyRule rule, string name) =>
        rule.ResourceNames.Count == 0 || (name.Length > 0 && rule.ResourceNames.Contains(name));

    /// <summary>The rule names the path, <c>*</c>, or a prefix of it ending in <c>*</c>.</summary>
    public static bool NonResourceUrlMatches(PolicyRule rule, string path)
    {
        foreach (var url in rule.NonResourceUrls)
        {
            if (url == All || url == path)
            {
                return true;
            }
            if (url.EndsWith('*') && path.StartsWith(url.TrimEnd('*'), StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }
}
