namespace Apiserver.Generic.Authorization;

/// <summary>Allows every request (<c>--authorization-mode=AlwaysAllow</c>).</summary>
public sealed class AlwaysAllowAuthorizer : IAuthorizer
{
    /// <inheritdoc/>
    public ValueTask<(Decision Decision, string Reason)> AuthorizeAsync(AuthorizationAttributes attributes, CancellationToken cancellationToken) =>
        ValueTask.FromResult((Decision.Allow, ""));
}
