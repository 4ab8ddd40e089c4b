using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Apiserver.Kube.Kubelet;

namespace KubeApiserver.Options;

/// <summary>How the server reaches kubelets (logs, exec, attach, port-forward, nodes/proxy): kube's <c>--kubelet-*</c> flags.</summary>
public sealed record KubeletOptions
{
    private static readonly string[] AddressTypes = ["Hostname", "ExternalDNS", "InternalDNS", "ExternalIP", "InternalIP"];

    private static readonly Option<string?> ClientCertificateOption = new("--kubelet-client-certificate")
    {
        Description = "Path to a client cert file for TLS.",
    };
    private static readonly Option<string?> ClientKeyOption = new("--kubelet-client-key")
    {
        Description = "Path to a client key file for TLS.",
    };
    private static readonly Option<string?> CertificateAuthorityOption = new("--kubelet-certificate-authority")
    {
        Description = "Path to a cert file for the certificate authority.",
    };
    private static readonly Option<string> PreferredAddressTypesOption = new("--kubelet-preferred-address-types")
    {
        Description = "List of the preferred NodeAddressTypes to use for kubelet connections.",
        DefaultValueFactory = _ => string.Join(",", KubeletClientConfig.DefaultPreferredAddressTypes),
    };
    private static readonly Option<TimeSpan> TimeoutOption = SecurityOptions.DurationOption("--kubelet-timeout", TimeSpan.FromSeconds(5),
        "Timeout for kubelet operations.");

    /// <summary>The client certificate file presented to kubelets.</summary>
    public string? ClientCertificate { get; init; }
    /// <summary>Its private key file.</summary>
    public string? ClientKey { get; init; }
    /// <summary>The CA file a kubelet's serving certificate must chain to; unverified when null, as in kube.</summary>
    public string? CertificateAuthority { get; init; }
    /// <summary>The node address types to dial, most preferred first.</summary>
    public IReadOnlyList<string> PreferredAddressTypes { get; init; } = KubeletClientConfig.DefaultPreferredAddressTypes;
    /// <summary>How long to wait for a kubelet's connection.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    internal static IEnumerable<Option> All => [ClientCertificateOption, ClientKeyOption, CertificateAuthorityOption, PreferredAddressTypesOption, TimeoutOption];

    internal static KubeletOptions Read(ParseResult result) => new()
    {
        ClientCertificate = result.GetValue(ClientCertificateOption),
        ClientKey = result.GetValue(ClientKeyOption),
        CertificateAuthority = result.GetValue(CertificateAuthorityOption),
        PreferredAddressTypes = [.. result.GetValue(PreferredAddressTypesOption)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
        Timeout = result.GetValue(TimeoutOption),
    };

    internal IEnumerable<string> Validate()
    {
        if (PreferredAddressTypes.Count == 0)
        {
            yield return "--kubelet-preferred-address-types must be specified";
        }
        foreach (var type in PreferredAddressTypes.Where(t => !AddressTypes.Contains(t)))
        {
            yield return $"--kubelet-preferred-address-types: {type} is not a valid address type (valid: {string.Join(", ", AddressTypes)})";
        }
        if ((ClientCertificate is null) != (ClientKey is null))
        {
            yield return "--kubelet-client-certificate and --kubelet-client-key must be given together";
        }
        if (Timeout <= TimeSpan.Zero)
        {
            yield return "--kubelet-timeout must be greater than 0";
        }
    }

    /// <summary>The configuration the kube server takes, with the certificate files read.</summary>
    /// <exception cref="ArgumentException">A file cannot be read or is not a certificate (or key).</exception>
    internal KubeletClientConfig ToConfig()
    {
        X509Certificate2? certificate = null;
        X509Certificate2Collection? authorities = null;
        try
        {
            if (ClientCertificate is not null)
            {
                certificate = X509Certificate2.CreateFromPemFile(ClientCertificate, ClientKey);
            }
        }
        catch (Exception e) when (e is CryptographicException or IOException)
        {
            throw new ArgumentException($"--kubelet-client-certificate \"{ClientCertificate}\": {e.Message}", e);
        }
        try
        {
            if (CertificateAuthority is not null)
            {
                authorities = [];
                authorities.ImportFromPemFile(CertificateAuthority);
            }
        }
        catch (Exception e) when (e is CryptographicException or IOException)
        {
            throw new ArgumentException($"--kubelet-certificate-authority \"{CertificateAuthority}\": {e.Message}", e);
        }
        return new KubeletClientConfig
        {
            ClientCertificate = certificate,
            CertificateAuthority = authorities,
            PreferredAddressTypes = PreferredAddressTypes,
            Timeout = Timeout,
        };
    }
}
