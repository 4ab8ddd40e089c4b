using System.CommandLine;
using System.CommandLine.Parsing;

namespace KubeApiserver.Options;

/// <summary>
/// Service-account tokens: the keys that sign and verify them, the issuers, the API's audiences,
/// the longest lifetime granted, and the discovery document's key-set URI (kube-apiserver's flags).
/// </summary>
public sealed record ServiceAccountOptions
{
    private static readonly Option<string?> SigningKeyFileOption = new("--service-account-signing-key-file")
    {
        Description = "Path to the file that contains the current private key of the service account token issuer (PEM, RSA or ECDSA). Without it, a key generated in the certificate directory on first start (sa.key) is used.",
    };
    private static readonly Option<string[]> KeyFileOption = new("--service-account-key-file")
    {
        Description = "File containing PEM-encoded x509 RSA or ECDSA private or public keys, used to verify ServiceAccount tokens. May be given multiple times. The signing key is always accepted too.",
        DefaultValueFactory = _ => [],
    };
    private static readonly Option<string[]> IssuerOption = new("--service-account-issuer")
    {
        Description = "Identifier of the service account token issuer (the iss claim). May be given multiple times: the first signs new tokens, all are accepted. Defaults to " + Apiserver.Kube.ServiceAccounts.ServiceAccountTokenConfig.DefaultIssuer + ".",
        DefaultValueFactory = _ => [],
    };
    private static readonly Option<string?> ApiAudiencesOption = new("--api-audiences")
    {
        Description = "Identifiers of the API (comma-separated). Service account tokens must be meant for one of them; TokenRequests without audiences get them. Defaults to the issuers.",
    };
    private static readonly Option<TimeSpan> MaxExpirationOption = new("--service-account-max-token-expiration")
    {
        Description = "The maximum validity duration of a token created by the service account token issuer (e.g. 24h). A longer TokenRequest is shortened, with a warning. 0 means no maximum.",
        DefaultValueFactory = _ => TimeSpan.Zero,
        CustomParser = ParseDuration,
    };
    private static readonly Option<bool> ExtendExpirationOption = new("--service-account-extend-token-expiration")
    {
        Description = "Turns on projected service account expiration extension during token generation: pod-bound tokens requested for 3607 seconds live a year and carry a warnafter claim.",
        DefaultValueFactory = _ => true,
    };
    private static readonly Option<string?> JwksUriOption = new("--service-account-jwks-uri")
    {
        Description = "Overrides the URI for the JSON Web Key Set in the discovery doc served at /.well-known/openid-configuration (https). Defaults to /openid/v1/jwks on the address the request reached.",
    };

    /// <summary>The signing key file; a generated key when null.</summary>
    public string? SigningKeyFile { get; init; }
    /// <summary>Files of verification keys.</summary>
    public IReadOnlyList<string> KeyFiles { get; init; } = [];
    /// <summary>The issuers; the default issuer when empty.</summary>
    public IReadOnlyList<string> Issuers { get; init; } = [];
    /// <summary>The API audiences; the issuers when empty.</summary>
    public IReadOnlyList<string> ApiAudiences { get; init; } = [];
    /// <summary>The longest token lifetime granted; none when zero.</summary>
    public TimeSpan MaxTokenExpiration { get; init; }
    /// <summary>Whether kube's injected 3607-second pod tokens are extended to a year.</summary>
    public bool ExtendTokenExpiration { get; init; } = true;
    /// <summary>The key-set URI the discovery document names.</summary>
    public string? JwksUri { get; init; }

    internal static IEnumerable<Option> All => [SigningKeyFileOption, KeyFileOption, IssuerOption, ApiAudiencesOption, MaxExpirationOption, ExtendExpirationOption, JwksUriOption];

    internal static ServiceAccountOptions Read(ParseResult result) => new()
    {
        SigningKeyFile = result.GetValue(SigningKeyFileOption),
        KeyFiles = result.GetValue(KeyFileOption) ?? [],
        Issuers = result.GetValue(IssuerOption) ?? [],
        ApiAudiences = result.GetValue(ApiAudiencesOption)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [],
        MaxTokenExpiration = result.GetValue(MaxExpirationOption),
        ExtendTokenExpiration = result.GetValue(ExtendExpirationOption),
        JwksUri = result.GetValue(JwksUriOption),
    };

    internal IEnumerable<string> Validate()
    {
        foreach (var (file, flag) in KeyFiles.Select(f => ((string?)f, "--service-account-key-file")).Append((SigningKeyFile, "--service-account-signing-key-file")))
        {
            if (file is not null && !File.Exists(file))
            {
                yield return $"{flag} \"{file}\" does not exist";
            }
        }
        var seen = new HashSet<string>();
        foreach (var issuer in Issuers)
        {
            if (issuer.Length == 0)
            {
                yield return "--service-account-issuer must not be empty";
            }
            else if (issuer.Contains(':') && !Uri.TryCreate(issuer, UriKind.Absolute, out _))
            {
                yield return $"--service-account-issuer \"{issuer}\" contained a ':' but was not a valid URL";
            }
            if (!seen.Add(issuer))
            {
                yield return $"--service-account-issuer \"{issuer}\" is already specified";
            }
        }
        if (MaxTokenExpiration != TimeSpan.Zero && (MaxTokenExpiration < TimeSpan.FromHours(1) || MaxTokenExpiration > TimeSpan.FromSeconds(1L << 32)))
        {
            yield return "the --service-account-max-token-expiration must be between 1 hour and 2^32 seconds";
        }
        if (JwksUri is not null && !(Uri.TryCreate(JwksUri, UriKind.Absolute, out var jwks) && jwks.Scheme == Uri.UriSchemeHttps))
        {
            yield return $"--service-account-jwks-uri \"{JwksUri}\" requires an https URL";
        }
    }

    private static TimeSpan ParseDuration(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (StorageOptions.TryParseDuration(text, out var duration))
        {
            return duration;
        }
        result.AddError($"invalid duration \"{text}\" for --service-account-max-token-expiration (expected e.g. 24h, 90m)");
        return default;
    }
}
