using Apiserver.Generic.Authentication;

namespace Apiserver.Generic.Authorization;

/// <summary>
/// An authorizer that can list what a user may do in a namespace (kube's
/// <c>authorizer.RuleResolver</c>), which SelfSubjectRulesReview reports.
/// </summary>
public interface IRuleResolver
{
    /// <summary>The rules <paramref name="user"/> holds in <paramref name="ns"/> (cluster-wide ones included).</summary>
    ValueTask<RuleSet> RulesForAsync(UserInfo user, string ns, CancellationToken cancellationToken);
}

/// <summary>A rule about resources, as SelfSubjectRulesReview shows it.</summary>
/// <param name="Verbs">The verbs.</param>
/// <param name="ApiGroups">The API groups.</param>
/// <param name="Resources">The resources.</param>
/// <param name="ResourceNames">The object names, or empty for all.</param>
public sealed record ResourceRuleInfo(IReadOnlyList<string> Verbs, IReadOnlyList<string> ApiGroups, IReadOnlyList<string> Resources, IReadOnlyList<string> ResourceNames);

/// <summary>A rule about non-resource paths.</summary>
/// <param name="Verbs">The verbs.</param>
/// <param name="NonResourceUrls">The paths.</param>
public sealed record NonResourceRuleInfo(IReadOnlyList<string> Verbs, IReadOnlyList<string> NonResourceUrls);

/// <summary>What a rule resolver found.</summary>
/// <param name="ResourceRules">Rules about resources.</param>
/// <param name="NonResourceRules">Rules about paths.</param>
/// <param name="Incomplete">Whether the resolver cannot list everything the user may do (a webhook, say).</param>
/// <param name="EvaluationError">Why some rules could not be resolved, or empty.</param>
public sealed record RuleSet(IReadOnlyList<ResourceRuleInfo> ResourceRules, IReadOnlyList<NonResourceRuleInfo> NonResourceRules, bool Incomplete, string EvaluationError = "")
{
    /// <summary>No rules, and the resolver knows of none.</summary>
    public static RuleSet None { get; } = new([], [], false);

    /// <summary>No rules, and the resolver cannot tell.</summary>
    public static RuleSet Unknown { get; } = new([], [], true);

    /// <summary>The union of several resolvers' answers, as kube's union authorizer combines them.</summary>
    public static RuleSet Combine(IEnumerable<RuleSet> sets)
    {
        var list = sets.ToList();
        var errors = list.Select(s => s.EvaluationError).Where(e => e.Length > 0).ToList();
        return new RuleSet(
            [.. list.SelectMany(s => s.ResourceRules)],
            [.. list.SelectMany(s => s.NonResourceRules)],
            list.Any(s => s.Incomplete),
            errors.Count switch { 0 => "", 1 => errors[0], _ => $"[{string.Join(", ", errors)}]" });
    }
}
