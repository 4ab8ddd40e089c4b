using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Apiserver.Generic.Authentication;

namespace Apiserver.Kube.Authorization;

/// <summary>
/// An immutable snapshot of the RBAC objects, indexed for decisions: the rules of every Role and
/// ClusterRole, and the bindings by the subjects they name, so that a request looks only at the
/// bindings of its own user, groups and service account.
/// </summary>
public sealed class RbacPolicy
{
    private const string ServiceAccountPrefix = "system:serviceaccount:";

    private readonly Dictionary<string, IReadOnlyList<PolicyRule>> _clusterRoles;
    private readonly Dictionary<(string Namespace, string Name), IReadOnlyList<PolicyRule>> _roles;
    private readonly Dictionary<string, List<RbacBinding>> _clusterBindings;
    private readonly Dictionary<(string Namespace, string Subject), List<RbacBinding>> _namespacedBindings;

    // The parsed form of each object instance: the cache rebuilds the policy on every RBAC change,
    // and most objects are the same instances as in the previous snapshot.
    private static readonly ConditionalWeakTable<JsonObject, IReadOnlyList<PolicyRule>> ParsedRules = new();
    private static readonly ConditionalWeakTable<JsonObject, RbacBinding> ParsedBindings = new();

    /// <summary>A policy with nothing in it.</summary>
    public static RbacPolicy Empty { get; } = new([], [], [], []);

    /// <summary>
    /// Indexes the stored objects (their JSON form). The objects must not change afterwards: their
    /// parsed form is remembered per instance and reused by later policies built from them.
    /// </summary>
    public RbacPolicy(IEnumerable<JsonObject> clusterRoles, IEnumerable<JsonObject> roles, IEnumerable<JsonObject> clusterRoleBindings, IEnumerable<JsonObject> roleBindings)
    {
        _clusterRoles = clusterRoles.ToDictionary(Name, Rules);
        _roles = roles.ToDictionary(r => (Namespace(r), Name(r)), Rules);
        _clusterBindings = [];
        _namespacedBindings = [];
        // Ordered by name, so that a decision's reason (the first binding that allows) is stable.
        foreach (var binding in clusterRoleBindings.Select(b => ParsedBindings.GetValue(b, o => RbacBinding.From(o, ""))).OrderBy(b => b.Name, StringComparer.Ordinal))
        {
            foreach (var subject in binding.SubjectKeys)
            {
                Add(_clusterBindings, subject, binding);
            }
        }
        foreach (var binding in roleBindings.Select(b => ParsedBindings.GetValue(b, o => RbacBinding.From(o, Namespace(o)))).OrderBy(b => b.Name, StringComparer.Ordinal))
        {
            foreach (var subject in binding.SubjectKeys)
            {
                Add(_namespacedBindings, (binding.Namespace, subject), binding);
            }
        }
    }

    /// <summary>
    /// kube's <c>VisitRulesFor</c>: the rules granted to <paramref name="user"/> by ClusterRoleBindings,
    /// then by RoleBindings in <paramref name="ns"/> (none when empty), binding by binding. The
    /// visitor returns false to stop. A binding whose role does not resolve is reported as an error.
    /// </summary>
    public void VisitRulesFor(UserInfo user, string ns, Func<RbacBinding, PolicyRule?, string?, bool> visitor)
    {
        var keys = SubjectKeys(user).ToList();
        if (!Visit(Bindings(_clusterBindings, keys), "", visitor))
        {
            return;
        }
        if (ns.Length > 0)
        {
            Visit(Bindings(_namespacedBindings, keys.Select(k => (ns, k))), ns, visitor);
        }
    }

    /// <summary>The rules a role reference names, or null with the error kube gives when the role does not exist.</summary>
    public (IReadOnlyList<PolicyRule>? Rules, string? Error) RoleRules(string kind, string name, string bindingNamespace)
    {
        switch (kind)
        {
            case "ClusterRole":
                return _clusterRoles.TryGetValue(name, out var clusterRules) ? (clusterRules, null) : (null, $"clusterrole.rbac.authorization.k8s.io \"{name}\" not found");
            case "Role" when bindingNamespace.Length > 0:
                return _roles.TryGetValue((bindingNamespace, name), out var rules) ? (rules, null) : (null, $"role.rbac.authorization.k8s.io \"{name}\" not found");
            default:
                return (null, $"unsupported role reference kind: \"{kind}\"");
        }
    }

    private bool Visit(IEnumerable<RbacBinding> bindings, string ns, Func<RbacBinding, PolicyRule?, string?, bool> visitor)
    {
        foreach (var binding in bindings)
        {
            var (rules, error) = RoleRules(binding.RoleKind, binding.RoleName, ns);
            if (rules is null)
            {
                if (!visitor(binding, null, error))
                {
                    return false;
                }
                continue;
            }
            foreach (var rule in rules)
            {
                if (!visitor(binding, rule, null))
                {
                    return false;
                }
            }
        }
        return true;
    }

    /// <summary>The bindings naming any of the keys, each once, in name order.</summary>
    private static IEnumerable<RbacBinding> Bindings<TKey>(Dictionary<TKey, List<RbacBinding>> index, IEnumerable<TKey> keys) where TKey : notnull =>
        keys.SelectMany(k => index.TryGetValue(k, out var list) ? list : []).Distinct().OrderBy(b => b.Name, StringComparer.Ordinal);

    /// <summary>The index keys a user answers to: its name, its groups, and its service account.</summary>
    public static IEnumerable<string> SubjectKeys(UserInfo user)
    {
        yield return RbacBinding.UserKey(user.Name);
        foreach (var group in user.Groups)
        {
            yield return RbacBinding.GroupKey(group);
        }
        if (user.Name.StartsWith(ServiceAccountPrefix, StringComparison.Ordinal) && user.Name[ServiceAccountPrefix.Length..].Split(':') is [{ Length: > 0 } ns, { Length: > 0 } name])
        {
            yield return RbacBinding.ServiceAccountKey(ns, name);
        }
    }

    private static void Add<TKey>(Dictionary<TKey, List<RbacBinding>> index, TKey key, RbacBinding binding) where TKey : notnull
    {
        if (!index.TryGetValue(key, out var list))
        {
            index[key] = list = [];
        }
        list.Add(binding);
    }

    private static IReadOnlyList<PolicyRule> Rules(JsonObject role) => ParsedRules.GetValue(role, PolicyRule.FromRole);

    private static string Name(JsonObject obj) => (string?)obj["metadata"]?["name"] ?? "";

    private static string Namespace(JsonObject obj) => (string?)obj["metadata"]?["namespace"] ?? "";
}
