using Apiserver.Generic.Authentication.Jwt;

namespace Apiserver.Kube.ServiceAccounts;

/// <summary>
/// How service-account tokens are issued and checked (kube's <c>--service-account-*</c> and
/// <c>--api-audiences</c> flags).
/// </summary>
public sealed record ServiceAccountTokenConfig
{
    /// <summary>The issuer kube-apiserver's own dev clusters use, the default of <see cref="Issuers"/>.</summary>
    public const string DefaultIssuer = "https://kubernetes.default.svc.cluster.local";

    /// <summary>The issuers (<c>--service-account-issuer</c>): the first signs new tokens, all are accepted.</summary>
    public IReadOnlyList<string> Issuers { get; init; } = [DefaultIssuer];

    /// <summary>The private key new tokens are signed with (<c>--service-account-signing-key-file</c>); without one TokenRequest is not served.</summary>
    public JsonWebKey? SigningKey { get; init; }

    /// <summary>The public keys tokens are verified with (<c>--service-account-key-file</c>), the signing key's included.</summary>
    public IReadOnlyList<JsonWebKey> VerificationKeys { get; init; } = [];

    /// <summary>
    /// The audiences the API identifies as (<c>--api-audiences</c>): what a token must be meant for
    /// to authenticate requests, and the default audience of requested tokens. Defaults to the issuers.
    /// </summary>
    public IReadOnlyList<string> ApiAudiences { get; init; } = [DefaultIssuer];

    /// <summary>The longest lifetime a TokenRequest is granted (<c>--service-account-max-token-expiration</c>); none when null.</summary>
    public TimeSpan? MaxExpiration { get; init; }

    /// <summary>
    /// Whether pod-bound tokens requested for kube's injected 3607 seconds live a year, with a
    /// <c>warnafter</c> claim at the requested expiry (<c>--service-account-extend-token-expiration</c>).
    /// </summary>
    public bool ExtendExpiration { get; init; } = true;

    /// <summary>The <c>jwks_uri</c> the discovery document names (<c>--service-account-jwks-uri</c>); the server's own <c>/openid/v1/jwks</c> when null.</summary>
    public string? JwksUri { get; init; }

    /// <summary>The issuer new tokens name.</summary>
    public string SigningIssuer => Issuers[0];
}
