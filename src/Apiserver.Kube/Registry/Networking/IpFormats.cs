using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Apiserver.Kube.Registry.Networking;

/// <summary>
/// IP addresses and CIDRs as kube 1.34 validates them in new API fields (<c>validation.IsValidIP</c>
/// and <c>IsValidCIDR</c>): parseable, without leading zeros or IPv4-mapped IPv6 forms, and written
/// canonically. Each check returns kube's messages, or none.
/// </summary>
internal static partial class IpFormats
{
    private const string BadIp = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";
    private const string BadCidr = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

    // Go's net.ParseIP accepts only dotted quads for IPv4 (IPAddress.TryParse also takes "1" or "0x1").
    [GeneratedRegex(@"^\d{1,3}(\.\d{1,3}){3}$")]
    private static partial Regex DottedQuad();

    /// <summary>The problems of <paramref name="value"/> as an IP address.</summary>
    public static IReadOnlyList<string> ValidateIp(string value)
    {
        if (Parse(value) is not { } ip)
        {
            return [BadIp];
        }
        return Strict(value, ip, ip.ToString());
    }

    /// <summary>The problems of <paramref name="value"/> as a subnet CIDR (<c>10.0.0.0/24</c>).</summary>
    public static IReadOnlyList<string> ValidateCidr(string value)
    {
        if (ParseCidr(value) is not var (ip, prefix))
        {
            return [BadCidr];
        }
        return Strict(value, ip, $"{Network(ip, prefix)}/{prefix}");
    }

    /// <summary>The address family of a parseable CIDR, or null.</summary>
    public static AddressFamily? CidrFamily(string value) => ParseCidr(value)?.Address is { } ip ? Unmapped(ip).AddressFamily : null;

    private static IReadOnlyList<string> Strict(string value, IPAddress ip, string canonical)
    {
        var address = value.Split('/')[0];
        var problems = new List<string>();
        if (ip.AddressFamily == AddressFamily.InterNetwork && address.Split('.').Any(part => part.Length > 1 && part[0] == '0'))
        {
            problems.Add("must not have leading 0s");
        }
        if (ip.IsIPv4MappedToIPv6)
        {
            problems.Add("must not be an IPv4-mapped IPv6 address");
        }
        if (problems.Count == 0 && value != canonical)
        {
            problems.Add($"must be in canonical form (\"{canonical}\")");
        }
        return problems;
    }

    private static IPAddress? Parse(string value)
    {
        if (value.Contains('%', StringComparison.Ordinal) || !IPAddress.TryParse(value, out var ip))
        {
            return null;
        }
        return value.Contains(':', StringComparison.Ordinal) || DottedQuad().IsMatch(value) ? ip : null;
    }

    private static (IPAddress Address, int Prefix)? ParseCidr(string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || Parse(value[..slash]) is not { } ip || !int.TryParse(value[(slash + 1)..], System.Globalization.NumberStyles.None, null, out var prefix))
        {
            return null;
        }
        var bits = ip.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        return prefix <= bits ? (ip, prefix) : null;
    }

    private static IPAddress Unmapped(IPAddress ip) => ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;

    private static IPAddress Network(IPAddress ip, int prefix)
    {
        var bytes = ip.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }
        return new IPAddress(bytes);
    }
}
