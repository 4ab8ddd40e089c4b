using System.CommandLine;
using Apiserver.Kube.Registry.Core.Services;
using Apiserver.Kube.Registry.Core.Services.Allocation;

namespace KubeApiserver.Options;

/// <summary>The addresses services get: cluster IPs and node ports.</summary>
public sealed record ServiceNetworkOptions
{
    private static readonly Option<string> ClusterIpRangeOption = new("--service-cluster-ip-range")
    {
        Description = "A CIDR notation IP range from which to assign service cluster IPs. This must not overlap with any IP ranges assigned to nodes or pods. Max of two dual-stack CIDRs is allowed (this server serves one).",
        DefaultValueFactory = _ => "10.0.0.0/24",
    };
    private static readonly Option<string> NodePortRangeOption = new("--service-node-port-range")
    {
        Description = "A port range to reserve for services with NodePort visibility. This must not overlap with the ephemeral port range on nodes. Example: '30000-32767'. Inclusive at both ends of the range.",
        DefaultValueFactory = _ => "30000-32767",
    };

    /// <summary>The service cluster IP range.</summary>
    public string ClusterIpRange { get; init; } = "10.0.0.0/24";
    /// <summary>The node port range.</summary>
    public string NodePortRange { get; init; } = "30000-32767";

    internal static IEnumerable<Option> All => [ClusterIpRangeOption, NodePortRangeOption];

    internal static ServiceNetworkOptions Read(ParseResult result) => new()
    {
        ClusterIpRange = result.GetValue(ClusterIpRangeOption)!,
        NodePortRange = result.GetValue(NodePortRangeOption)!,
    };

    internal IEnumerable<string> Validate()
    {
        var problems = new List<string>();
        try
        {
            ServiceIpRange.Parse(ClusterIpRange);
        }
        catch (FormatException e)
        {
            problems.Add($"--service-cluster-ip-range \"{ClusterIpRange}\": {e.Message}");
        }
        try
        {
            Apiserver.Kube.Registry.Core.Services.Allocation.NodePortRange.Parse(NodePortRange);
        }
        catch (FormatException e)
        {
            problems.Add($"--service-node-port-range \"{NodePortRange}\": {e.Message}");
        }
        return problems;
    }

    /// <summary>The configuration the kube server takes; <paramref name="endpoint"/> says where the <c>kubernetes</c> service points.</summary>
    internal ServiceNetworkConfig ToConfig(Func<System.Net.IPEndPoint?> endpoint) => new()
    {
        ClusterIpRange = ServiceIpRange.Parse(ClusterIpRange),
        NodePortRange = Apiserver.Kube.Registry.Core.Services.Allocation.NodePortRange.Parse(NodePortRange),
        ApiserverEndpoint = endpoint,
    };
}
