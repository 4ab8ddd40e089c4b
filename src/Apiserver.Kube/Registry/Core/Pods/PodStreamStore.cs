using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Rest;

namespace Apiserver.Kube.Registry.Core.Pods;

/// <summary>
/// <c>pods/exec</c> and <c>pods/attach</c> (kube's <c>ExecREST</c> and <c>AttachREST</c>): an upgraded
/// (SPDY or WebSocket) session with a container, relayed to the kubelet's
/// <c>/exec|/attach/{namespace}/{pod}/{container}</c> with the streams asked for in the kubelet's
/// parameter names (<c>input</c>, <c>output</c>, <c>error</c>, <c>tty</c>).
/// </summary>
internal sealed class PodStreamStore : IConnecter
{
    private readonly PodKubeletLocations _locations;
    private readonly bool _exec;

    private PodStreamStore(PodKubeletLocations locations, bool exec, string kind)
    {
        _locations = locations;
        _exec = exec;
        Subresource = exec ? "exec" : "attach";
        Names = new(new GroupVersionKind("", "v1", kind), "pods", "pod", Namespaced: true);
    }

    /// <summary><c>pods/exec</c>.</summary>
    public static PodStreamStore Exec(PodKubeletLocations locations) => new(locations, exec: true, "PodExecOptions");

    /// <summary><c>pods/attach</c>.</summary>
    public static PodStreamStore Attach(PodKubeletLocations locations) => new(locations, exec: false, "PodAttachOptions");

    public string Subresource { get; }

    public ResourceNames Names { get; }

    public IReadOnlyList<string> ConnectMethods { get; } = ["GET", "POST"];

    public async Task<ConnectTarget?> ConnectAsync(RequestContext context, string name, ConnectRequest request, CancellationToken cancellationToken)
    {
        var query = request.Query;
        var parameters = new List<(string, string)>();
        foreach (var (option, parameter) in new[] { ("stdin", "input"), ("stdout", "output"), ("stderr", "error"), ("tty", "tty") })
        {
            if (ConnectOptions.Bool(query, option))
            {
                parameters.Add((parameter, "1"));
            }
        }
        var commands = _exec ? query["command"].Select(c => c ?? "").ToList() : [];
        if (_exec && commands.Count == 0)
        {
            throw StatusException.BadRequest("you must specify at least one command for the container");
        }
        if (!parameters.Any(p => p.Item1 is "input" or "output" or "error"))
        {
            throw StatusException.BadRequest("you must specify at least 1 of stdin, stdout, stderr");
        }
        parameters.AddRange(commands.Select(c => ("command", c)));

        var pod = await _locations.GetPodAsync(context, name, cancellationToken);
        var container = PodKubeletLocations.ChooseContainer(pod, ConnectOptions.String(query, "container"));
        var location = await _locations.KubeletLocationAsync(pod, $"/{Subresource}/{pod.GetNamespace()}/{name}/{container}", ConnectOptions.Encode(parameters), cancellationToken);
        return new ConnectTarget(location, _locations.Kubelets.Kubelet) { UpgradeRequired = true };
    }
}
