using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Kubelet;

namespace Apiserver.Kube.Registry.Core.Pods;

/// <summary>
/// Where the kubelet-served subresources of a pod go, as kube's pod strategy names them
/// (<c>LogLocation</c>, <c>ExecLocation</c>, <c>AttachLocation</c>, <c>PortForwardLocation</c>): the
/// kubelet of the pod's node, under <c>/{action}/{namespace}/{pod}[/{container}]</c>.
/// </summary>
internal sealed class PodKubeletLocations(GenericStore pods, KubeletConnections kubelets)
{
    public KubeletConnections Kubelets => kubelets;

    public Task<JsonObject> GetPodAsync(RequestContext context, string name, CancellationToken cancellationToken) =>
        pods.GetAsync(context, name, new GetOptions(), cancellationToken);

    /// <summary>The pod's node, or empty when it is not scheduled.</summary>
    public static string NodeName(JsonObject pod) => pod["spec"]?["nodeName"]?.ToString() ?? "";

    /// <summary>
    /// kube's <c>validateContainer</c>: the named container, which must be one of the pod's (init,
    /// regular or ephemeral); when none is named, the pod's only container.
    /// </summary>
    public static string ChooseContainer(JsonObject pod, string container)
    {
        var name = pod.GetName();
        var spec = pod["spec"] as JsonObject ?? [];
        if (container.Length > 0)
        {
            return AllContainerNames(spec).Contains(container)
                ? container
                : throw StatusException.BadRequest($"container {container} is not valid for pod {name}");
        }
        var containers = spec["containers"] as JsonArray ?? [];
        return containers.Count switch
        {
            1 => containers[0]?["name"]?.ToString() ?? "",
            0 => throw StatusException.BadRequest($"a container name must be specified for pod {name}"),
            _ => throw StatusException.BadRequest($"a container name must be specified for pod {name}, choose one of: [{string.Join(" ", AllContainerNames(spec))}]"),
        };
    }

    /// <summary>The kubelet address of <paramref name="path"/> on the pod's node; a pod with no node is a 400, as kube answers it.</summary>
    public async Task<Uri> KubeletLocationAsync(JsonObject pod, string path, string query, CancellationToken cancellationToken)
    {
        var node = NodeName(pod);
        if (node.Length == 0)
        {
            throw StatusException.BadRequest($"pod {pod.GetName()} does not have a host assigned");
        }
        var builder = new UriBuilder(await kubelets.KubeletBaseAsync(node, cancellationToken)) { Path = path, Query = query };
        return builder.Uri;
    }

    // kube's VisitContainers order: init containers, containers, ephemeral containers.
    private static List<string> AllContainerNames(JsonObject spec) =>
        [.. new[] { "initContainers", "containers", "ephemeralContainers" }
            .SelectMany(field => (spec[field] as JsonArray ?? []).Select(c => c?["name"]?.ToString() ?? ""))];
}
