using Microsoft.AspNetCore.Http;

namespace Apiserver.Generic.Authentication;

/// <summary>Recognises one kind of credential.</summary>
public interface IAuthenticator
{
    /// <summary>
    /// <see cref="AuthenticationResult.NotRecognized"/> when the request carries no credential of
    /// this kind (the next authenticator is asked); otherwise the user, or a failure that ends the
    /// request with 401.
    /// </summary>
    ValueTask<AuthenticationResult> AuthenticateAsync(HttpContext context, CancellationToken cancellationToken);
}

/// <summary>What an authenticator concluded.</summary>
/// <param name="User">The user, on success.</param>
/// <param name="Recognized">Whether the authenticator recognised a credential of its kind.</param>
public readonly record struct AuthenticationResult(UserInfo? User, bool Recognized)
{
    /// <summary>No credential of this kind.</summary>
    public static AuthenticationResult NotRecognized => new(null, false);

    /// <summary>The credential is of this kind but invalid.</summary>
    public static AuthenticationResult Rejected => new(null, true);

    /// <summary>The credential identifies <paramref name="user"/>.</summary>
    public static AuthenticationResult Success(UserInfo user) => new(user, true);
}
