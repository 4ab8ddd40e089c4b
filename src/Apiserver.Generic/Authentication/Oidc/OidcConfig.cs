using System.Security.Cryptography.X509Certificates;

namespace Apiserver.Generic.Authentication.Oidc;

/// <summary>An OpenID Connect issuer whose ID tokens authenticate users (kube's <c>--oidc-*</c> flags).</summary>
public sealed record OidcConfig
{
    /// <summary>The issuer URL (<c>--oidc-issuer-url</c>, https); tokens' <c>iss</c> must equal it.</summary>
    public required string IssuerUrl { get; init; }

    /// <summary>The client id (<c>--oidc-client-id</c>); tokens' <c>aud</c> must contain it.</summary>
    public required string ClientId { get; init; }

    /// <summary>The claim naming the user (<c>--oidc-username-claim</c>, <c>sub</c> by default).</summary>
    public string UsernameClaim { get; init; } = "sub";

    /// <summary>
    /// What user names are prefixed with (<c>--oidc-username-prefix</c>); null applies kube's rule:
    /// <c>&lt;issuer&gt;#</c> unless the claim is <c>email</c>. <c>-</c> means no prefix.
    /// </summary>
    public string? UsernamePrefix { get; init; }

    /// <summary>The claim holding the groups (<c>--oidc-groups-claim</c>), a string or an array of strings; none when null.</summary>
    public string? GroupsClaim { get; init; }

    /// <summary>What group names are prefixed with (<c>--oidc-groups-prefix</c>).</summary>
    public string GroupsPrefix { get; init; } = "";

    /// <summary>Claims every token must carry with exactly these values (<c>--oidc-required-claim</c>).</summary>
    public IReadOnlyDictionary<string, string> RequiredClaims { get; init; } = new Dictionary<string, string>();

    /// <summary>The CAs the issuer's certificate must chain to (<c>--oidc-ca-file</c>); the system's when null.</summary>
    public X509Certificate2Collection? CaCertificates { get; init; }

    /// <summary>The accepted signing algorithms (<c>--oidc-signing-algs</c>).</summary>
    public IReadOnlyList<string> SigningAlgorithms { get; init; } = ["RS256"];

    /// <summary>The prefix actually applied to user names, after kube's defaulting rule.</summary>
    public string EffectiveUsernamePrefix => UsernamePrefix switch
    {
        "-" => "",
        null or "" when UsernameClaim != "email" => IssuerUrl + "#",
        null => "",
        var prefix => prefix,
    };

    /// <summary>Every problem with the configuration (flag names as kube-apiserver spells them).</summary>
    public IEnumerable<string> Validate()
    {
        if (!Uri.TryCreate(IssuerUrl, UriKind.Absolute, out var issuer) || issuer.Scheme != Uri.UriSchemeHttps)
        {
            yield return $"--oidc-issuer-url \"{IssuerUrl}\" must be a valid https URL";
        }
        if (ClientId.Length == 0)
        {
            yield return "--oidc-client-id must be set when --oidc-issuer-url is";
        }
        foreach (var alg in SigningAlgorithms.Where(a => !Jwt.JwtAlgorithms.Supported.Contains(a)))
        {
            yield return $"--oidc-signing-algs: unsupported algorithm \"{alg}\" (supported: {string.Join(", ", Jwt.JwtAlgorithms.Supported)})";
        }
    }
}
