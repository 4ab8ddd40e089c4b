using System.Net;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Kube.Registry.Apps;
using static Apiserver.Kube.Registry.Core.Services.ServiceFields;

namespace Apiserver.Kube.Registry.Core.Services.Allocation;

/// <summary>
/// What one create or update of a service takes from the allocators (kube's
/// <c>pkg/registry/core/service/storage/alloc.go</c>): the cluster IP and node ports the new
/// object needs that the old one did not hold. Rolled back when the write fails. Under
/// <paramref name="dryRun"/> cluster IPs are only checked and chosen, never taken, so a dry run creates
/// no IPAddress that watchers would see.
/// </summary>
/// <param name="allocators">The allocators.</param>
/// <param name="ns">The service's namespace, which its IPAddresses' parent reference names.</param>
/// <param name="dryRun">Whether the write is a dry run.</param>
internal sealed class ServiceAllocation(ServiceAllocators allocators, string ns, bool dryRun)
{
    private readonly List<IPAddress> _ips = [];
    private readonly List<long> _ports = [];

    /// <summary>Allocates into <paramref name="svc"/> what it needs beyond <paramref name="old"/> (null on create); throws kube's 422 or 500.</summary>
    public async Task AllocateAsync(JsonObject svc, JsonObject? old, CancellationToken cancellationToken)
    {
        var spec = Spec(svc);
        if (NeedsClusterIp(svc))
        {
            new IpFamilyDefaults(allocators).Apply(svc, old is not null && NeedsClusterIp(old) ? old : null);
            await AllocateClusterIpsAsync(svc, spec, old is not null && NeedsClusterIp(old) ? ClusterIps(old) : [], cancellationToken);
        }
        if (NeedsNodePorts(svc))
        {
            await AllocateNodePortsAsync(svc, old is not null ? NodePorts(old) : new HashSet<long>(), cancellationToken);
        }
    }

    /// <summary>Gives back what <see cref="AllocateAsync"/> took.</summary>
    public async Task RollbackAsync()
    {
        foreach (var ip in _ips) await allocators.ClusterIps.ReleaseAsync(ip, CancellationToken.None);
        foreach (var port in _ports) await allocators.ReleasePortAsync(port, CancellationToken.None);
        _ips.Clear();
        _ports.Clear();
    }

    /// <summary>Frees what <paramref name="old"/> held that <paramref name="now"/> (null once deleted) does not.</summary>
    public static async Task ReleaseUnusedAsync(ServiceAllocators allocators, JsonObject old, JsonObject? now, CancellationToken cancellationToken)
    {
        var kept = now is not null && NeedsClusterIp(now) ? ClusterIps(now) : [];
        foreach (var ip in ClusterIps(old).Except(kept))
        {
            if (IPAddress.TryParse(ip, out var address)) await allocators.ClusterIps.ReleaseAsync(address, cancellationToken);
        }
        var keptPorts = now is not null ? NodePorts(now) : new HashSet<long>();
        foreach (var port in NodePorts(old).Except(keptPorts))
        {
            await allocators.ReleasePortAsync(port, cancellationToken);
        }
    }

    // One cluster IP per family of spec.ipFamilies (set by IpFamilyDefaults): the asked-for ones
    // taken unless the old object held them, the missing ones taken from their family's range.
    private async Task AllocateClusterIpsAsync(JsonObject svc, JsonObject spec, IReadOnlyList<string> held, CancellationToken cancellationToken)
    {
        var ips = ClusterIps(svc);
        if (ips is [None, ..])
        {
            spec["clusterIPs"] = new JsonArray(None);
            return;
        }
        var families = (spec["ipFamilies"] as JsonArray ?? []).Select(f => f?.ToString() ?? "").ToList();
        var result = new List<string>(ips);
        for (var i = 0; i < families.Count; i++)
        {
            if (i >= ips.Count)
            {
                var next = await allocators.ClusterIps.AllocateNextAsync(families[i], ns, svc.GetName(), dryRun, cancellationToken)
                    ?? throw StatusException.Internal("Internal error occurred: failed to allocate a serviceIP: range is full");
                if (!dryRun) _ips.Add(next);
                result.Add(next.ToString());
                continue;
            }
            if (held.Contains(ips[i]))
            {
                continue;
            }
            var address = IPAddress.Parse(ips[i]);
            if (await allocators.ClusterIps.AllocateAsync(address, ns, svc.GetName(), dryRun, cancellationToken) is { } problem)
            {
                throw StatusException.Invalid(ServiceResource.Definition.Kind, svc.GetName(),
                    [FieldError.Invalid("spec.clusterIPs", new JsonArray([.. ips.Select(ip => (JsonNode)ip)]), $"failed to allocate IP {ips[i]}: {problem}")]);
            }
            if (!dryRun) _ips.Add(address);
        }
        spec["clusterIP"] = result[0];
        spec["clusterIPs"] = new JsonArray([.. result.Select(ip => (JsonNode)ip)]);
    }

    private async Task AllocateNodePortsAsync(JsonObject svc, IReadOnlySet<long> held, CancellationToken cancellationToken)
    {
        var ports = Ports(svc).ToList();
        var taken = new HashSet<long>();
        var errors = new List<FieldError>();
        for (var i = 0; i < ports.Count; i++)
        {
            var nodePort = WorkloadValidation.Integer(ports[i]["nodePort"]) ?? 0;
            if (nodePort == 0 || held.Contains(nodePort) || !taken.Add(nodePort))
            {
                continue;
            }
            if (await allocators.AllocatePortAsync(nodePort, cancellationToken) is { } problem)
            {
                errors.Add(FieldError.Invalid($"spec.ports[{i}].nodePort", JsonValue.Create(nodePort), problem));
                continue;
            }
            _ports.Add(nodePort);
        }
        if (errors.Count > 0)
        {
            throw StatusException.Invalid(ServiceResource.Definition.Kind, svc.GetName(), errors);
        }
        foreach (var port in ports.Where(p => (WorkloadValidation.Integer(p["nodePort"]) ?? 0) == 0))
        {
            var next = await allocators.AllocateNextPortAsync(cancellationToken)
                ?? throw StatusException.Internal("Internal error occurred: failed to allocate a nodePort: range is full");
            _ports.Add(next);
            port["nodePort"] = next;
        }
    }
}
