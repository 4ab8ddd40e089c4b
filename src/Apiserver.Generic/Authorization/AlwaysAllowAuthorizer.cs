using Apiserver.Generic.Authentication;

namespace Apiserver.Generic.Authorization;

/// <summary>Allows every request (<c>--authorization-mode=AlwaysAllow</c>).</summary>
public sealed class AlwaysAllowAuthorizer : IAuthorizer, IRuleResolver
{
    private static readonly RuleSet Everything = new([new ResourceRuleInfo(["*"], ["*"], ["*"], [])], [new NonResourceRuleInfo(["*"], ["*"])], false);

    /// <inheritdoc/>
    public ValueTask<(Decision Decision, string Reason)> AuthorizeAsync(AuthorizationAttributes attributes, CancellationToken cancellationToken) =>
        ValueTask.FromResult((Decision.Allow, ""));

    /// <inheritdoc/>
    public ValueTask<RuleSet> RulesForAsync(UserInfo user, string ns, CancellationToken cancellationToken) => ValueTask.FromResult(Everything);
}
