using System.Globalization;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Rest;

namespace Apiserver.Kube.Registry.Core.Pods;

/// <summary>
/// <c>pods/portforward</c> (kube's <c>PortForwardREST</c>): an upgraded session relayed to the
/// kubelet's <c>/portForward/{namespace}/{pod}</c>, the ports asked for passed as its <c>port</c> parameter.
/// </summary>
internal sealed class PodPortForwardStore(PodKubeletLocations locations) : IConnecter
{
    public string Subresource => "portforward";

    public ResourceNames Names { get; } = new(new GroupVersionKind("", "v1", "PodPortForwardOptions"), "pods", "pod", Namespaced: true);

    public IReadOnlyList<string> ConnectMethods { get; } = ["GET", "POST"];

    public async Task<ConnectTarget?> ConnectAsync(RequestContext context, string name, ConnectRequest request, CancellationToken cancellationToken)
    {
        var ports = request.Query["ports"].Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535
            ? port.ToString(CultureInfo.InvariantCulture)
            : throw StatusException.BadRequest($"strconv.ParseInt: parsing \"{p}\": invalid syntax")).ToList();
        var pod = await locations.GetPodAsync(context, name, cancellationToken);
        var query = ports.Count > 0 ? ConnectOptions.Encode([("port", string.Join(",", ports))]) : "";
        var location = await locations.KubeletLocationAsync(pod, $"/portForward/{pod.GetNamespace()}/{name}", query, cancellationToken);
        return new ConnectTarget(location, locations.Kubelets.Kubelet) { UpgradeRequired = true };
    }
}
