using System.Text.Json.Nodes;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Registry.Core.Services;
using Apiserver.Kube.Registry.Core.Services.Allocation;
using Microsoft.Extensions.Logging;
using ListOptions = Apiserver.Generic.Registry.Rest.ListOptions;

namespace Apiserver.Kube.Controllers;

/// <summary>
/// kube's node port repair controller: every pass marks as taken what the stored services hold (a
/// bitmap lost or written for another range is rebuilt), and frees what no service holds once it was
/// found unused in <c>leakPasses</c> passes in a row, so an allocation made by a replica whose write is
/// still on its way is not taken from it. Cluster IPs are IPAddress objects, which
/// <see cref="ClusterIpRepair"/> repairs; kube 1.34 keeps no cluster IP bitmap.
/// </summary>
internal sealed partial class ServiceAllocationRepair(ServiceStore services, ServiceAllocators allocators, ILogger logger, int leakPasses = 3)
{
    /// <summary>The post-start hook's name, as kube-apiserver's.</summary>
    public const string HookName = "start-service-ip-repair-controllers";

    private readonly Dictionary<int, int> _portLeaks = [];

    /// <summary>Repairs once now (the hook waits for it), then every <paramref name="interval"/> until cancelled.</summary>
    public async Task StartAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        await RepairOnceAsync(cancellationToken);
        _ = Periodic.RunAsync(interval, RepairOnceAsync, e => LogRepairFailed(logger, e), cancellationToken);
    }

    /// <summary>One pass over the node port allocator.</summary>
    public async Task RepairOnceAsync(CancellationToken cancellationToken)
    {
        var list = await services.ListAsync(new RequestContext(""), new ListOptions(), cancellationToken);
        var ports = new HashSet<int>();
        foreach (var svc in (list["items"] as JsonArray ?? []).OfType<JsonObject>())
        {
            foreach (var port in ServiceFields.NodePorts(svc))
            {
                if (allocators.PortRange.OffsetOf(port) is { } offset) ports.Add(offset);
            }
        }
        // Leaks are counted on a snapshot; setting and clearing bits is idempotent, so the CAS retries apply the same change.
        var portChange = Reconcile(await allocators.Ports.AllocatedAsync(cancellationToken), ports, _portLeaks);
        await allocators.Ports.UpdateAsync(_ => portChange, cancellationToken);
    }

    private (IEnumerable<int> Set, IEnumerable<int> Clear) Reconcile(IReadOnlySet<int> taken, HashSet<int> used, Dictionary<int, int> leaks)
    {
        var clear = new List<int>();
        foreach (var offset in taken.Where(o => !used.Contains(o)))
        {
            leaks[offset] = leaks.GetValueOrDefault(offset) + 1;
            if (leaks[offset] >= leakPasses)
            {
                clear.Add(offset);
            }
        }
        foreach (var offset in leaks.Keys.Where(o => used.Contains(o) || !taken.Contains(o) || clear.Contains(o)).ToList())
        {
            leaks.Remove(offset);
        }
        if (clear.Count > 0)
        {
            LogReleasedLeaks(logger, clear.Count);
        }
        return (used.Where(o => !taken.Contains(o)).ToList(), clear);
    }

    [LoggerMessage(1, LogLevel.Warning, "Service allocation repair failed")]
    private static partial void LogRepairFailed(ILogger logger, Exception exception);

    [LoggerMessage(2, LogLevel.Information, "Released {Count} leaked node ports")]
    private static partial void LogReleasedLeaks(ILogger logger, int count);
}
