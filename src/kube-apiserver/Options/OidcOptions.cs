using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using Apiserver.Generic.Authentication.Oidc;

namespace KubeApiserver.Options;

/// <summary>OpenID Connect ID tokens as bearer tokens (kube-apiserver's <c>--oidc-*</c> flags).</summary>
public sealed record OidcOptions
{
    private static readonly Option<string?> IssuerUrlOption = new("--oidc-issuer-url")
    {
        Description = "The URL of the OpenID issuer, only HTTPS scheme will be accepted. If set, it will be used to verify the OIDC JSON Web Token (JWT).",
    };
    private static readonly Option<string?> ClientIdOption = new("--oidc-client-id")
    {
        Description = "The client ID for the OpenID Connect client, must be set if oidc-issuer-url is set.",
    };
    private static readonly Option<string> UsernameClaimOption = new("--oidc-username-claim")
    {
        Description = "The OpenID claim to use as the user name. Note that claims other than the default ('sub') is not guaranteed to be unique and immutable.",
        DefaultValueFactory = _ => "sub",
    };
    private static readonly Option<string?> UsernamePrefixOption = new("--oidc-username-prefix")
    {
        Description = "If provided, all usernames will be prefixed with this value. If not provided, username claims other than 'email' are prefixed by the issuer URL to avoid clashes. To skip any prefixing, provide the value '-'.",
    };
    private static readonly Option<string?> GroupsClaimOption = new("--oidc-groups-claim")
    {
        Description = "If provided, the name of a custom OpenID Connect claim for specifying user groups. The claim value is expected to be a string or array of strings.",
    };
    private static readonly Option<string?> GroupsPrefixOption = new("--oidc-groups-prefix")
    {
        Description = "If provided, all groups will be prefixed with this value to prevent conflicts with other authentication strategies.",
    };
    private static readonly Option<string[]> RequiredClaimOption = new("--oidc-required-claim")
    {
        Description = "A key=value pair that describes a required claim in the ID Token. If set, the claim is verified to be present in the ID Token with a matching value. Repeat this flag to specify multiple claims.",
        DefaultValueFactory = _ => [],
    };
    private static readonly Option<string?> CaFileOption = new("--oidc-ca-file")
    {
        Description = "If set, the OpenID server's certificate will be verified by one of the authorities in the oidc-ca-file, otherwise the host's root CA set will be used.",
    };
    private static readonly Option<string> SigningAlgsOption = new("--oidc-signing-algs")
    {
        Description = "Comma-separated list of allowed JOSE asymmetric signing algorithms. Supported: RS256, RS384, RS512, ES256, ES384, ES512, PS256, PS384, PS512.",
        DefaultValueFactory = _ => "RS256",
    };

    /// <summary>The issuer URL; OIDC is off when null.</summary>
    public string? IssuerUrl { get; init; }
    /// <summary>The client id.</summary>
    public string? ClientId { get; init; }
    /// <summary>The user-name claim.</summary>
    public string UsernameClaim { get; init; } = "sub";
    /// <summary>The user-name prefix (kube's rule when null; <c>-</c> for none).</summary>
    public string? UsernamePrefix { get; init; }
    /// <summary>The groups claim.</summary>
    public string? GroupsClaim { get; init; }
    /// <summary>The group prefix.</summary>
    public string? GroupsPrefix { get; init; }
    /// <summary>Required claims, <c>key=value</c>.</summary>
    public IReadOnlyList<string> RequiredClaims { get; init; } = [];
    /// <summary>The CA bundle the issuer's certificate must chain to.</summary>
    public string? CaFile { get; init; }
    /// <summary>The accepted signing algorithms.</summary>
    public IReadOnlyList<string> SigningAlgorithms { get; init; } = ["RS256"];

    internal static IEnumerable<Option> All => [IssuerUrlOption, ClientIdOption, UsernameClaimOption, UsernamePrefixOption, GroupsClaimOption, GroupsPrefixOption, RequiredClaimOption, CaFileOption, SigningAlgsOption];

    internal static OidcOptions Read(ParseResult result) => new()
    {
        IssuerUrl = result.GetValue(IssuerUrlOption),
        ClientId = result.GetValue(ClientIdOption),
        UsernameClaim = result.GetValue(UsernameClaimOption) ?? "sub",
        UsernamePrefix = result.GetValue(UsernamePrefixOption),
        GroupsClaim = result.GetValue(GroupsClaimOption),
        GroupsPrefix = result.GetValue(GroupsPrefixOption),
        // As kube's map flag: repeated, and comma-separated pairs within one.
        RequiredClaims = [.. (result.GetValue(RequiredClaimOption) ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
        CaFile = result.GetValue(CaFileOption),
        SigningAlgorithms = result.GetValue(SigningAlgsOption)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? ["RS256"],
    };

    /// <summary>The authenticator's configuration, or null when OIDC is off. Call after <see cref="Validate"/>.</summary>
    public OidcConfig? ToConfig()
    {
        if (IssuerUrl is null)
        {
            return null;
        }
        X509Certificate2Collection? authorities = null;
        if (CaFile is not null)
        {
            authorities = [];
            authorities.ImportFromPemFile(CaFile);
        }
        return new OidcConfig
        {
            IssuerUrl = IssuerUrl,
            ClientId = ClientId ?? "",
            UsernameClaim = UsernameClaim,
            UsernamePrefix = UsernamePrefix,
            GroupsClaim = GroupsClaim,
            GroupsPrefix = GroupsPrefix ?? "",
            RequiredClaims = RequiredClaims.Select(c => c.Split('=', 2)).ToDictionary(p => p[0], p => p[1]),
            CaCertificates = authorities,
            SigningAlgorithms = SigningAlgorithms,
        };
    }

    internal IEnumerable<string> Validate()
    {
        if (IssuerUrl is null)
        {
            if (ClientId is not null)
            {
                yield return "--oidc-issuer-url must be set when --oidc-client-id is";
            }
            yield break;
        }
        foreach (var claim in RequiredClaims.Where(c => c.IndexOf('=') <= 0))
        {
            yield return $"--oidc-required-claim \"{claim}\" must be key=value";
        }
        if (CaFile is not null && !File.Exists(CaFile))
        {
            yield return $"--oidc-ca-file \"{CaFile}\" does not exist";
        }
        var config = new OidcConfig { IssuerUrl = IssuerUrl, ClientId = ClientId ?? "", SigningAlgorithms = SigningAlgorithms };
        foreach (var problem in config.Validate())
        {
            yield return problem;
        }
    }
}
