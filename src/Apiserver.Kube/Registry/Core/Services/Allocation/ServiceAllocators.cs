using System.Net;
using Apiserver.Generic.Storage;

namespace Apiserver.Kube.Registry.Core.Services.Allocation;

/// <summary>
/// The cluster IP and node port allocators over storage, with kube's error messages
/// (<c>pkg/registry/core/service/ipallocator</c> and <c>portallocator</c>).
/// </summary>
internal sealed class ServiceAllocators(ServiceNetworkConfig network, IStorage storage, string prefix)
{
    /// <summary>kube's message when an asked-for value is taken.</summary>
    public const string IpAllocated = "provided IP is already allocated", PortAllocated = "provided port is already allocated";

    /// <summary>
    /// One allocator per configured family, the primary first; the secondary range of a dual-stack
    /// cluster keeps its bitmap where kube keeps it (<c>ranges/secondaryserviceips</c>).
    /// </summary>
    public IReadOnlyList<IpFamilyAllocator> IpFamilies { get; } =
    [
        new(network.ClusterIpRange, new(storage, $"{prefix.TrimEnd('/')}/ranges/serviceips", network.ClusterIpRange.Cidr, network.ClusterIpRange.Size)),
        .. network.SecondaryClusterIpRange is { } secondary
            ? [new IpFamilyAllocator(secondary, new(storage, $"{prefix.TrimEnd('/')}/ranges/secondaryserviceips", secondary.Cidr, secondary.Size))]
            : Array.Empty<IpFamilyAllocator>(),
    ];

    /// <summary>The primary family's bitmap.</summary>
    public AllocationBitmap Ips => IpFamilies[0].Bitmap;

    public AllocationBitmap Ports { get; } = new(storage, $"{prefix.TrimEnd('/')}/ranges/servicenodeports", network.NodePortRange.ToString(), network.NodePortRange.Size);

    /// <summary>The primary cluster IP range.</summary>
    public ServiceIpRange IpRange => IpFamilies[0].Range;

    /// <summary>Whether both families are configured.</summary>
    public bool DualStack => IpFamilies.Count > 1;

    public NodePortRange PortRange => network.NodePortRange;

    public ServiceNetworkConfig Network => network;

    /// <summary>The allocator of a family (<c>IPv4</c>, <c>IPv6</c>), or null when the cluster has none.</summary>
    public IpFamilyAllocator? Family(string family) => IpFamilies.FirstOrDefault(f => f.Range.FamilyName == family);

    /// <summary>Takes <paramref name="ip"/> from its family's range: null on success, else why not.</summary>
    public async Task<string?> AllocateIpAsync(IPAddress ip, CancellationToken cancellationToken)
    {
        var family = Family(ServiceIpRange.FamilyNameOf(ip)) ?? IpFamilies[0];
        if (family.Range.OffsetOf(ip) is not { } offset)
        {
            return $"the provided IP ({ip}) is not in the valid range. The range of valid IPs is {family.Range.Cidr}";
        }
        return await family.Bitmap.AllocateAsync(offset, cancellationToken) ? null : IpAllocated;
    }

    /// <summary>A free cluster IP of <paramref name="family"/>'s range, now taken; null when the range is full.</summary>
    public static async Task<IPAddress?> AllocateNextIpAsync(IpFamilyAllocator family, CancellationToken cancellationToken) =>
        await family.Bitmap.AllocateNextAsync(family.Range.StaticBand, cancellationToken) is { } offset ? family.Range.At(offset) : null;

    /// <summary>Frees <paramref name="ip"/> (nothing when outside every range).</summary>
    public async Task ReleaseIpAsync(IPAddress ip, CancellationToken cancellationToken)
    {
        foreach (var family in IpFamilies)
        {
            if (family.Range.OffsetOf(ip) is { } offset)
            {
                await family.Bitmap.ReleaseAsync(offset, cancellationToken);
            }
        }
    }

    /// <summary>Takes <paramref name="port"/>: null on success, else why not.</summary>
    public async Task<string?> AllocatePortAsync(long port, CancellationToken cancellationToken)
    {
        if (PortRange.OffsetOf(port) is not { } offset)
        {
            return $"provided port is not in the valid range. The range of valid ports is {PortRange}";
        }
        return await Ports.AllocateAsync(offset, cancellationToken) ? null : PortAllocated;
    }

    /// <summary>A free node port, now taken; null when the range is full.</summary>
    public async Task<int?> AllocateNextPortAsync(CancellationToken cancellationToken) =>
        await Ports.AllocateNextAsync(PortRange.StaticBand, cancellationToken) is { } offset ? PortRange.Base + offset : null;

    /// <summary>Frees <paramref name="port"/> (nothing when outside the range).</summary>
    public Task ReleasePortAsync(long port, CancellationToken cancellationToken) =>
        PortRange.OffsetOf(port) is { } offset ? Ports.ReleaseAsync(offset, cancellationToken) : Task.CompletedTask;
}

/// <summary>One family's cluster IP range and the bitmap of its taken addresses.</summary>
/// <param name="Range">The range.</param>
/// <param name="Bitmap">Its allocations in storage.</param>
internal sealed record IpFamilyAllocator(ServiceIpRange Range, AllocationBitmap Bitmap);
