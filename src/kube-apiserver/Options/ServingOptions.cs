using System.CommandLine;
using System.Net;

namespace KubeApiserver.Options;

/// <summary>Where the server listens and with which certificate.</summary>
public sealed record ServingOptions
{
    private static readonly Option<string> BindAddressOption = new("--bind-address")
    {
        Description = "The IP address on which to listen for the --secure-port port.",
        DefaultValueFactory = _ => "127.0.0.1",
    };
    private static readonly Option<int> SecurePortOption = new("--secure-port")
    {
        Description = "The port on which to serve HTTPS with authentication and authorization (0 picks a free port).",
        DefaultValueFactory = _ => 6443,
    };
    private static readonly Option<string?> CertFileOption = new("--tls-cert-file")
    {
        Description = "File containing the default x509 certificate for HTTPS. If not given, a CA and a serving certificate are generated in --cert-dir.",
    };
    private static readonly Option<string?> KeyFileOption = new("--tls-private-key-file")
    {
        Description = "File containing the default x509 private key matching --tls-cert-file.",
    };
    private static readonly Option<int> Http2MaxStreamsOption = new("--http2-max-streams-per-connection")
    {
        Description = "The limit that the server gives to clients for the maximum number of streams in an HTTP/2 connection. Zero means the default, 100.",
    };
    private static readonly Option<string?> CertDirOption = new("--cert-dir")
    {
        Description = "The directory where generated TLS certificates are kept (default <data-dir>/pki). Ignored if --tls-cert-file is given.",
    };

    /// <summary>The address to listen on.</summary>
    public string BindAddress { get; init; } = "127.0.0.1";
    /// <summary>The HTTPS port; 0 picks a free one.</summary>
    public int SecurePort { get; init; } = 6443;
    /// <summary>A serving certificate file, instead of the generated one.</summary>
    public string? TlsCertFile { get; init; }
    /// <summary>Its private key.</summary>
    public string? TlsPrivateKeyFile { get; init; }
    /// <summary>Where generated certificates live.</summary>
    public string? CertDir { get; init; }
    /// <summary>Concurrent HTTP/2 streams per connection; 0 for the default.</summary>
    public int Http2MaxStreamsPerConnection { get; init; }

    internal static IEnumerable<Option> All => [BindAddressOption, SecurePortOption, CertFileOption, KeyFileOption, CertDirOption, Http2MaxStreamsOption];

    internal static ServingOptions Read(ParseResult result) => new()
    {
        BindAddress = result.GetValue(BindAddressOption)!,
        SecurePort = result.GetValue(SecurePortOption),
        TlsCertFile = result.GetValue(CertFileOption),
        TlsPrivateKeyFile = result.GetValue(KeyFileOption),
        CertDir = result.GetValue(CertDirOption),
        Http2MaxStreamsPerConnection = result.GetValue(Http2MaxStreamsOption),
    };

    internal IEnumerable<string> Validate()
    {
        if (!IPAddress.TryParse(BindAddress, out _))
        {
            yield return $"--bind-address \"{BindAddress}\" is not an IP address";
        }
        if (SecurePort is < 0 or > 65535)
        {
            yield return $"--secure-port {SecurePort} must be between 0 and 65535";
        }
        if (Http2MaxStreamsPerConnection < 0)
        {
            yield return $"--http2-max-streams-per-connection {Http2MaxStreamsPerConnection} must not be negative";
        }
        if ((TlsCertFile is null) != (TlsPrivateKeyFile is null))
        {
            yield return "--tls-cert-file and --tls-private-key-file must be given together";
        }
    }
}
