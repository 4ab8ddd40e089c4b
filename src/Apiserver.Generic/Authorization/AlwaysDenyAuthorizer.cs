using Apiserver.Generic.Authentication;

namespace Apiserver.Generic.Authorization;

/// <summary>Denies every request (<c>--authorization-mode=AlwaysDeny</c>), for tests.</summary>
public sealed class AlwaysDenyAuthorizer : IAuthorizer, IRuleResolver
{
    /// <inheritdoc/>
    public ValueTask<(Decision Decision, string Reason)> AuthorizeAsync(AuthorizationAttributes attributes, CancellationToken cancellationToken) =>
        ValueTask.FromResult((Decision.Deny, "Everything is forbidden."));

    /// <inheritdoc/>
    public ValueTask<RuleSet> RulesForAsync(UserInfo user, string ns, CancellationToken cancellationToken) => ValueTask.FromResult(RuleSet.None);
}
