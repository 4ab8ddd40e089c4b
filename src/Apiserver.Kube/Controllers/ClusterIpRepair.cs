using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Registry.Core.Services;
using Apiserver.Kube.Registry.Core.Services.Allocation;
using Microsoft.Extensions.Logging;
using ListOptions = Apiserver.Generic.Registry.Rest.ListOptions;

namespace Apiserver.Kube.Controllers;

/// <summary>
/// kube's <c>ipallocator-repair-controller</c> (<c>repairip.go</c>): services and IPAddresses are
/// reconciled both ways. A service's cluster IP without its IPAddress gets one (so services stored by
/// an older server are migrated); an IPAddress naming another parent, or missing the allocator's
/// labels, is recreated for the service holding the IP; an IPAddress the allocator made whose service
/// is gone or no longer holds it is deleted once older than the grace period (a service being created
/// has its IPAddress before the service is stored). IPs outside every ServiceCIDR are reported only.
/// </summary>
internal sealed partial class ClusterIpRepair(ServiceStore services, ClusterIpAllocator allocator, ILogger logger, TimeSpan? orphanGracePeriod = null, TimeProvider? time = null)
{
    /// <summary>kube's grace before an orphaned IPAddress is deleted: the apiserver's default request timeout.</summary>
    public static readonly TimeSpan DefaultOrphanGracePeriod = TimeSpan.FromSeconds(60);

    private static readonly RequestContext Cluster = new("");
    private readonly TimeSpan _grace = orphanGracePeriod ?? DefaultOrphanGracePeriod;
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Repairs once now (the caller waits for it), then every <paramref name="interval"/> until cancelled.</summary>
    public async Task StartAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        await RepairOnceAsync(cancellationToken);
        _ = Periodic.RunAsync(interval, RepairOnceAsync, e => LogRepairFailed(logger, e), cancellationToken);
    }

    /// <summary>One pass over every service and every IPAddress.</summary>
    public async Task RepairOnceAsync(CancellationToken cancellationToken)
    {
        // IPAddresses first: one created after this list is never judged against an older list of services.
        var addresses = Items(await allocator.IpAddresses.ListAsync(Cluster, new ListOptions(), cancellationToken)).ToDictionary(a => a.GetName(), StringComparer.Ordinal);
        var serviceList = Items(await services.ListAsync(Cluster, new ListOptions(), cancellationToken)).ToList();
        var ranges = await allocator.RangesAsync(allocatable: false, cancellationToken);
        var byKey = serviceList.ToDictionary(s => (s.GetNamespace(), s.GetName()));
        foreach (var svc in serviceList.Where(ServiceFields.NeedsClusterIp))
        {
            foreach (var text in ServiceFields.ClusterIps(svc))
            {
                if (!IPAddress.TryParse(text, out var ip))
                {
                    continue;
                }
                await RepairServiceIpAsync(svc, ip, addresses.GetValueOrDefault(ip.ToString()), ranges, byKey, cancellationToken);
            }
        }
        foreach (var address in addresses.Values.Where(a => Label(a, ClusterIpAllocator.ManagedByLabel) == ClusterIpAllocator.ControllerName))
        {
            await RepairIpAddressAsync(address, byKey, cancellationToken);
        }
    }

    private async Task RepairServiceIpAsync(JsonObject svc, IPAddress ip, JsonObject? address, IReadOnlyList<ServiceCidrRange> ranges,
        Dictionary<(string, string), JsonObject> byKey, CancellationToken cancellationToken)
    {
        var (ns, name) = (svc.GetNamespace(), svc.GetName());
        if (!ranges.Any(r => r.Contains(ip)))
        {
            LogOutOfRange(logger, ip.ToString(), ns, name);
            return;
        }
        if (address is null)
        {
            LogNotAllocated(logger, ip.ToString(), ns, name);
            await allocator.TryCreateAsync(ip, ns, name, cancellationToken);
            return;
        }
        var parent = address["spec"]?["parentRef"] as JsonObject ?? [];
        if (!IsServiceRef(parent))
        {
            await RecreateAsync(ip, ns, name, cancellationToken);
            return;
        }
        if (parent["namespace"]?.ToString() != ns || parent["name"]?.ToString() != name)
        {
            // Two services holding one IP: the IPAddress stays with the one it names, which keeps it from flapping.
            if (byKey.GetValueOrDefault((parent["namespace"]?.ToString() ?? "", parent["name"]?.ToString() ?? "")) is { } holder
                && Holds(holder, address.GetName()))
            {
                LogDuplicate(logger, ip.ToString(), ns, name, holder.GetNamespace(), holder.GetName());
                return;
            }
            await RecreateAsync(ip, ns, name, cancellationToken);
            return;
        }
        if (Label(address, ClusterIpAllocator.FamilyLabel) != ServiceIpRange.FamilyNameOf(ip)
            || Label(address, ClusterIpAllocator.ManagedByLabel) != ClusterIpAllocator.ControllerName)
        {
            await RecreateAsync(ip, ns, name, cancellationToken);
        }
    }

    private async Task RepairIpAddressAsync(JsonObject address, Dictionary<(string, string), JsonObject> byKey, CancellationToken cancellationToken)
    {
        var parent = address["spec"]?["parentRef"] as JsonObject ?? [];
        if (IsServiceRef(parent)
            && byKey.GetValueOrDefault((parent["namespace"]?.ToString() ?? "", parent["name"]?.ToString() ?? "")) is { } svc
            && ServiceFields.NeedsClusterIp(svc) && Holds(svc, address.GetName()))
        {
            return;
        }
        // Not yet past the grace: its service may be on its way to storage.
        if (IsServiceRef(parent) && Age(address) is { } age && age <= _grace)
        {
            return;
        }
        LogLeaked(logger, address.GetName());
        try
        {
            var uid = address.Metadata()["uid"]?.ToString();
            await allocator.IpAddresses.DeleteAsync(Cluster, address.GetName(), new DeleteOptions(new Preconditions(Uid: uid)), cancellationToken);
        }
        catch (StatusException e) when (e.Code is 404 or 409)
        {
            // Gone, or replaced meanwhile: the next pass looks again.
        }
    }

    private async Task RecreateAsync(IPAddress ip, string ns, string name, CancellationToken cancellationToken)
    {
        LogRecreated(logger, ip.ToString(), ns, name);
        await allocator.ReleaseAsync(ip, cancellationToken);
        await allocator.TryCreateAsync(ip, ns, name, cancellationToken);
    }

    private TimeSpan? Age(JsonObject address) =>
        DateTimeOffset.TryParse(address.Metadata()["creationTimestamp"]?.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created)
            ? _time.GetUtcNow() - created
            : null;

    // IPAddress names are canonical; a service's cluster IPs are compared in that form.
    private static bool Holds(JsonObject svc, string name) =>
        ServiceFields.ClusterIps(svc).Any(ip => IPAddress.TryParse(ip, out var parsed) && parsed.ToString() == name);

    private static bool IsServiceRef(JsonObject parent) =>
        (parent["group"]?.ToString() ?? "") == "" && parent["resource"]?.ToString() == "services";

    private static string? Label(JsonObject obj, string key) => obj.Metadata()["labels"]?[key]?.ToString();

    private static IEnumerable<JsonObject> Items(JsonObject list) => (list["items"] as JsonArray ?? []).OfType<JsonObject>();

    [LoggerMessage(1, LogLevel.Warning, "Cluster IP repair failed")]
    private static partial void LogRepairFailed(ILogger logger, Exception exception);

    [LoggerMessage(2, LogLevel.Warning, "The ClusterIP {Ip} of Service {Namespace}/{Name} is not within any service CIDR; please recreate")]
    private static partial void LogOutOfRange(ILogger logger, string ip, string @namespace, string name);

    [LoggerMessage(3, LogLevel.Warning, "The ClusterIP {Ip} of Service {Namespace}/{Name} is not allocated; repairing")]
    private static partial void LogNotAllocated(ILogger logger, string ip, string @namespace, string name);

    [LoggerMessage(4, LogLevel.Warning, "The ClusterIP {Ip} of Service {Namespace}/{Name} was assigned to Service {OtherNamespace}/{OtherName} too; please recreate")]
    private static partial void LogDuplicate(ILogger logger, string ip, string @namespace, string name, string otherNamespace, string otherName);

    [LoggerMessage(5, LogLevel.Warning, "The IPAddress {Ip} of Service {Namespace}/{Name} has a wrong reference or labels; repairing")]
    private static partial void LogRecreated(ILogger logger, string ip, string @namespace, string name);

    [LoggerMessage(6, LogLevel.Warning, "IPAddress {Ip} appears to have leaked: cleaning up")]
    private static partial void LogLeaked(ILogger logger, string ip);
}
