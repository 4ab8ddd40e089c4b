using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;

namespace Apiserver.Kube.Kubelet;

/// <summary>
/// kube's <c>NodeConnectionInfoGetter</c>: where a node's kubelet listens (its preferred address and
/// its reported kubelet port, over HTTPS) and the client to reach it with; also the client the
/// pod and service proxies use, which, as kube's proxy transport, verifies no certificate. Its
/// clients live as long as the server.
/// </summary>
internal sealed class KubeletConnections
{
    private readonly GenericStore _nodes;
    private readonly KubeletClientConfig _config;

    public KubeletConnections(GenericStore nodes, KubeletClientConfig config)
    {
        _nodes = nodes;
        _config = config;
        Kubelet = new HttpMessageInvoker(Handler(config.Timeout, config.ClientCertificate, config.CertificateAuthority));
        UnverifiedKubelet = config.CertificateAuthority is null ? Kubelet : new HttpMessageInvoker(Handler(config.Timeout, config.ClientCertificate, null));
        Proxy = new HttpMessageInvoker(Handler(config.Timeout, null, null));
    }

    /// <summary>The client kubelets are reached with.</summary>
    public HttpMessageInvoker Kubelet { get; }

    /// <summary>The client kubelets are reached with when their certificate is not to be verified (a log's <c>insecureSkipTLSVerifyBackend</c>).</summary>
    public HttpMessageInvoker UnverifiedKubelet { get; }

    /// <summary>The client pods and service endpoints are reached with.</summary>
    public HttpMessageInvoker Proxy { get; }

    /// <summary>The host and port of the named node's kubelet (404 when there is no such node).</summary>
    public async Task<(string Host, int Port)> KubeletEndpointAsync(string nodeName, CancellationToken cancellationToken)
    {
        var node = await _nodes.GetAsync(new RequestContext(""), nodeName, new GetOptions(), cancellationToken);
        var host = PreferredAddress(node, _config.PreferredAddressTypes)
            ?? throw StatusException.Internal($"no preferred addresses found; known addresses: {KnownAddresses(node)}");
        var port = node["status"]?["daemonEndpoints"]?["kubeletEndpoint"]?["Port"] is JsonValue v && v.TryGetValue<int>(out var p) && p > 0 ? p : _config.DefaultPort;
        return (host, port);
    }

    /// <summary>The base address (<c>https://host:port</c>) of the named node's kubelet.</summary>
    public async Task<Uri> KubeletBaseAsync(string nodeName, CancellationToken cancellationToken)
    {
        var (host, port) = await KubeletEndpointAsync(nodeName, cancellationToken);
        return new UriBuilder(Uri.UriSchemeHttps, host, port).Uri;
    }

    /// <summary>kube's <c>GetPreferredNodeAddress</c>: the first address of the most preferred type; a Hostname may come from the node's hostname label.</summary>
    internal static string? PreferredAddress(JsonObject node, IReadOnlyList<string> preferredTypes)
    {
        var addresses = (node["status"]?["addresses"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        foreach (var type in preferredTypes)
        {
            if (addresses.FirstOrDefault(a => a["type"]?.ToString() == type)?["address"]?.ToString() is { } address)
            {
                return address;
            }
            if (type == "Hostname" && node["metadata"]?["labels"]?["kubernetes.io/hostname"]?.ToString() is { } hostname)
            {
                return hostname;
            }
        }
        return null;
    }

    private static string KnownAddresses(JsonObject node) =>
        "[" + string.Join(" ", (node["status"]?["addresses"] as JsonArray ?? []).OfType<JsonObject>().Select(a => $"{{{a["type"]} {a["address"]}}}")) + "]";

    private static SocketsHttpHandler Handler(TimeSpan timeout, X509Certificate2? clientCertificate, X509Certificate2Collection? authorities) => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = System.Net.DecompressionMethods.None,
        UseCookies = false,
        ConnectTimeout = timeout,
        EnableMultipleHttp2Connections = true,
        SslOptions = new SslClientAuthenticationOptions
        {
            ClientCertificates = clientCertificate is null ? null : [clientCertificate],
            // Without a CA, kube does not verify the kubelet's serving certificate.
            RemoteCertificateValidationCallback = (_, certificate, _, errors) => authorities is null || Trusted(certificate, errors, authorities),
        },
    };

    private static bool Trusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection authorities)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }
}
