using System.Net;
using System.Net.Sockets;
using System.Numerics;
using System.Security.Cryptography;

namespace Apiserver.Kube.Registry.Core.Services.Allocation;

/// <summary>
/// One CIDR of a ServiceCIDR object as kube's IPAddress allocator sees it: the addresses from the one
/// after the network address to the last (the one before the broadcast address for IPv4), split, when
/// the prefix holds more than 16 addresses, into a low static band and the dynamic band above it that
/// automatic allocation tries first (KEP-3070). Sizes are big integers: an IPv6 range may be a /64.
/// </summary>
internal sealed class ServiceCidrRange
{
    private readonly BigInteger _first, _last;
    private readonly int _staticBand;

    private ServiceCidrRange(string cidr, AddressFamily family, BigInteger network, int hostBits)
    {
        Cidr = cidr;
        Family = family;
        var total = BigInteger.One << hostBits;
        Network = ServiceIpRange.FromNumber(network, family);
        _first = network + 1;
        _last = network + total - (family == AddressFamily.InterNetwork ? 2 : 1);
        // kube's calculateRangeOffset: min(max(16, size/16), 256) over the prefix's size, none up to 16 addresses.
        _staticBand = total <= 16 ? 0 : (int)BigInteger.Min(BigInteger.Max(16, total / 16), 256);
    }

    /// <summary>The CIDR as the ServiceCIDR spells it.</summary>
    public string Cidr { get; }

    /// <summary>The network address (never allocated).</summary>
    public IPAddress Network { get; }

    /// <summary>IPv4 or IPv6.</summary>
    public AddressFamily Family { get; }

    /// <summary>The kube name of the family.</summary>
    public string FamilyName => Family == AddressFamily.InterNetwork ? "IPv4" : "IPv6";

    /// <summary>
    /// The range of a CIDR in canonical form, or null when the allocator cannot serve it (malformed, no
    /// allocatable address, or an IPv6 prefix shorter than kube's /64 minimum).
    /// </summary>
    public static ServiceCidrRange? TryParse(string cidr)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPAddress.TryParse(cidr[..slash], out var address) || !int.TryParse(cidr[(slash + 1)..], out var prefix))
        {
            return null;
        }
        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (prefix < 0 || prefix > bits - 2 || (bits == 128 && prefix < 64))
        {
            return null;
        }
        var hostBits = bits - prefix;
        var network = ServiceIpRange.ToNumber(address) >> hostBits << hostBits;
        return new ServiceCidrRange(cidr, address.AddressFamily, network, hostBits);
    }

    /// <summary>Whether <paramref name="ip"/> is one of the range's allocatable addresses.</summary>
    public bool Contains(IPAddress ip)
    {
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        if (ip.AddressFamily != Family)
        {
            return false;
        }
        var value = ServiceIpRange.ToNumber(ip);
        return value >= _first && value <= _last;
    }

    /// <summary>
    /// Every allocatable address once: the dynamic band from a random start (wrapping round), then the
    /// static band from a random start, as kube's allocator walks them.
    /// </summary>
    public IEnumerable<IPAddress> Candidates()
    {
        var split = _first + _staticBand;
        foreach (var ip in Walk(split, _last)) yield return ip;
        if (_staticBand > 0)
        {
            foreach (var ip in Walk(_first, split - 1)) yield return ip;
        }
    }

    private IEnumerable<IPAddress> Walk(BigInteger from, BigInteger to)
    {
        var count = to - from + 1;
        if (count <= 0)
        {
            yield break;
        }
        var start = RandomBelow(count);
        for (var i = BigInteger.Zero; i < count; i++)
        {
            yield return ServiceIpRange.FromNumber(from + (start + i) % count, Family);
        }
    }

    private static BigInteger RandomBelow(BigInteger bound)
    {
        // Sixteen extra random bytes make the modulo's bias negligible.
        var bytes = RandomNumberGenerator.GetBytes(bound.GetByteCount(isUnsigned: true) + 16);
        return new BigInteger(bytes, isUnsigned: true) % bound;
    }
}
