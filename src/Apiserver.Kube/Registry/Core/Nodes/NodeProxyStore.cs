using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Kubelet;

namespace Apiserver.Kube.Registry.Core.Nodes;

/// <summary>
/// <c>nodes/proxy</c> (kube's node <c>ProxyREST</c> and <c>ResourceLocation</c>): a request to
/// <c>…/nodes/[scheme:]name[:port]/proxy/path</c> goes to the node's kubelet (its preferred address
/// and kubelet port, with the kubelet client's credentials), or, for another port, to that port of
/// the node without them. Only a node address that resolves to global unicast IPs is proxied to.
/// </summary>
internal sealed class NodeProxyStore(KubeletConnections connections) : IConnecter
{
    public string Subresource => "proxy";

    public ResourceNames Names { get; } = new(new GroupVersionKind("", "v1", "NodeProxyOptions"), "nodes", "node", Namespaced: false);

    public IReadOnlyList<string> ConnectMethods { get; } = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

    public bool TakesPath => true;

    public async Task<ConnectTarget?> ConnectAsync(RequestContext context, string name, ConnectRequest request, CancellationToken cancellationToken)
    {
        if (ConnectOptions.SplitSchemeNamePort(name) is not var (scheme, nodeName, port))
        {
            throw StatusException.BadRequest($"invalid node request \"{name}\"");
        }
        var (host, kubeletPort) = await connections.KubeletEndpointAsync(nodeName, cancellationToken);
        await EnsureProxyableAsync(host, cancellationToken);
        var kubeletPortText = kubeletPort.ToString(CultureInfo.InvariantCulture);
        return port.Length == 0 || port == kubeletPortText
            ? new ConnectTarget(ConnectOptions.ProxyLocation("https", host, kubeletPortText, request.Path, request.QueryString), connections.Kubelet)
            : new ConnectTarget(ConnectOptions.ProxyLocation(scheme, host, port, request.Path, request.QueryString), connections.Proxy);
    }

    /// <summary>kube's <c>isProxyableHostname</c>: every address the host resolves to is global unicast.</summary>
    private static async Task EnsureProxyableAsync(string host, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        }
        catch (SocketException e)
        {
            throw StatusException.BadRequest($"lookup {host}: {e.Message}");
        }
        if (addresses.Length == 0)
        {
            throw StatusException.BadRequest("no addresses for hostname");
        }
        if (!addresses.All(ConnectOptions.IsGlobalUnicast))
        {
            throw StatusException.BadRequest("address not allowed");
        }
    }
}
