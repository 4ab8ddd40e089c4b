using System.Net;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Storage;
using ListOptions = Apiserver.Generic.Registry.Rest.ListOptions;
using StorageListOptions = Apiserver.Generic.Storage.ListOptions;

namespace Apiserver.Kube.Registry.Core.Services.Allocation;

/// <summary>
/// kube 1.34's cluster IP allocator (MultiCIDRServiceAllocator, <c>ipallocator.go</c> and
/// <c>cidrallocator.go</c>): a cluster IP is taken by creating the IPAddress object named after it, so
/// storage's create-if-absent makes it exclusive across replicas, and it is given back by deleting that
/// object. Addresses come from any ServiceCIDR that is ready and not being deleted, so an administrator
/// extends the range by adding a ServiceCIDR.
/// </summary>
/// <param name="ipAddresses">The IPAddress objects.</param>
/// <param name="serviceCidrs">The ServiceCIDR objects.</param>
/// <param name="storage">The storage under <paramref name="ipAddresses"/>, whose keys say which addresses are taken without decoding them.</param>
internal sealed class ClusterIpAllocator(GenericStore ipAddresses, GenericStore serviceCidrs, IStorage storage)
{
    /// <summary>kube's <c>ipallocator.ControllerName</c>, the value of <see cref="ManagedByLabel"/>.</summary>
    public const string ControllerName = "ipallocator.k8s.io";

    /// <summary>The labels kube's allocator puts on the IPAddresses it creates.</summary>
    public const string FamilyLabel = "ipaddress.kubernetes.io/ip-family", ManagedByLabel = "ipaddress.kubernetes.io/managed-by";

    /// <summary>kube's message for an asked-for address outside every ready ServiceCIDR (<c>ErrMismatchedNetwork</c>).</summary>
    public const string MismatchedNetwork = "the provided network does not match the current range";

    private static readonly RequestContext Cluster = new("");

    /// <summary>The IPAddress objects.</summary>
    public GenericStore IpAddresses => ipAddresses;

    /// <summary>
    /// The ranges of the stored ServiceCIDRs; with <paramref name="allocatable"/>, only those of ServiceCIDRs
    /// that are not being deleted and whose Ready condition is absent (the controller manager may not run)
    /// or True, as kube's MetaAllocator chooses them.
    /// </summary>
    public async Task<IReadOnlyList<ServiceCidrRange>> RangesAsync(bool allocatable, CancellationToken cancellationToken)
    {
        var list = await serviceCidrs.ListAsync(Cluster, new ListOptions(), cancellationToken);
        var ranges = new List<ServiceCidrRange>();
        foreach (var cidr in (list["items"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (allocatable && (cidr.Metadata()["deletionTimestamp"] is not null || !IsReady(cidr)))
            {
                continue;
            }
            foreach (var value in cidr["spec"]?["cidrs"] as JsonArray ?? [])
            {
                if (value?.ToString() is { } text && ServiceCidrRange.TryParse(text) is { } range) ranges.Add(range);
            }
        }
        return ranges;
    }

    /// <summary>
    /// Takes <paramref name="ip"/> for the service <paramref name="ns"/>/<paramref name="name"/> (only checks
    /// that a ServiceCIDR holds it under <paramref name="dryRun"/>): null on success, else kube's reason.
    /// </summary>
    public async Task<string?> AllocateAsync(IPAddress ip, string ns, string name, bool dryRun, CancellationToken cancellationToken)
    {
        if (!(await RangesAsync(allocatable: true, cancellationToken)).Any(r => r.Contains(ip)))
        {
            return MismatchedNetwork;
        }
        // Like kube's dry-run allocator, a dry run checks the range only.
        if (dryRun)
        {
            return null;
        }
        return await TryCreateAsync(ip, ns, name, cancellationToken) ? null : ServiceAllocators.IpAllocated;
    }

    /// <summary>
    /// A free address of <paramref name="family"/> from the allocatable ServiceCIDRs, now held by the
    /// service <paramref name="ns"/>/<paramref name="name"/> (under <paramref name="dryRun"/>, the first
    /// range's network address, as kube answers); null when every range is full.
    /// </summary>
    public async Task<IPAddress?> AllocateNextAsync(string family, string ns, string name, bool dryRun, CancellationToken cancellationToken)
    {
        var ranges = (await RangesAsync(allocatable: true, cancellationToken)).Where(r => r.FamilyName == family).ToList();
        if (ranges.Count == 0)
        {
            return null;
        }
        // kube's dry run does not look for a free address (racy, it says): it answers the range's network address.
        if (dryRun)
        {
            return ranges[0].Network;
        }
        var prefix = ipAddresses.PrefixFor("");
        var keys = await storage.ListAsync(prefix, new StorageListOptions(), cancellationToken);
        var taken = keys.Items.Select(kv => kv.Key[prefix.Length..]).ToHashSet(StringComparer.Ordinal);
        foreach (var range in ranges)
        {
            foreach (var ip in range.Candidates())
            {
                if (!taken.Add(ip.ToString()))
                {
                    continue;
                }
                // Another replica may have taken it since the list: then try the next one.
                if (await TryCreateAsync(ip, ns, name, cancellationToken))
                {
                    return ip;
                }
            }
        }
        return null;
    }

    /// <summary>Gives <paramref name="ip"/> back by deleting its IPAddress (nothing when there is none).</summary>
    public async Task ReleaseAsync(IPAddress ip, CancellationToken cancellationToken)
    {
        try
        {
            await ipAddresses.DeleteAsync(Cluster, ip.ToString(), new DeleteOptions(), cancellationToken);
        }
        catch (StatusException e) when (e.Code == 404)
        {
        }
    }

    /// <summary>The IPAddress kube's allocator creates for a cluster IP of the service <paramref name="ns"/>/<paramref name="name"/>.</summary>
    public static JsonObject NewIpAddress(IPAddress ip, string ns, string name) => new()
    {
        ["kind"] = "IPAddress",
        ["apiVersion"] = "networking.k8s.io/v1",
        ["metadata"] = new JsonObject
        {
            ["name"] = ip.ToString(),
            ["labels"] = new JsonObject
            {
                [FamilyLabel] = ServiceIpRange.FamilyNameOf(ip),
                [ManagedByLabel] = ControllerName,
            },
        },
        ["spec"] = new JsonObject
        {
            ["parentRef"] = new JsonObject { ["group"] = "", ["resource"] = "services", ["namespace"] = ns, ["name"] = name },
        },
    };

    /// <summary>Creates the IPAddress of <paramref name="ip"/>; false when it exists already.</summary>
    public async Task<bool> TryCreateAsync(IPAddress ip, string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            await ipAddresses.CreateAsync(Cluster, NewIpAddress(ip, ns, name), new CreateOptions(), cancellationToken);
            return true;
        }
        catch (StatusException e) when (e.Code == 409)
        {
            return false;
        }
    }

    private static bool IsReady(JsonObject serviceCidr) =>
        (serviceCidr["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(c => c["type"]?.ToString() == "Ready") is not { } ready
        || ready["status"]?.ToString() == "True";
}
