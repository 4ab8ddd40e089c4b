using System.Globalization;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Rest;

namespace Apiserver.Kube.Registry.Core.Pods;

/// <summary>
/// The <c>pods/log</c> subresource (kube's <c>LogREST</c>): a container's log, streamed from the
/// kubelet's <c>/containerLogs/{namespace}/{pod}/{container}</c> as <c>text/plain</c>, with the
/// options of <c>PodLogOptions</c> checked as kube checks them (a 422 for bad values). A pod that is
/// not scheduled yet has an empty log, as kube answers it.
/// </summary>
internal sealed class PodLogStore(PodKubeletLocations locations) : IConnecter
{
    public string Subresource => "log";

    // kube's discovery lists the Pod kind for pods/log.
    public ResourceNames Names { get; } = new(new GroupVersionKind("", "v1", "Pod"), "pods", "pod", Namespaced: true);

    public IReadOnlyList<string> ConnectMethods { get; } = ["GET"];

    public async Task<ConnectTarget?> ConnectAsync(RequestContext context, string name, ConnectRequest request, CancellationToken cancellationToken)
    {
        var query = request.Query;
        var tailLines = ConnectOptions.Int64(query, "tailLines");
        var limitBytes = ConnectOptions.Int64(query, "limitBytes");
        var sinceSeconds = ConnectOptions.Int64(query, "sinceSeconds");
        var sinceTime = SinceTime(query);
        var errors = new List<FieldError>();
        if (tailLines < 0)
        {
            errors.Add(FieldError.Invalid("tailLines", JsonValue.Create(tailLines.Value), "must be greater than or equal to 0"));
        }
        if (limitBytes < 1)
        {
            errors.Add(FieldError.Invalid("limitBytes", JsonValue.Create(limitBytes.Value), "must be greater than 0"));
        }
        if (sinceSeconds is not null && sinceTime is not null)
        {
            errors.Add(FieldError.Forbidden("", "at most one of `sinceTime` or `sinceSeconds` may be specified"));
        }
        else if (sinceSeconds < 1)
        {
            errors.Add(FieldError.Invalid("sinceSeconds", JsonValue.Create(sinceSeconds.Value), "must be greater than 0"));
        }
        if (errors.Count > 0)
        {
            throw StatusException.Invalid(new GroupVersionKind("", "v1", "PodLogOptions"), name, errors);
        }

        var pod = await locations.GetPodAsync(context, name, cancellationToken);
        var container = PodKubeletLocations.ChooseContainer(pod, ConnectOptions.String(query, "container"));
        var node = PodKubeletLocations.NodeName(pod);
        if (node.Length == 0)
        {
            // kube streams nothing for a pod that has no node yet.
            return null;
        }
        var parameters = new List<(string, string)>();
        foreach (var flag in new[] { "follow", "previous", "timestamps" })
        {
            if (ConnectOptions.Bool(query, flag))
            {
                parameters.Add((flag, "true"));
            }
        }
        if (sinceSeconds is { } seconds) parameters.Add(("sinceSeconds", seconds.ToString(CultureInfo.InvariantCulture)));
        if (sinceTime is { } time) parameters.Add(("sinceTime", time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)));
        if (tailLines is { } tail) parameters.Add(("tailLines", tail.ToString(CultureInfo.InvariantCulture)));
        if (limitBytes is { } limit) parameters.Add(("limitBytes", limit.ToString(CultureInfo.InvariantCulture)));
        var location = await locations.KubeletLocationAsync(pod, $"/containerLogs/{pod.GetNamespace()}/{name}/{container}", ConnectOptions.Encode(parameters), cancellationToken);
        // kube's InsecureSkipTLSVerifyBackend: the kubelet's certificate goes unchecked for this log.
        var invoker = ConnectOptions.Bool(query, "insecureSkipTLSVerifyBackend") ? locations.Kubelets.UnverifiedKubelet : locations.Kubelets.Kubelet;
        return new ConnectTarget(location, invoker) { CheckResponse = true, ContentType = "text/plain" };
    }

    private static DateTimeOffset? SinceTime(Microsoft.AspNetCore.Http.IQueryCollection query)
    {
        var value = ConnectOptions.String(query, "sinceTime");
        if (value.Length == 0)
        {
            return null;
        }
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw StatusException.BadRequest($"parsing time \"{value}\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"{value}\" as \"2006\"");
    }
}
