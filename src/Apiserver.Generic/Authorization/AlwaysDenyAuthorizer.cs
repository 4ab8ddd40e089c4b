namespace Apiserver.Generic.Authorization;

/// <summary>Denies every request (<c>--authorization-mode=AlwaysDeny</c>), for tests.</summary>
public sealed class AlwaysDenyAuthorizer : IAuthorizer
{
    /// <inheritdoc/>
    public ValueTask<(Decision Decision, string Reason)> AuthorizeAsync(AuthorizationAttributes attributes, CancellationToken cancellationToken) =>
        ValueTask.FromResult((Decision.Deny, "Everything is forbidden."));
}
