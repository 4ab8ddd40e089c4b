using System.Security.Cryptography.X509Certificates;

namespace Apiserver.Kube.Kubelet;

/// <summary>
/// How the server reaches kubelets (kube's <c>KubeletClientConfig</c>, from the
/// <c>--kubelet-*</c> flags): for logs, exec, attach, port-forward and <c>nodes/proxy</c>.
/// </summary>
public sealed record KubeletClientConfig
{
    /// <summary>kube's default order of node address types.</summary>
    public static IReadOnlyList<string> DefaultPreferredAddressTypes { get; } = ["Hostname", "InternalDNS", "InternalIP", "ExternalDNS", "ExternalIP"];

    /// <summary>The client certificate (with its key) presented to kubelets; none when null.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>
    /// The CAs a kubelet's serving certificate must chain to (and whose name must match the address
    /// dialed); when null, as in kube, the kubelet's certificate is not verified.
    /// </summary>
    public X509Certificate2Collection? CertificateAuthority { get; init; }

    /// <summary>The node address types to dial, most preferred first.</summary>
    public IReadOnlyList<string> PreferredAddressTypes { get; init; } = DefaultPreferredAddressTypes;

    /// <summary>How long to wait for a kubelet's connection.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The kubelet port used when a node does not report <c>status.daemonEndpoints.kubeletEndpoint.Port</c>.</summary>
    public int DefaultPort { get; init; } = 10250;
}
