using System.Net;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Kubelet;

namespace Apiserver.Kube.Registry.Core.Pods;

/// <summary>
/// <c>pods/proxy</c> (kube's pod <c>ProxyREST</c> and <c>ResourceLocation</c>): any request to
/// <c>…/pods/[scheme:]name[:port]/proxy/path</c> goes to the pod's IP, on the given port or the first
/// port a container declares, with the path and query kept. Only a global unicast pod IP is
/// proxied to (not loopback or link-local), as in kube.
/// </summary>
internal sealed class PodProxyStore(GenericStore pods, KubeletConnections connections) : IConnecter
{
    public string Subresource => "proxy";

    public ResourceNames Names { get; } = new(new GroupVersionKind("", "v1", "PodProxyOptions"), "pods", "pod", Namespaced: true);

    public IReadOnlyList<string> ConnectMethods { get; } = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

    public bool TakesPath => true;

    public async Task<ConnectTarget?> ConnectAsync(RequestContext context, string name, ConnectRequest request, CancellationToken cancellationToken)
    {
        if (ConnectOptions.SplitSchemeNamePort(name) is not var (scheme, podName, port))
        {
            throw StatusException.BadRequest($"invalid pod request \"{name}\"");
        }
        var pod = await pods.GetAsync(context, podName, new GetOptions(), cancellationToken);
        if (port.Length == 0)
        {
            port = (pod["spec"]?["containers"] as System.Text.Json.Nodes.JsonArray ?? [])
                .Select(c => c?["ports"]?[0]?["containerPort"]?.ToString())
                .FirstOrDefault(p => p is not null) ?? "";
        }
        var podIp = pod["status"]?["podIPs"]?[0]?["ip"]?.ToString() ?? "";
        if (!IPAddress.TryParse(podIp, out var ip) || !ConnectOptions.IsGlobalUnicast(ip))
        {
            throw StatusException.BadRequest("address not allowed");
        }
        var location = ConnectOptions.ProxyLocation(scheme, podIp, port, request.Path, request.QueryString);
        return new ConnectTarget(location, connections.Proxy);
    }
}
