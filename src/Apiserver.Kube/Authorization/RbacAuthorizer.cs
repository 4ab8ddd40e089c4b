using Apiserver.Generic.Authentication;
using Apiserver.Generic.Authorization;
using Apiserver.Generic.Server;

namespace Apiserver.Kube.Authorization;

/// <summary>
/// <c>--authorization-mode=RBAC</c>: allows a request when a ClusterRoleBinding, or a RoleBinding
/// in the request's namespace, binds the user (by name, group, or service account) to a Role or
/// ClusterRole with a rule that covers it (<see cref="RbacRules"/>); otherwise no opinion.
/// Decisions are served from the in-memory <see cref="RbacPolicyCache"/>.
/// </summary>
public sealed class RbacAuthorizer : IAuthorizer, IRuleResolver, IAsyncDisposable
{
    private readonly bool _ownsCache;

    /// <summary>Creates the authorizer over its own cache of the RBAC objects in <paramref name="storage"/>.</summary>
    public RbacAuthorizer(StorageConfig storage) : this(new RbacPolicyCache(storage.Storage, storage.Prefix)) => _ownsCache = true;

    /// <summary>Creates the authorizer over a cache it shares (with the escalation check, say).</summary>
    public RbacAuthorizer(RbacPolicyCache cache) => Cache = cache;

    /// <summary>Where the roles and bindings are read from.</summary>
    public RbacPolicyCache Cache { get; }

    /// <inheritdoc/>
    public async ValueTask<(Decision Decision, string Reason)> AuthorizeAsync(AuthorizationAttributes attributes, CancellationToken cancellationToken)
    {
        var policy = await Cache.GetPolicyAsync(cancellationToken);
        var errors = new List<string>();
        string? allowed = null;
        HashSet<string>? keys = null;
        policy.VisitRulesFor(attributes.User, attributes.Namespace, (binding, rule, error) =>
        {
            if (error is not null)
            {
                errors.Add(error);
                return true;
            }
            if (!RbacRules.Allows(attributes, rule!))
            {
                return true;
            }
            keys ??= [.. RbacPolicy.SubjectKeys(attributes.User)];
            allowed = binding.AllowReason(keys);
            return false;
        });
        if (allowed is not null)
        {
            return (Decision.Allow, allowed);
        }
        // As kube: no reason for a plain miss, the resolution errors when a binding was broken.
        var reason = errors.Count switch
        {
            0 => "",
            1 => "RBAC: " + errors[0],
            _ => $"RBAC: [{string.Join(", ", errors)}]",
        };
        return (Decision.NoOpinion, reason);
    }

    /// <summary>kube's <c>DefaultRuleResolver.RulesFor</c>: every rule the user holds in <paramref name="ns"/>, and the resolution errors.</summary>
    public async ValueTask<(IReadOnlyList<PolicyRule> Rules, IReadOnlyList<string> Errors)> PolicyRulesForAsync(UserInfo user, string ns, CancellationToken cancellationToken)
    {
        var policy = await Cache.GetPolicyAsync(cancellationToken);
        var rules = new List<PolicyRule>();
        var errors = new List<string>();
        policy.VisitRulesFor(user, ns, (_, rule, error) =>
        {
            if (rule is not null)
            {
                rules.Add(rule);
            }
            else
            {
                errors.Add(error!);
            }
            return true;
        });
        return (rules, errors);
    }

    /// <inheritdoc/>
    public async ValueTask<RuleSet> RulesForAsync(UserInfo user, string ns, CancellationToken cancellationToken)
    {
        var (rules, errors) = await PolicyRulesForAsync(user, ns, cancellationToken);
        return new RuleSet(
            [.. rules.Where(r => r.Resources.Count > 0).Select(r => new ResourceRuleInfo(r.Verbs, r.ApiGroups, r.Resources, r.ResourceNames))],
            [.. rules.Where(r => r.NonResourceUrls.Count > 0).Select(r => new NonResourceRuleInfo(r.Verbs, r.NonResourceUrls))],
            false,
            errors.Count switch { 0 => "", 1 => errors[0], _ => $"[{string.Join(", ", errors)}]" });
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_ownsCache)
        {
            await Cache.DisposeAsync();
        }
    }
}
