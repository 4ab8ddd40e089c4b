using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Registry.Core.Services;
using Microsoft.Extensions.Logging;

namespace Apiserver.Kube.Controllers;

/// <summary>
/// kube's <c>kubernetes-service-cidr-controller</c>: the ServiceCIDR <c>kubernetes</c> holding the
/// <c>--service-cluster-ip-range</c> (both CIDRs on a dual-stack cluster), Ready once it matches the
/// flag; recreated every <c>interval</c> when deleted, upgraded when the flag gained the other family,
/// but never otherwise rewritten when someone changed it (that is reported instead). Cluster IPs are
/// allocated from ServiceCIDRs, so what allocates waits for <see cref="Exists"/>.
/// </summary>
internal sealed partial class DefaultServiceCidrController(GenericStore serviceCidrs, ServiceNetworkConfig network, ILogger logger)
{
    /// <summary>The post-start hook's name, as kube-apiserver's.</summary>
    public const string HookName = "start-kubernetes-service-cidr-controller";

    /// <summary>The default ServiceCIDR's name.</summary>
    public const string Name = "kubernetes";

    private static readonly RequestContext Context = new("");
    private readonly StatusStore _status = new(serviceCidrs);
    private readonly TaskCompletionSource _exists = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _reportedMismatch;

    /// <summary>Completes once the default ServiceCIDR was seen in storage (created by this or another server).</summary>
    public Task Exists => _exists.Task;

    /// <summary>
    /// Reconciles until the default ServiceCIDR exists (the hook waits for it, as kube's start-up does),
    /// then every <paramref name="interval"/> until cancelled.
    /// </summary>
    public async Task StartAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await ReconcileAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogReconcileFailed(logger, e);
            }
            if (Exists.IsCompleted)
            {
                break;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
        _ = Periodic.RunAsync(interval, ReconcileAsync, e => LogReconcileFailed(logger, e), cancellationToken);
    }

    /// <summary>Creates the default ServiceCIDR when it is missing and marks it Ready when it matches the flag.</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var cidrs = network.SecondaryClusterIpRange is { } secondary
            ? new JsonArray(network.ClusterIpRange.Cidr, secondary.Cidr)
            : new JsonArray(network.ClusterIpRange.Cidr);
        JsonObject current;
        try
        {
            current = await serviceCidrs.GetAsync(Context, Name, new GetOptions(), cancellationToken);
            _exists.TrySetResult();
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
                _exists.TrySetResult();
            }
            catch (StatusException conflict) when (conflict.Code == 409)
            {
                // Another replica created it meanwhile: the next pass looks at it.
                _exists.TrySetResult();
                return;
            }
        }
        if (current["spec"]?["cidrs"] is JsonArray { Count: 1 } single && cidrs.Count == 2 && single[0]?.ToString() == cidrs[0]?.ToString())
        {
            await UpgradeToDualStackAsync(current, cidrs, cancellationToken);
            return;
        }
        await SyncStatusAsync(current, cidrs, cancellationToken);
    }

    // The flag gained the other family: the single-stack default ServiceCIDR gains its CIDR (validation allows that one change).
    private async Task UpgradeToDualStackAsync(JsonObject current, JsonArray cidrs, CancellationToken cancellationToken)
    {
        var updated = (JsonObject)current.DeepClone();
        updated["spec"]!["cidrs"] = cidrs.DeepClone();
        try
        {
            await serviceCidrs.UpdateAsync(Context, Name, updated, new UpdateOptions(FieldManager: "kubernetes-service-cidr-controller"), cancellationToken);
            LogUpgraded(logger, cidrs.ToJsonString());
        }
        catch (StatusException e) when (e.Code is 404 or 409 or 422)
        {
            LogUpgradeFailed(logger, cidrs.ToJsonString(), e.Message);
        }
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

    [LoggerMessage(3, LogLevel.Information, "Updated the default ServiceCIDR from single-stack to dual-stack {Cidrs}")]
    private static partial void LogUpgraded(ILogger logger, string cidrs);

    [LoggerMessage(4, LogLevel.Warning, "The default ServiceCIDR can not be upgraded to dual stack {Cidrs}: {Reason}")]
    private static partial void LogUpgradeFailed(ILogger logger, string cidrs, string reason);
}
