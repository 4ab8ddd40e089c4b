namespace Apiserver.Generic.Authorization;

/// <summary>Asks each authorizer in order; the first Allow or Deny decides.</summary>
public sealed class UnionAuthorizer(IReadOnlyList<IAuthorizer> authorizers) : IAuthorizer
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
}
