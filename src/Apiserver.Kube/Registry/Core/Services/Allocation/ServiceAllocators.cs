using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Storage;
using Apiserver.Kube.Registry.Networking.IpAddresses;
using Apiserver.Kube.Registry.Networking.ServiceCidrs;

namespace Apiserver.Kube.Registry.Core.Services.Allocation;

/// <summary>
/// The cluster IP and node port allocators over storage, with kube's error messages
/// (<c>pkg/registry/core/service/ipallocator</c> and <c>portallocator</c>). Cluster IPs are IPAddress
/// objects allocated from the ServiceCIDRs (kube 1.34, which no longer writes the old per-family
/// bitmaps either); node ports keep kube's bitmap.
/// </summary>
internal sealed class ServiceAllocators(ServiceNetworkConfig network, IStorage storage, string prefix)
{
    /// <summary>kube's message when an asked-for value is taken.</summary>
    public const string IpAllocated = "provided IP is already allocated", PortAllocated = "provided port is already allocated";

    /// <summary>
    /// The families the cluster serves (<c>--service-cluster-ip-range</c>), the primary first: what a
    /// service may ask for, whatever ServiceCIDRs exist.
    /// </summary>
    public IReadOnlyList<ServiceIpRange> IpRanges { get; } =
        network.SecondaryClusterIpRange is { } secondary ? [network.ClusterIpRange, secondary] : [network.ClusterIpRange];

    /// <summary>The cluster IP allocator over IPAddresses and ServiceCIDRs.</summary>
    public ClusterIpAllocator ClusterIps { get; } = new(
        new GenericStore(IpAddressResource.Definition, storage, prefix),
        new GenericStore(ServiceCidrResource.Definition, storage, prefix),
        storage);

    public AllocationBitmap Ports { get; } = new(storage, $"{prefix.TrimEnd('/')}/ranges/servicenodeports", network.NodePortRange.ToString(), network.NodePortRange.Size);

    /// <summary>The primary cluster IP range.</summary>
    public ServiceIpRange IpRange => IpRanges[0];

    /// <summary>Whether both families are configured.</summary>
    public bool DualStack => IpRanges.Count > 1;

    public NodePortRange PortRange => network.NodePortRange;

    public ServiceNetworkConfig Network => network;

    /// <summary>The configured range of a family (<c>IPv4</c>, <c>IPv6</c>), or null when the cluster has none.</summary>
    public ServiceIpRange? Family(string family) => IpRanges.FirstOrDefault(f => f.FamilyName == family);

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
