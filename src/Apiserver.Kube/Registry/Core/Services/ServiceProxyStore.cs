using System.Globalization;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Kubelet;

namespace Apiserver.Kube.Registry.Core.Services;

/// <summary>
/// <c>services/proxy</c> (kube's service <c>ProxyREST</c> and <c>ResourceLocation</c>): a request to
/// <c>…/services/[scheme:]name[:port]/proxy/path</c> goes to one ready address of the service's
/// Endpoints that serves the port (by name; a port number is first mapped to its name), an address
/// that must be the IP of the pod its <c>targetRef</c> names. 503 when there is none.
/// </summary>
internal sealed class ServiceProxyStore(GenericStore services, GenericStore endpoints, GenericStore pods, KubeletConnections connections) : IConnecter
{
    public string Subresource => "proxy";

    public ResourceNames Names { get; } = new(new GroupVersionKind("", "v1", "ServiceProxyOptions"), "services", "service", Namespaced: true);

    public IReadOnlyList<string> ConnectMethods { get; } = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

    public bool TakesPath => true;

    public async Task<ConnectTarget?> ConnectAsync(RequestContext context, string name, ConnectRequest request, CancellationToken cancellationToken)
    {
        if (ConnectOptions.SplitSchemeNamePort(name) is not var (scheme, serviceName, port))
        {
            throw StatusException.BadRequest($"invalid service request \"{name}\"");
        }
        if (int.TryParse(port, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            var service = await services.GetAsync(context, serviceName, new GetOptions(), cancellationToken);
            port = (service["spec"]?["ports"] as JsonArray ?? []).OfType<JsonObject>()
                .Where(p => p["port"] is JsonValue v && v.TryGetValue<int>(out var n) && n == number)
                .Select(p => p["name"]?.ToString() ?? "")
                .FirstOrDefault()
                ?? throw NoEndpoints($"no service port {number} found for service \"{serviceName}\"");
        }
        var subsets = ((await endpoints.GetAsync(context, serviceName, new GetOptions(), cancellationToken))["subsets"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (subsets.Count == 0)
        {
            throw NoEndpoints($"no endpoints available for service \"{serviceName}\"");
        }
        // As kube: start from a random subset and a random address, so load spreads.
        var subsetSeed = Random.Shared.Next(subsets.Count);
        for (var i = 0; i < subsets.Count; i++)
        {
            var subset = subsets[(subsetSeed + i) % subsets.Count];
            var addresses = (subset["addresses"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            if (addresses.Count == 0)
            {
                continue;
            }
            foreach (var servicePort in (subset["ports"] as JsonArray ?? []).OfType<JsonObject>().Where(p => (p["name"]?.ToString() ?? "") == port))
            {
                var addressSeed = Random.Shared.Next(addresses.Count);
                for (var tried = 0; tried < addresses.Count; tried++)
                {
                    var address = addresses[(addressSeed + tried) % addresses.Count];
                    if (await IsPodAddressAsync(context, address, cancellationToken))
                    {
                        var location = ConnectOptions.ProxyLocation(scheme, address["ip"]!.ToString(), servicePort["port"]?.ToString() ?? "", request.Path, request.QueryString);
                        return new ConnectTarget(location, connections.Proxy);
                    }
                }
            }
        }
        throw NoEndpoints($"no endpoints available for service \"{name}\"");
    }

    // kube's NewServiceUnavailable: a 503 without a Retry-After.
    private static StatusException NoEndpoints(string message) => new(503, StatusReason.ServiceUnavailable, message);

    /// <summary>kube's <c>isValidAddress</c>: the address names a pod of the namespace (targetRef) that has its IP.</summary>
    private async Task<bool> IsPodAddressAsync(RequestContext context, JsonObject address, CancellationToken cancellationToken)
    {
        if (address["targetRef"] is not JsonObject target || target["namespace"]?.ToString() != context.Namespace || target["name"]?.ToString() is not { Length: > 0 } podName)
        {
            return false;
        }
        JsonObject pod;
        try
        {
            pod = await pods.GetAsync(context, podName, new GetOptions(), cancellationToken);
        }
        catch (StatusException e) when (e.Code == 404)
        {
            return false;
        }
        var ip = address["ip"]?.ToString();
        return (pod["status"]?["podIPs"] as JsonArray ?? []).Any(p => p?["ip"]?.ToString() == ip);
    }
}
