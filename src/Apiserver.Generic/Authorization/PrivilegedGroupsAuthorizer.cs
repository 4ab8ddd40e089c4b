namespace Apiserver.Generic.Authorization;

/// <summary>
/// Allows every request of a user in one of the groups, else has no opinion: kube-apiserver puts
/// it in front of every authorization chain for <c>system:masters</c>, so that the cluster's
/// administrators cannot lock themselves out (not even with <c>AlwaysDeny</c>).
/// </summary>
public sealed class PrivilegedGroupsAuthorizer(params IReadOnlyList<string> groups) : IAuthorizer
{
    /// <inheritdoc/>
    public ValueTask<(Decision Decision, string Reason)> AuthorizeAsync(AuthorizationAttributes attributes, CancellationToken cancellationToken) =>
        ValueTask.FromResult(attributes.User.Groups.Any(groups.Contains) ? (Decision.Allow, "") : (Decision.NoOpinion, ""));
}
