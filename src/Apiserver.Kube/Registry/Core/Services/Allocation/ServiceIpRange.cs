using System.Net;
using System.Net.Sockets;
using System.Numerics;

namespace Apiserver.Kube.Registry.Core.Services.Allocation;

/// <summary>
/// A service CIDR of <c>--service-cluster-ip-range</c>: it names a family the cluster serves and
/// becomes the default ServiceCIDR, from which (with any other ServiceCIDR) cluster IPs are allocated.
/// Its first address after the network address is the <c>kubernetes</c> service's. As kube 1.34, whose
/// allocator no longer keeps a bitmap, its size is not limited to a /12 (IPv4) or /108 (IPv6).
/// </summary>
public sealed class ServiceIpRange
{
    private readonly BigInteger _network;

    private ServiceIpRange(string cidr, IPAddress network, int prefix)
    {
        Cidr = cidr;
        Family = network.AddressFamily;
        Prefix = prefix;
        _network = ToNumber(network);
    }

    /// <summary>The range as written, normalised (<c>10.0.0.0/24</c>).</summary>
    public string Cidr { get; }

    /// <summary>IPv4 or IPv6.</summary>
    public AddressFamily Family { get; }

    /// <summary>The kube name of the family: <c>IPv4</c> or <c>IPv6</c>.</summary>
    public string FamilyName => Family == AddressFamily.InterNetwork ? "IPv4" : "IPv6";

    /// <summary>The kube family name of an address (an IPv4-mapped IPv6 address is IPv4).</summary>
    public static string FamilyNameOf(IPAddress ip) =>
        ip.AddressFamily == AddressFamily.InterNetwork || ip.IsIPv4MappedToIPv6 ? "IPv4" : "IPv6";

    /// <summary>The prefix length.</summary>
    public int Prefix { get; }


    /// <summary>Parses a CIDR; throws <see cref="FormatException"/> with kube's wording when it is not usable.</summary>
    public static ServiceIpRange Parse(string cidr)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPAddress.TryParse(cidr[..slash], out var address) || !int.TryParse(cidr[(slash + 1)..], out var prefix))
        {
            throw new FormatException($"invalid CIDR address: {cidr}");
        }
        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (prefix < 0 || prefix > bits)
        {
            throw new FormatException($"invalid CIDR address: {cidr}");
        }
        if (bits - prefix < 2)
        {
            throw new FormatException($"specified --service-cluster-ip-range {cidr} is too small to hold any service IP");
        }
        var mask = ((BigInteger.One << bits) - 1) ^ ((BigInteger.One << (bits - prefix)) - 1);
        var network = FromNumber(ToNumber(address) & mask, address.AddressFamily);
        return new ServiceIpRange($"{network}/{prefix}", network, prefix);
    }

    /// <summary>The address at <paramref name="offset"/>.</summary>
    public IPAddress At(int offset) => FromNumber(_network + 1 + offset, Family);

    /// <summary>An address as an unsigned number.</summary>
    internal static BigInteger ToNumber(IPAddress ip) => new(ip.GetAddressBytes(), isUnsigned: true, isBigEndian: true);

    /// <summary>The address of <paramref name="family"/> whose number is <paramref name="value"/>.</summary>
    internal static IPAddress FromNumber(BigInteger value, AddressFamily family)
    {
        var length = family == AddressFamily.InterNetwork ? 4 : 16;
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var padded = new byte[length];
        bytes.CopyTo(padded, length - bytes.Length);
        return new IPAddress(padded);
    }
}
