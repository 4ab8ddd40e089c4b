using System.Net;
using Apiserver.Kube.Registry.Core.Services.Allocation;

namespace Apiserver.Kube.Registry.Core.Services;

/// <summary>
/// Where services get their addresses: the cluster IP ranges (<c>--service-cluster-ip-range</c>), the
/// node port range (<c>--service-node-port-range</c>), and the endpoint the <c>kubernetes</c> service
/// points at.
/// </summary>
public sealed record ServiceNetworkConfig
{
    /// <summary>The cluster IP range; kube's default is <c>10.0.0.0/24</c>.</summary>
    public ServiceIpRange ClusterIpRange { get; init; } = ServiceIpRange.Parse("10.0.0.0/24");

    /// <summary>
    /// The range of the other IP family on a dual-stack cluster (the second CIDR of
    /// <c>--service-cluster-ip-range</c>), or null for a single-stack one.
    /// </summary>
    public ServiceIpRange? SecondaryClusterIpRange { get; init; }

    /// <summary>The node port range; kube's default is <c>30000-32767</c>.</summary>
    public NodePortRange NodePortRange { get; init; } = NodePortRange.Default;

    /// <summary>
    /// The address and port the <c>kubernetes</c> service's endpoints name (kube's advertise address
    /// and secure port), read once the server listens; null leaves the endpoints alone.
    /// </summary>
    public Func<IPEndPoint?> ApiserverEndpoint { get; init; } = () => null;
}
