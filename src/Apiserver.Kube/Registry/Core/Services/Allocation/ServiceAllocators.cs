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

    public AllocationBitmap Ips { get; } = new(storage, $"{prefix.TrimEnd('/')}/ranges/serviceips", network.ClusterIpRange.Cidr, network.ClusterIpRange.Size);

    public AllocationBitmap Ports { get; } = new(storage, $"{prefix.TrimEnd('/')}/ranges/servicenodeports", network.NodePortRange.ToString(), network.NodePortRange.Size);

    public ServiceIpRange IpRange => network.ClusterIpRange;

    public NodePortRange PortRange => network.NodePortRange;

    public ServiceNetworkConfig Network => network;

    /// <summary>Takes <paramref name="ip"/>: null on success, else why not.</summary>
    public async Task<string?> AllocateIpAsync(IPAddress ip, CancellationToken cancellationToken)
    {
        if (IpRange.OffsetOf(ip) is not { } offset)
        {
            return $"the provided IP ({ip}) is not in the valid range. The range of valid IPs is {IpRange.Cidr}";
        }
        return await Ips.AllocateAsync(offset, cancellationToken) ? null : IpAllocated;
    }

    /// <summary>A free cluster IP, now taken; null when the range is full.</summary>
    public async Task<IPAddress?> AllocateNextIpAsync(CancellationToken cancellationToken) =>
        await Ips.AllocateNextAsync(IpRange.StaticBand, cancellationToken) is { } offset ? IpRange.At(offset) : null;

    /// <summary>Frees <paramref name="ip"/> (nothing when outside the range).</summary>
    public Task ReleaseIpAsync(IPAddress ip, CancellationToken cancellationToken) =>
        IpRange.OffsetOf(ip) is { } offset ? Ips.ReleaseAsync(offset, cancellationToken) : Task.CompletedTask;

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
