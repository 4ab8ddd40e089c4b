using System.Net;
using System.Security.Cryptography.X509Certificates;
using Apiserver.Generic.Admission;
using Apiserver.Generic.Authentication;
using Apiserver.Generic.Authorization;
using Apiserver.Generic.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Apiserver.Generic.Server;

/// <summary>Where and how the server listens.</summary>
public sealed record ServingConfig
{
    /// <summary>The address to listen on (<c>--bind-address</c>).</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Loopback;
    /// <summary>The HTTPS port (<c>--secure-port</c>); 0 picks a free port.</summary>
    public int SecurePort { get; init; } = 6443;
    /// <summary>The serving certificate with its private key.</summary>
    public X509Certificate2? Certificate { get; init; }
    /// <summary>
    /// Whether the TLS handshake asks clients for a certificate (without requiring one). Kestrel
    /// accepts whatever is sent; an x509 authenticator verifies it against its CAs.
    /// </summary>
    public bool RequestClientCertificates { get; init; }
    /// <summary>How long in-flight requests may take to finish at shutdown.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>
    /// The concurrent streams an HTTP/2 client may open on one connection
    /// (<c>--http2-max-streams-per-connection</c>). Every watch holds one, so a client multiplexing
    /// many informers, or an aggregator proxying for many clients, wants more than the default 100.
    /// </summary>
    public int Http2MaxStreamsPerConnection { get; init; } = DefaultHttp2MaxStreamsPerConnection;

    /// <summary>kube-apiserver's default stream limit, which is also Kestrel's.</summary>
    public const int DefaultHttp2MaxStreamsPerConnection = 100;
}

/// <summary>Who is making a request: authenticators asked in order, the first to recognise a credential decides.</summary>
public sealed record AuthenticationConfig
{
    /// <summary>The authenticators, in order.</summary>
    public IReadOnlyList<IAuthenticator> Authenticators { get; init; } = [];

    /// <summary>The bearer-token authenticators TokenReview asks (those among <see cref="Authenticators"/> too, as tokens).</summary>
    public IReadOnlyList<ITokenAuthenticator> TokenAuthenticators { get; init; } = [];

    /// <summary>The audiences the API identifies as (<c>--api-audiences</c>): TokenReview's default.</summary>
    public IReadOnlyList<string> ApiAudiences { get; init; } = [];

    /// <summary>
    /// Whether a request without any credential is served as <c>system:anonymous</c> in group
    /// <c>system:unauthenticated</c> (<c>--anonymous-auth</c>) instead of ending with 401. A
    /// credential that is present but invalid ends with 401 either way.
    /// </summary>
    public bool Anonymous { get; init; }
}

/// <summary>Whether a user may make a request.</summary>
public sealed record AuthorizationConfig
{
    /// <summary>The authorizer (often a <see cref="UnionAuthorizer"/> of several modes).</summary>
    public IAuthorizer Authorizer { get; init; } = new AlwaysAllowAuthorizer();
}

/// <summary>The admission plugins every write passes through.</summary>
public sealed record AdmissionConfig
{
    /// <summary>The plugins, in order.</summary>
    public IReadOnlyList<IAdmissionPlugin> Plugins { get; init; } = [];
}

/// <summary>The backend objects are kept in.</summary>
/// <param name="Storage">The key-value store.</param>
/// <param name="Prefix">The key prefix (<c>--etcd-prefix</c>).</param>
public sealed record StorageConfig(IStorage Storage, string Prefix = "/registry");

/// <summary>
/// The configuration of a server, one small record per concern. <see cref="Complete"/> checks it
/// and returns the only type that can build servers.
/// </summary>
public sealed class ServerConfig
{
    /// <summary>Listening.</summary>
    public ServingConfig Serving { get; set; } = new();
    /// <summary>Authentication.</summary>
    public AuthenticationConfig Authentication { get; set; } = new();
    /// <summary>Authorization.</summary>
    public AuthorizationConfig Authorization { get; set; } = new();
    /// <summary>Admission.</summary>
    public AdmissionConfig Admission { get; set; } = new();
    /// <summary>Storage; required by servers that install resources.</summary>
    public StorageConfig? Storage { get; set; }
    /// <summary>What <c>/version</c> reports.</summary>
    public VersionInfo Version { get; set; } = VersionInfo.Default;
    /// <summary>Where logs go.</summary>
    public ILoggerFactory LoggerFactory { get; set; } = NullLoggerFactory.Instance;

    /// <summary>Checks the configuration; every problem is reported at once in one exception.</summary>
    /// <exception cref="ArgumentException">The configuration is not usable.</exception>
    public CompletedConfig Complete()
    {
        var problems = new List<string>();
        if (Serving.SecurePort is < 0 or > 65535)
        {
            problems.Add($"--secure-port {Serving.SecurePort} must be between 0 and 65535");
        }
        if (Serving.Certificate is { HasPrivateKey: false })
        {
            problems.Add("the serving certificate has no private key");
        }
        if (Serving.RequestClientCertificates && Serving.Certificate is null)
        {
            problems.Add("client certificates need a serving certificate (TLS)");
        }
        if (Storage is { Prefix: var prefix } && !prefix.StartsWith('/'))
        {
            problems.Add($"the storage prefix \"{prefix}\" must start with '/'");
        }
        if (problems.Count > 0)
        {
            throw new ArgumentException("invalid server configuration: " + string.Join("; ", problems));
        }
        return new CompletedConfig(this);
    }
}
