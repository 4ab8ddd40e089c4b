using System.Text;

namespace Apiserver.Kube.Authorization;

/// <summary>
/// kube's escalation arithmetic (<c>rbac/validation</c>): whether one set of rules covers another,
/// which rules are missing, and how they are printed in the 403 that refuses an escalation.
/// </summary>
public static class RbacCovers
{
    /// <summary>
    /// Whether <paramref name="owner"/> covers every rule of <paramref name="servant"/>: each servant rule
    /// is broken down into atoms (one group, resource, verb, name; or one path and verb), and every
    /// atom must be covered by one owner rule. Returns the atoms left uncovered.
    /// </summary>
    public static (bool Covered, IReadOnlyList<PolicyRule> Missing) Covers(IReadOnlyList<PolicyRule> owner, IEnumerable<PolicyRule> servant)
    {
        var missing = servant.SelectMany(Breakdown).Where(atom => !owner.Any(rule => RuleCovers(rule, atom))).ToList();
        return (missing.Count == 0, missing);
    }

    /// <summary>kube's <c>BreakdownRule</c>.</summary>
    public static IEnumerable<PolicyRule> Breakdown(PolicyRule rule)
    {
        foreach (var group in rule.ApiGroups)
        {
            foreach (var resource in rule.Resources)
            {
                foreach (var verb in rule.Verbs)
                {
                    if (rule.ResourceNames.Count > 0)
                    {
                        foreach (var name in rule.ResourceNames)
                        {
                            yield return new PolicyRule([verb], [group], [resource], [name], []);
                        }
                    }
                    else
                    {
                        yield return new PolicyRule([verb], [group], [resource], [], []);
                    }
                }
            }
        }
        foreach (var url in rule.NonResourceUrls)
        {
            foreach (var verb in rule.Verbs)
            {
                yield return new PolicyRule([verb], [], [], [], [url]);
            }
        }
    }

    /// <summary>kube's <c>ruleCovers</c>.</summary>
    public static bool RuleCovers(PolicyRule owner, PolicyRule sub)
    {
        var verbs = owner.Verbs.Contains(RbacRules.All) || sub.Verbs.All(owner.Verbs.Contains);
        var groups = owner.ApiGroups.Contains(RbacRules.All) || sub.ApiGroups.All(owner.ApiGroups.Contains);
        var resources = ResourcesCover(owner.Resources, sub.Resources);
        var urls = sub.NonResourceUrls.All(path => owner.NonResourceUrls.Any(o => o == path || (o.EndsWith('*') && path.StartsWith(o.TrimEnd('*'), StringComparison.Ordinal))));
        var names = sub.ResourceNames.Count == 0
            ? owner.ResourceNames.Count == 0
            : owner.ResourceNames.Count == 0 || sub.ResourceNames.All(owner.ResourceNames.Contains);
        return verbs && groups && resources && names && urls;
    }

    /// <summary>kube's <c>resourceCoversAll</c>: <c>*</c>, the exact resource, or <c>*/sub</c> for a subresource.</summary>
    private static bool ResourcesCover(IReadOnlyList<string> owner, IReadOnlyList<string> sub)
    {
        if (owner.Contains(RbacRules.All))
        {
            return true;
        }
        foreach (var path in sub)
        {
            if (owner.Contains(path))
            {
                continue;
            }
            var slash = path.IndexOf('/');
            if (slash < 0 || !owner.Contains("*/" + path[(slash + 1)..]))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>kube's <c>CompactRules</c>: simple rules (one group, one resource, at most one name) that differ only in verbs become one.</summary>
    public static IReadOnlyList<PolicyRule> Compact(IEnumerable<PolicyRule> rules)
    {
        var compacted = new List<PolicyRule>();
        var simple = new Dictionary<(string Group, string Resource, string? Name), PolicyRule>();
        foreach (var rule in rules)
        {
            if (rule.ResourceNames.Count <= 1 && rule.NonResourceUrls.Count == 0 && rule.ApiGroups.Count == 1 && rule.Resources.Count == 1)
            {
                var key = (rule.ApiGroups[0], rule.Resources[0], rule.ResourceNames.Count == 1 ? rule.ResourceNames[0] : null);
                simple[key] = simple.TryGetValue(key, out var existing) ? existing with { Verbs = [.. existing.Verbs, .. rule.Verbs] } : rule;
            }
            else
            {
                compacted.Add(rule);
            }
        }
        compacted.AddRange(simple.Values);
        return compacted;
    }

    /// <summary>kube's <c>CompactString</c>: <c>{APIGroups:[""], Resources:["pods"], Verbs:["get"]}</c>.</summary>
    public static string CompactString(PolicyRule rule)
    {
        var parts = new List<string>();
        void Add(string name, IReadOnlyList<string> values)
        {
            if (values.Count > 0)
            {
                parts.Add($"{name}:{GoQuote(values)}");
            }
        }
        Add("APIGroups", rule.ApiGroups);
        Add("Resources", rule.Resources);
        Add("NonResourceURLs", rule.NonResourceUrls);
        Add("ResourceNames", rule.ResourceNames);
        Add("Verbs", rule.Verbs);
        return "{" + string.Join(", ", parts) + "}";
    }

    /// <summary>Go's <c>%q</c> of a string slice: <c>["a" "b"]</c>.</summary>
    public static string GoQuote(IEnumerable<string> values) => "[" + string.Join(" ", values.Select(GoQuote)) + "]";

    private static string GoQuote(string value)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in value)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }
        return builder.Append('"').ToString();
    }
}
