using System.CommandLine;
using System.CommandLine.Parsing;

namespace KubeApiserver.Options;

/// <summary>
/// The flags of delegated authentication and authorization: an authenticating proxy's headers
/// (<c>--requestheader-*</c>), a token-review webhook and a subject-access-review webhook.
/// </summary>
public sealed partial record SecurityOptions
{
    private static readonly Option<string?> RequestheaderClientCaFileOption = new("--requestheader-client-ca-file")
    {
        Description = "Root certificate bundle to use to verify client certificates on incoming requests before trusting usernames in headers specified by --requestheader-username-headers.",
    };
    private static readonly Option<string?> RequestheaderAllowedNamesOption = new("--requestheader-allowed-names")
    {
        Description = "List of client certificate common names to allow to provide usernames in headers specified by --requestheader-username-headers. If empty, any client certificate validated by the authorities in --requestheader-client-ca-file is allowed.",
    };
    private static readonly Option<string?> RequestheaderUsernameHeadersOption = new("--requestheader-username-headers")
    {
        Description = "List of request headers to inspect for usernames. X-Remote-User is common.",
    };
    private static readonly Option<string?> RequestheaderUidHeadersOption = new("--requestheader-uid-headers")
    {
        Description = "List of request headers to inspect for UIDs. X-Remote-Uid is suggested.",
    };
    private static readonly Option<string?> RequestheaderGroupHeadersOption = new("--requestheader-group-headers")
    {
        Description = "List of request headers to inspect for groups. X-Remote-Group is suggested.",
    };
    private static readonly Option<string?> RequestheaderExtraHeadersPrefixOption = new("--requestheader-extra-headers-prefix")
    {
        Description = "List of request header prefixes to inspect. X-Remote-Extra- is suggested.",
    };
    private static readonly Option<string?> TokenWebhookConfigFileOption = new("--authentication-token-webhook-config-file")
    {
        Description = "File with webhook configuration for token authentication in kubeconfig format. The API server will query the remote service to determine authentication for bearer tokens.",
    };
    private static readonly Option<TimeSpan> TokenWebhookCacheTtlOption = DurationOption("--authentication-token-webhook-cache-ttl", TimeSpan.FromMinutes(2),
        "The duration to cache responses from the webhook token authenticator.");
    private static readonly Option<string> TokenWebhookVersionOption = new("--authentication-token-webhook-version")
    {
        Description = "The API version of the authentication.k8s.io TokenReview to send to and expect from the webhook (only v1).",
        DefaultValueFactory = _ => "v1",
    };
    private static readonly Option<string?> AuthorizationWebhookConfigFileOption = new("--authorization-webhook-config-file")
    {
        Description = "File with webhook configuration in kubeconfig format, used with --authorization-mode=Webhook. The API server will query the remote service to determine access on the API server's secure port.",
    };
    private static readonly Option<string> AuthorizationWebhookVersionOption = new("--authorization-webhook-version")
    {
        Description = "The API version of the authorization.k8s.io SubjectAccessReview to send to and expect from the webhook (only v1).",
        DefaultValueFactory = _ => "v1",
    };
    private static readonly Option<TimeSpan> AuthorizedTtlOption = DurationOption("--authorization-webhook-cache-authorized-ttl", TimeSpan.FromMinutes(5),
        "The duration to cache 'authorized' responses from the webhook authorizer.");
    private static readonly Option<TimeSpan> UnauthorizedTtlOption = DurationOption("--authorization-webhook-cache-unauthorized-ttl", TimeSpan.FromSeconds(30),
        "The duration to cache 'unauthorized' responses from the webhook authorizer.");

    /// <summary>The CA bundle an authenticating proxy's client certificate must chain to (<c>--requestheader-client-ca-file</c>).</summary>
    public string? RequestheaderClientCaFile { get; init; }
    /// <summary>The proxy certificate common names allowed; empty allows any.</summary>
    public IReadOnlyList<string> RequestheaderAllowedNames { get; init; } = [];
    /// <summary>Headers naming the user.</summary>
    public IReadOnlyList<string> RequestheaderUsernameHeaders { get; init; } = [];
    /// <summary>Headers naming the uid.</summary>
    public IReadOnlyList<string> RequestheaderUidHeaders { get; init; } = [];
    /// <summary>Headers naming groups.</summary>
    public IReadOnlyList<string> RequestheaderGroupHeaders { get; init; } = [];
    /// <summary>Prefixes of headers naming extras.</summary>
    public IReadOnlyList<string> RequestheaderExtraHeadersPrefix { get; init; } = [];
    /// <summary>The token webhook's kubeconfig.</summary>
    public string? AuthenticationTokenWebhookConfigFile { get; init; }
    /// <summary>How long token webhook answers are kept.</summary>
    public TimeSpan AuthenticationTokenWebhookCacheTtl { get; init; } = TimeSpan.FromMinutes(2);
    /// <summary>The TokenReview version spoken to the webhook.</summary>
    public string AuthenticationTokenWebhookVersion { get; init; } = "v1";
    /// <summary>The authorization webhook's kubeconfig (<c>--authorization-mode=Webhook</c>).</summary>
    public string? AuthorizationWebhookConfigFile { get; init; }
    /// <summary>The SubjectAccessReview version spoken to the webhook.</summary>
    public string AuthorizationWebhookVersion { get; init; } = "v1";
    /// <summary>How long the webhook's allows are kept.</summary>
    public TimeSpan AuthorizationWebhookCacheAuthorizedTtl { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>How long the webhook's denials and no-opinions are kept.</summary>
    public TimeSpan AuthorizationWebhookCacheUnauthorizedTtl { get; init; } = TimeSpan.FromSeconds(30);

    private static IEnumerable<Option> DelegatedOptions =>
    [
        RequestheaderClientCaFileOption, RequestheaderAllowedNamesOption, RequestheaderUsernameHeadersOption, RequestheaderUidHeadersOption,
        RequestheaderGroupHeadersOption, RequestheaderExtraHeadersPrefixOption, TokenWebhookConfigFileOption, TokenWebhookCacheTtlOption,
        TokenWebhookVersionOption, AuthorizationWebhookConfigFileOption, AuthorizationWebhookVersionOption, AuthorizedTtlOption, UnauthorizedTtlOption,
    ];

    private static SecurityOptions ReadDelegated(ParseResult result, SecurityOptions options) => options with
    {
        RequestheaderClientCaFile = result.GetValue(RequestheaderClientCaFileOption),
        RequestheaderAllowedNames = List(result.GetValue(RequestheaderAllowedNamesOption)),
        RequestheaderUsernameHeaders = List(result.GetValue(RequestheaderUsernameHeadersOption)),
        RequestheaderUidHeaders = List(result.GetValue(RequestheaderUidHeadersOption)),
        RequestheaderGroupHeaders = List(result.GetValue(RequestheaderGroupHeadersOption)),
        RequestheaderExtraHeadersPrefix = List(result.GetValue(RequestheaderExtraHeadersPrefixOption)),
        AuthenticationTokenWebhookConfigFile = result.GetValue(TokenWebhookConfigFileOption),
        AuthenticationTokenWebhookCacheTtl = result.GetValue(TokenWebhookCacheTtlOption),
        AuthenticationTokenWebhookVersion = result.GetValue(TokenWebhookVersionOption) ?? "v1",
        AuthorizationWebhookConfigFile = result.GetValue(AuthorizationWebhookConfigFileOption),
        AuthorizationWebhookVersion = result.GetValue(AuthorizationWebhookVersionOption) ?? "v1",
        AuthorizationWebhookCacheAuthorizedTtl = result.GetValue(AuthorizedTtlOption),
        AuthorizationWebhookCacheUnauthorizedTtl = result.GetValue(UnauthorizedTtlOption),
    };

    private IEnumerable<string> ValidateDelegated()
    {
        foreach (var (flag, file) in new[]
        {
            ("--requestheader-client-ca-file", RequestheaderClientCaFile),
            ("--authentication-token-webhook-config-file", AuthenticationTokenWebhookConfigFile),
            ("--authorization-webhook-config-file", AuthorizationWebhookConfigFile),
        })
        {
            if (file is not null && !File.Exists(file))
            {
                yield return $"{flag} \"{file}\" does not exist";
            }
        }
        if (AuthorizationModes.Contains("Webhook") && AuthorizationWebhookConfigFile is null)
        {
            yield return "authorization-mode Webhook's authorization config file not passed";
        }
        if (AuthorizationWebhookConfigFile is not null && !AuthorizationModes.Contains("Webhook"))
        {
            yield return "cannot specify --authorization-webhook-config-file without mode Webhook";
        }
        if (AuthenticationTokenWebhookVersion != "v1")
        {
            yield return $"--authentication-token-webhook-version: unsupported version \"{AuthenticationTokenWebhookVersion}\" (supported: v1)";
        }
        if (AuthorizationWebhookVersion != "v1")
        {
            yield return $"--authorization-webhook-version: unsupported version \"{AuthorizationWebhookVersion}\" (supported: v1)";
        }
    }

    internal static Option<TimeSpan> DurationOption(string name, TimeSpan defaultValue, string description) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (StorageOptions.TryParseDuration(text, out var duration))
            {
                return duration;
            }
            result.AddError($"invalid duration \"{text}\" for {name} (expected e.g. 5m0s, 30s, 1h)");
            return default;
        },
    };
}
