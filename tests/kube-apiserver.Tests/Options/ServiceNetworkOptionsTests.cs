using System.CommandLine;
using KubeApiserver.Options;
using NUnit.Framework;

namespace KubeApiserver.Tests.Options;

/// <summary><c>--service-cluster-ip-range</c>: one CIDR, or two of different families for a dual-stack cluster.</summary>
[TestFixture]
public sealed class ServiceNetworkOptionsTests
{
    private static KubeApiserverOptions Parse(params string[] args)
    {
        var command = new RootCommand();
        KubeApiserverOptions.AddTo(command);
        var result = command.Parse(args);
        Assert.That(result.Errors, Is.Empty);
        return KubeApiserverOptions.Read(result);
    }

    [Test]
    public void OneCidr_IsASingleStackCluster()
    {
        var options = Parse("--service-cluster-ip-range", "10.96.0.0/16");
        Assert.That(options.Validate(), Is.Empty);
        var config = options.ServiceNetwork.ToConfig(() => null);
        Assert.That(config.ClusterIpRange.Cidr, Is.EqualTo("10.96.0.0/16"));
        Assert.That(config.SecondaryClusterIpRange, Is.Null);
    }

    [TestCase("10.96.0.0/16,fd00:10:96::/112", "10.96.0.0/16", "fd00:10:96::/112")]
    [TestCase("fd00:10:96::/112, 10.96.0.0/16", "fd00:10:96::/112", "10.96.0.0/16")]
    // kube 1.34 keeps no bitmap, so the old /12 and /108 size limits are gone.
    [TestCase("10.0.0.0/8,fd00::/64", "10.0.0.0/8", "fd00::/64")]
    public void TwoCidrsOfDifferentFamilies_AreADualStackClusterPrimaryFirst(string flag, string primary, string secondary)
    {
        var options = Parse("--service-cluster-ip-range", flag);
        Assert.That(options.Validate(), Is.Empty);
        var config = options.ServiceNetwork.ToConfig(() => null);
        Assert.That(config.ClusterIpRange.Cidr, Is.EqualTo(primary));
        Assert.That(config.SecondaryClusterIpRange!.Cidr, Is.EqualTo(secondary));
    }

    [TestCase("10.96.0.0/16,10.97.0.0/16", "--service-cluster-ip-range[0] and --service-cluster-ip-range[1] must be of different IP family")]
    [TestCase("10.96.0.0/16,fd00::/112,10.97.0.0/16", "--service-cluster-ip-range must not contain more than two entries")]
    public void InvalidRanges_AreRejectedWithKubesReason(string flag, string reason)
    {
        var problems = Parse("--service-cluster-ip-range", flag).Validate();
        Assert.That(problems, Is.EqualTo(new[] { $"--service-cluster-ip-range \"{flag}\": {reason}" }));
    }
}
