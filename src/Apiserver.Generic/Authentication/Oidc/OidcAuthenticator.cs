using System.Text.Json.Nodes;
using Apiserver.Generic.Authentication.Jwt;

namespace Apiserver.Generic.Authentication.Oidc;

/// <summary>
/// OpenID Connect ID tokens (<c>--oidc-issuer-url</c>): a JWT whose <c>iss</c> is the issuer is
/// verified with the issuer's published keys, must name the client id among its audiences, and
/// names the user by a claim (prefixed), its groups by another, and must carry the required claims.
/// Tokens of other issuers are left to the other authenticators.
/// </summary>
public sealed class OidcAuthenticator(OidcConfig config, IJsonWebKeySource keys, TimeProvider? time = null) : ITokenAuthenticator
{
    // go-oidc's tolerance on nbf; exp is checked without one.
    private readonly JwtVerifier _verifier = new(keys, config.SigningAlgorithms, TimeSpan.Zero);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <inheritdoc/>
    public async ValueTask<TokenAuthenticationResult> AuthenticateTokenAsync(string token, IReadOnlyList<string> audiences, CancellationToken cancellationToken)
    {
        if (!JsonWebToken.TryParse(token, out var jwt) || jwt!.Issuer != config.IssuerUrl)
        {
            return TokenAuthenticationResult.NotRecognized;
        }
        var failure = await _verifier.VerifyAsync(jwt, _time.GetUtcNow(), cancellationToken);
        if (failure != JwtFailure.None)
        {
            return TokenAuthenticationResult.Rejected("oidc: verify token: " + failure switch
            {
                JwtFailure.UnsupportedAlgorithm => $"oidc: id token signed with unsupported algorithm, expected [{string.Join(" ", config.SigningAlgorithms)}] got \"{jwt.Algorithm}\"",
                JwtFailure.Expired => $"oidc: token is expired (Token Expiry: {jwt.TimeClaim("exp"):O})",
                JwtFailure.NotYetValid => "oidc: current time is before the nbf (not before) time",
                JwtFailure.MissingExpiry => "oidc: token has no expiry",
                _ => "failed to verify signature: failed to verify id token signature",
            });
        }
        if (!jwt.Audiences.Contains(config.ClientId))
        {
            return TokenAuthenticationResult.Rejected($"oidc: verify token: oidc: expected audience \"{config.ClientId}\" got [{string.Join(" ", jwt.Audiences)}]");
        }
        if (UserOf(jwt) is { } error)
        {
            return TokenAuthenticationResult.Rejected(error);
        }
        var groups = GroupsOf(jwt.Payload[config.GroupsClaim ?? ""]);
        if (config.GroupsClaim is not null && groups is null)
        {
            return TokenAuthenticationResult.Rejected($"oidc: parse groups claim \"{config.GroupsClaim}\": not a string or an array of strings");
        }
        foreach (var (claim, want) in config.RequiredClaims)
        {
            if (jwt.StringClaim(claim) is not { } got)
            {
                return TokenAuthenticationResult.Rejected($"oidc: required claim {claim} not present in ID token");
            }
            if (got != want)
            {
                return TokenAuthenticationResult.Rejected($"oidc: required claim {claim} value does not match. Got = {got}, want = {want}");
            }
        }
        var name = config.EffectiveUsernamePrefix + jwt.StringClaim(config.UsernameClaim);
        List<string> userGroups = [.. (config.GroupsClaim is null ? [] : groups!).Select(g => config.GroupsPrefix + g), UserInfo.AuthenticatedGroup];
        return TokenAuthenticationResult.Success(new UserInfo(name, "", userGroups), audiences);
    }

    /// <summary>Why the token names no user, or null when it does.</summary>
    private string? UserOf(JsonWebToken jwt)
    {
        if (jwt.StringClaim(config.UsernameClaim) is not { Length: > 0 })
        {
            return $"oidc: parse username claims \"{config.UsernameClaim}\": claim not present";
        }
        // As kube: an email names the user only when the issuer vouches for it.
        if (config.UsernameClaim == "email" && jwt.Payload["email_verified"] is { } verified
            && !(verified is JsonValue v && v.TryGetValue<bool>(out var ok) && ok))
        {
            return "oidc: email not verified";
        }
        return null;
    }

    private static List<string>? GroupsOf(JsonNode? claim) => claim switch
    {
        null => [],
        JsonValue v when v.TryGetValue<string>(out var one) => [one],
        JsonArray a when a.All(e => e is JsonValue s && s.TryGetValue<string>(out _)) => [.. a.Select(e => (string)e!)],
        _ => null,
    };
}
