using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Registry.Core.Services;
using Microsoft.Extensions.Logging;

namespace Apiserver.Kube.Controllers;

/// <summary>
/// kube's <c>kubernetes-service-cidr-controller</c>: the ServiceCIDR <c>kubernetes</c> holding the
/// <c>--service-cluster-ip-range</c>, Ready once it matches the flag; recreated every
/// <c>interval</c> when deleted, but never rewritten when someone changed it (that is reported instead).
/// </summary>
internal sealed partial class DefaultServiceCidrController(GenericStore serviceCidrs, ServiceNetworkConfig network, ILogger logger)
{
    /// <summary>The post-start hook's name, as kube-apiserver's.</summary>
    public const string HookName = "start-kubernetes-service-cidr-controller";

    /// <summary>The default ServiceCIDR's name.</summary>
    public const string Name = "kubernetes";

    private static readonly RequestContext Context = new("");
    private readonly StatusStore _status = new(serviceCidrs);
    private bool _reportedMismatch;

    /// <summary>Reconciles once now (the hook waits for it), then every <paramref name="interval"/> until cancelled.</summary>
    public async Task StartAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        await ReconcileAsync(cancellationToken);
        _ = Periodic.RunAsync(interval, ReconcileAsync, e => LogReconcileFailed(logger, e), cancellationToken);
    }

    /// <summary>Creates the default ServiceCIDR when it is missing and marks it Ready when it matches the flag.</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var cidrs = new JsonArray(network.ClusterIpRange.Cidr);
        JsonObject current;
        try
        {
            current = await serviceCidrs.GetAsync(Context, Name, new GetOptions(), cancellationToken);
        }
        catch (StatusException e) when (e.Code == 404)
        {
            var created = new JsonObject
            {
                ["kind"] = "ServiceCIDR",
                ["apiVersion"] = "networking.k8s.io/v1",
                ["metadata"] = new JsonObject { ["name"] = Name },
                ["spec"] = new JsonObject { ["cidrs"] = cidrs.DeepClone() },
            };
            try
            {
                current = await serviceCidrs.CreateAsync(Context, created, new CreateOptions(), cancellationToken);
            }
            catch (StatusException conflict) when (conflict.Code == 409)
            {
                // Another replica created it meanwhile: the next pass looks at it.
                return;
            }
        }
        await SyncStatusAsync(current, cidrs, cancellationToken);
    }

    // Deletion is the controller manager's business; a mismatch is the administrator's.
    private async Task SyncStatusAsync(JsonObject current, JsonArray cidrs, CancellationToken cancellationToken)
    {
        if (current.Metadata()["deletionTimestamp"] is not null)
        {
            return;
        }
        if (!JsonNode.DeepEquals(current["spec"]?["cidrs"], cidrs))
        {
            if (!_reportedMismatch)
            {
                LogMismatch(logger, current["spec"]?["cidrs"]?.ToJsonString() ?? "[]", cidrs.ToJsonString());
                _reportedMismatch = true;
            }
            return;
        }
        var conditions = current["status"]?["conditions"] as JsonArray ?? [];
        var ready = conditions.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.ToString() == "Ready");
        if (ready is not null && ready["status"]?.ToString() != "Unknown")
        {
            return;
        }
        var updated = (JsonObject)current.DeepClone();
        var kept = new JsonArray([.. conditions.OfType<JsonObject>().Where(c => c != ready).Select(c => c.DeepClone())]);
        kept.Add(new JsonObject
        {
            ["type"] = "Ready",
            ["status"] = "True",
            ["lastTransitionTime"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            ["reason"] = "",
            ["message"] = "Kubernetes default Service CIDR is ready",
        });
        updated["status"] = new JsonObject { ["conditions"] = kept };
        try
        {
            await _status.UpdateAsync(Context, Name, updated, new UpdateOptions(FieldManager: "kubernetes-service-cidr-controller"), cancellationToken);
        }
        catch (StatusException e) when (e.Code is 404 or 409)
        {
            // Changed meanwhile: the next pass looks again.
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Reconciling the default ServiceCIDR failed")]
    private static partial void LogReconcileFailed(ILogger logger, Exception exception);

    [LoggerMessage(2, LogLevel.Warning, "The default ServiceCIDR {Actual} does not match the controller flag configurations {Configured}; configure the flags to match it or delete it")]
    private static partial void LogMismatch(ILogger logger, string actual, string configured);
}
