namespace Apiserver.Generic.Authentication;

/// <summary>
/// Recognises one kind of bearer token (<c>authenticator.Token</c>): the bearer-token filter and
/// TokenReview both ask it, so a token means the same thing in a request and in a review.
/// </summary>
public interface ITokenAuthenticator
{
    /// <summary>
    /// Authenticates <paramref name="token"/> for a server that identifies as any of
    /// <paramref name="audiences"/>: not recognised when the token is not of this kind (the next
    /// authenticator is asked), otherwise the user and the audiences it is valid for, or an error.
    /// </summary>
    ValueTask<TokenAuthenticationResult> AuthenticateTokenAsync(string token, IReadOnlyList<string> audiences, CancellationToken cancellationToken);
}

/// <summary>What a token authenticator concluded.</summary>
/// <param name="User">The user, on success.</param>
/// <param name="Recognized">Whether the token is of the authenticator's kind.</param>
/// <param name="Error">Why a recognised token is invalid; safe to show to the token's bearer (TokenReview's <c>status.error</c>).</param>
/// <param name="Audiences">On success, the requested audiences the token is valid for.</param>
public readonly record struct TokenAuthenticationResult(UserInfo? User, bool Recognized, string? Error, IReadOnlyList<string> Audiences)
{
    /// <summary>Not a token of this kind.</summary>
    public static TokenAuthenticationResult NotRecognized => new(null, false, null, []);

    /// <summary>A token of this kind that is invalid, for <paramref name="error"/>.</summary>
    public static TokenAuthenticationResult Rejected(string error) => new(null, true, error, []);

    /// <summary>The token identifies <paramref name="user"/> for <paramref name="audiences"/>.</summary>
    public static TokenAuthenticationResult Success(UserInfo user, IReadOnlyList<string> audiences) => new(user, true, null, audiences);
}
