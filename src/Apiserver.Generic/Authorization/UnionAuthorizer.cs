using Apiserver.Generic.Authentication;

namespace Apiserver.Generic.Authorization;

/// <summary>
/// Asks each authorizer in order; the first Allow or Deny decides. Lists a user's rules as the
/// union of those of every authorizer that can list them.
/// </summary>
public sealed class UnionAuthorizer(IReadOnlyList<IAuthorizer> authorizers) : IAuthorizer, IRuleResolver
{
    /// <inheritdoc/>
    public async ValueTask<(Decision Decision, string Reason)> AuthorizeAsync(AuthorizationAttributes attributes, CancellationToken cancellationToken)
    {
        var reasons = new List<string>();
        foreach (var authorizer in authorizers)
        {
            var (decision, reason) = await authorizer.AuthorizeAsync(attributes, cancellationToken);
            if (decision != Decision.NoOpinion)
            {
                return (decision, reason);
            }
            if (reason.Length > 0)
            {
                reasons.Add(reason);
            }
        }
        return (Decision.NoOpinion, string.Join("; ", reasons));
    }

    /// <inheritdoc/>
    public async ValueTask<RuleSet> RulesForAsync(UserInfo user, string ns, CancellationToken cancellationToken)
    {
        var sets = new List<RuleSet>();
        foreach (var resolver in authorizers.OfType<IRuleResolver>())
        {
            sets.Add(await resolver.RulesForAsync(user, ns, cancellationToken));
        }
        return RuleSet.Combine(sets);
    }
}
