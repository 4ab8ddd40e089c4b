using System.CommandLine;
using Apiserver.Kube.Registry.Core.Services;
using Apiserver.Kube.Registry.Core.Services.Allocation;

namespace KubeApiserver.Options;

/// <summary>The addresses services get: cluster IPs and node ports.</summary>
public sealed record ServiceNetworkOptions
{
    private static readonly Option<string> ClusterIpRangeOption = new("--service-cluster-ip-range")
    {
        Description = "A CIDR notation IP range from which to assign service cluster IPs. This must not overlap with any IP ranges assigned to nodes or pods. Max of two dual-stack CIDRs is allowed.",
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
            ClusterIpRanges();
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

    // One CIDR, or two of different families (dual-stack, primary first), as kube validates the flag.
    private (ServiceIpRange Primary, ServiceIpRange? Secondary) ClusterIpRanges()
    {
        var cidrs = ClusterIpRange.Split(',', StringSplitOptions.TrimEntries);
        if (cidrs.Length > 2)
        {
            throw new FormatException("--service-cluster-ip-range must not contain more than two entries");
        }
        var primary = ServiceIpRange.Parse(cidrs[0]);
        if (cidrs.Length == 1)
        {
            return (primary, null);
        }
        var secondary = ServiceIpRange.Parse(cidrs[1]);
        if (secondary.Family == primary.Family)
        {
            throw new FormatException("--service-cluster-ip-range[0] and --service-cluster-ip-range[1] must be of different IP family");
        }
        return (primary, secondary);
    }

    /// <summary>The configuration the kube server takes; <paramref name="endpoint"/> says where the <c>kubernetes</c> service points.</summary>
    internal ServiceNetworkConfig ToConfig(Func<System.Net.IPEndPoint?> endpoint)
    {
        var (primary, secondary) = ClusterIpRanges();
        return new()
        {
            ClusterIpRange = primary,
            SecondaryClusterIpRange = secondary,
            NodePortRange = Apiserver.Kube.Registry.Core.Services.Allocation.NodePortRange.Parse(NodePortRange),
            ApiserverEndpoint = endpoint,
        };
    }
}
