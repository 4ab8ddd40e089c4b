namespace Apiserver.Generic.Authentication;

/// <summary>
/// Makes a token authenticator that knows nothing of audiences (static tokens, say) answer only for
/// the API's own audiences, as kube's <c>WrapAudienceAgnosticToken</c> does: a token accepted by the
/// server is valid for the server, not for whatever audience a TokenReview names.
/// </summary>
public sealed class AudienceAgnosticTokenAuthenticator(IReadOnlyList<string> apiAudiences, ITokenAuthenticator inner) : ITokenAuthenticator
{
    /// <inheritdoc/>
    public async ValueTask<TokenAuthenticationResult> AuthenticateTokenAsync(string token, IReadOnlyList<string> audiences, CancellationToken cancellationToken)
    {
        var valid = apiAudiences.Count == 0 ? audiences : [.. audiences.Intersect(apiAudiences, StringComparer.Ordinal)];
        if (apiAudiences.Count > 0 && valid.Count == 0)
        {
            return TokenAuthenticationResult.NotRecognized;
        }
        var result = await inner.AuthenticateTokenAsync(token, audiences, cancellationToken);
        return result.User is null ? result : result with { Audiences = valid };
    }
}
