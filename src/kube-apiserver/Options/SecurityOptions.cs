using System.CommandLine;

namespace KubeApiserver.Options;

/// <summary>Authentication, authorization and admission.</summary>
public sealed partial record SecurityOptions
{
    private static readonly string[] Modes = ["RBAC", "Node", "Webhook", "AlwaysAllow", "AlwaysDeny"];
    private static readonly string[] Plugins = ["NamespaceLifecycle"];
    // Off unless named in --enable-admission-plugins, as in kube.
    private static readonly string[] OptInPlugins = ["NodeRestriction"];

    private static readonly Option<string?> TokenFileOption = new("--token-auth-file")
    {
        Description = "If set, the file that will be used to secure the secure port of the API server via token authentication (CSV: token,user,uid,\"groups\").",
    };
    private static readonly Option<string?> ClientCaFileOption = new("--client-ca-file")
    {
        Description = "If set, any request presenting a client certificate signed by one of the authorities in the client-ca-file is authenticated with an identity corresponding to the CommonName of the client certificate (and its Organizations as groups). Without it, the CA generated in the certificate directory is used.",
    };
    private static readonly Option<bool> AnonymousAuthOption = new("--anonymous-auth")
    {
        Description = "Enables anonymous requests to the secure port of the API server. Requests that are not rejected by another authentication method are treated as anonymous requests. Anonymous requests have a username of system:anonymous, and a group name of system:unauthenticated.",
        DefaultValueFactory = _ => true,
    };
    private static readonly Option<string> AuthorizationModeOption = new("--authorization-mode")
    {
        Description = "Ordered list of plug-ins to do authorization on secure port. Comma-delimited list of: " + string.Join(",", Modes) + ".",
        DefaultValueFactory = _ => "RBAC",
    };
    private static readonly Option<string?> EnableAdmissionOption = new("--enable-admission-plugins")
    {
        Description = "Admission plugins that should be enabled in addition to default enabled ones (" + string.Join(", ", Plugins) + "). Comma-delimited list of: " + string.Join(", ", Plugins.Concat(OptInPlugins)) + ".",
    };
    private static readonly Option<string?> DisableAdmissionOption = new("--disable-admission-plugins")
    {
        Description = "Admission plugins that should be disabled although they are in the default enabled plugins list. Comma-delimited list of: " + string.Join(", ", Plugins) + ".",
    };

    /// <summary>An extra static token file, besides the generated admin token.</summary>
    public string? TokenAuthFile { get; init; }
    /// <summary>The client CA bundle (PEM) for x509 client certificates, besides the generated CA.</summary>
    public string? ClientCaFile { get; init; }
    /// <summary>Whether requests without credentials are served as <c>system:anonymous</c> (<c>--anonymous-auth</c>, on by default).</summary>
    public bool AnonymousAuth { get; init; } = true;
    /// <summary>The authorizers, in order, after the one that always allows <c>system:masters</c>.</summary>
    public IReadOnlyList<string> AuthorizationModes { get; init; } = ["RBAC"];
    /// <summary>Admission plugins turned off.</summary>
    public IReadOnlyList<string> DisabledAdmissionPlugins { get; init; } = [];
    /// <summary>Admission plugins turned on (all known plugins are on by default).</summary>
    public IReadOnlyList<string> EnabledAdmissionPlugins { get; init; } = [];

    internal static IEnumerable<Option> All => [AnonymousAuthOption, ClientCaFileOption, TokenFileOption, AuthorizationModeOption, EnableAdmissionOption, DisableAdmissionOption, .. DelegatedOptions];

    internal static SecurityOptions Read(ParseResult result) => ReadDelegated(result, new()
    {
        ClientCaFile = result.GetValue(ClientCaFileOption),
        TokenAuthFile = result.GetValue(TokenFileOption),
        AnonymousAuth = result.GetValue(AnonymousAuthOption),
        AuthorizationModes = List(result.GetValue(AuthorizationModeOption)),
        EnabledAdmissionPlugins = List(result.GetValue(EnableAdmissionOption)),
        DisabledAdmissionPlugins = List(result.GetValue(DisableAdmissionOption)),
    });

    internal IEnumerable<string> Validate()
    {
        if (TokenAuthFile is not null && !File.Exists(TokenAuthFile))
        {
            yield return $"--token-auth-file \"{TokenAuthFile}\" does not exist";
        }
        if (ClientCaFile is not null && !File.Exists(ClientCaFile))
        {
            yield return $"--client-ca-file \"{ClientCaFile}\" does not exist";
        }
        if (AuthorizationModes.Count == 0)
        {
            yield return "--authorization-mode must name at least one mode";
        }
        foreach (var mode in AuthorizationModes.Where(m => !Modes.Contains(m)))
        {
            yield return $"--authorization-mode: unknown mode \"{mode}\" (supported: {string.Join(", ", Modes)})";
        }
        foreach (var mode in AuthorizationModes.GroupBy(m => m).Where(g => g.Count() > 1))
        {
            yield return $"--authorization-mode: mode \"{mode.Key}\" is given more than once";
        }
        foreach (var plugin in EnabledAdmissionPlugins.Concat(DisabledAdmissionPlugins).Where(p => !Plugins.Contains(p) && !OptInPlugins.Contains(p)))
        {
            yield return $"unknown admission plugin \"{plugin}\" (supported: {string.Join(", ", Plugins.Concat(OptInPlugins))})";
        }
        foreach (var problem in ValidateDelegated())
        {
            yield return problem;
        }
    }

    private static IReadOnlyList<string> List(string? value) =>
        value?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}
