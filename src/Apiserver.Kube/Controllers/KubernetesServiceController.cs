using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Registry.Core.Services;
using Microsoft.Extensions.Logging;

namespace Apiserver.Kube.Controllers;

/// <summary>
/// kube's <c>bootstrap-controller</c>: the <c>kubernetes</c> Service in <c>default</c> on the first
/// cluster IP, port 443, and its Endpoints and EndpointSlice pointing at the address and port the
/// server listens on; checked again every <c>interval</c> so a deleted one comes back.
/// </summary>
internal sealed partial class KubernetesServiceController(
    ServiceStore services, GenericStore endpoints, GenericStore endpointSlices, ServiceNetworkConfig network, ILogger logger)
{
    /// <summary>The post-start hook's name, as kube-apiserver's.</summary>
    public const string HookName = "bootstrap-controller";

    private const string Namespace = "default", Name = "kubernetes";
    private static readonly RequestContext Context = new(Namespace);

    /// <summary>Reconciles once now (the hook waits for it), then every <paramref name="interval"/> until cancelled.</summary>
    public async Task StartAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        await ReconcileAsync(cancellationToken);
        _ = Periodic.RunAsync(interval, ReconcileAsync, e => LogReconcileFailed(logger, e), cancellationToken);
    }

    /// <summary>Creates what is missing and corrects the endpoints.</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var endpoint = network.ApiserverEndpoint();
        await EnsureServiceAsync(endpoint?.Port ?? 443, cancellationToken);
        if (endpoint is null)
        {
            return;
        }
        var ip = endpoint.Address.IsIPv4MappedToIPv6 ? endpoint.Address.MapToIPv4() : endpoint.Address;
        var port = new JsonObject { ["name"] = "https", ["port"] = endpoint.Port, ["protocol"] = "TCP" };
        await UpsertAsync(endpoints, new JsonObject
        {
            ["kind"] = "Endpoints",
            ["apiVersion"] = "v1",
            ["metadata"] = Metadata(new JsonObject { ["endpointslice.kubernetes.io/skip-mirror"] = "true" }),
            ["subsets"] = new JsonArray(new JsonObject
            {
                ["addresses"] = new JsonArray(new JsonObject { ["ip"] = ip.ToString() }),
                ["ports"] = new JsonArray(port.DeepClone()),
            }),
        }, "subsets", cancellationToken);
        await UpsertAsync(endpointSlices, new JsonObject
        {
            ["kind"] = "EndpointSlice",
            ["apiVersion"] = "discovery.k8s.io/v1",
            ["metadata"] = Metadata(new JsonObject { ["kubernetes.io/service-name"] = Name }),
            ["addressType"] = ip.AddressFamily == AddressFamily.InterNetwork ? "IPv4" : "IPv6",
            ["endpoints"] = new JsonArray(new JsonObject
            {
                ["addresses"] = new JsonArray(ip.ToString()),
                ["conditions"] = new JsonObject { ["ready"] = true },
            }),
            ["ports"] = new JsonArray(port.DeepClone()),
        }, "endpoints", cancellationToken);
    }

    private async Task EnsureServiceAsync(int targetPort, CancellationToken cancellationToken)
    {
        try
        {
            await services.GetAsync(Context, Name, new GetOptions(), cancellationToken);
            return;
        }
        catch (StatusException e) when (e.Code == 404)
        {
        }
        var service = new JsonObject
        {
            ["kind"] = "Service",
            ["apiVersion"] = "v1",
            ["metadata"] = Metadata(new JsonObject { ["component"] = "apiserver", ["provider"] = "kubernetes" }),
            ["spec"] = new JsonObject
            {
                ["type"] = "ClusterIP",
                // The first address of the range is reserved for this service.
                ["clusterIP"] = network.ClusterIpRange.At(0).ToString(),
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = 443, ["protocol"] = "TCP", ["targetPort"] = targetPort }),
                ["sessionAffinity"] = "None",
            },
        };
        try
        {
            await services.CreateAsync(Context, service, new CreateOptions(), cancellationToken);
        }
        catch (StatusException e) when (e.Code == 409)
        {
            // Another replica created it meanwhile.
        }
    }

    /// <summary>Creates the object, or replaces <paramref name="field"/> of the stored one when it differs.</summary>
    private static async Task UpsertAsync(GenericStore store, JsonObject desired, string field, CancellationToken cancellationToken)
    {
        JsonObject current;
        try
        {
            current = await store.GetAsync(Context, Name, new GetOptions(), cancellationToken);
        }
        catch (StatusException e) when (e.Code == 404)
        {
            try
            {
                await store.CreateAsync(Context, desired, new CreateOptions(), cancellationToken);
            }
            catch (StatusException conflict) when (conflict.Code == 409)
            {
            }
            return;
        }
        var fields = field == "endpoints" ? new[] { "endpoints", "ports", "addressType" } : [field];
        if (fields.All(f => JsonNode.DeepEquals(current[f], desired[f])))
        {
            return;
        }
        foreach (var f in fields)
        {
            current[f] = desired[f]!.DeepClone();
        }
        try
        {
            await store.UpdateAsync(Context, Name, current, new UpdateOptions(), cancellationToken);
        }
        catch (StatusException e) when (e.Code is 404 or 409)
        {
            // Changed meanwhile: the next pass looks again.
        }
    }

    private static JsonObject Metadata(JsonObject labels) => new() { ["name"] = Name, ["namespace"] = Namespace, ["labels"] = labels };

    [LoggerMessage(1, LogLevel.Warning, "Reconciling the kubernetes service failed")]
    private static partial void LogReconcileFailed(ILogger logger, Exception exception);
}
