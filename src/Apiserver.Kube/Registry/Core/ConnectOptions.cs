using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Apiserver.Generic.Api;
using Microsoft.AspNetCore.Http;

namespace Apiserver.Kube.Registry.Core;

/// <summary>
/// What the connect subresources of core/v1 (pods/log, pods/exec, …, the proxies) share: reading
/// their options from the query as kube's parameter codec does, naming a proxy target, and
/// writing the query they send on.
/// </summary>
internal static class ConnectOptions
{
    /// <summary>kube's query conversion of a bool: absent is false, <c>0</c> or <c>false</c> (any case) is false, anything else true.</summary>
    public static bool Bool(IQueryCollection query, string key) =>
        query.TryGetValue(key, out var values) && values.Count > 0 && values[0] is var v && v != "0" && !string.Equals(v, "false", StringComparison.OrdinalIgnoreCase);

    /// <summary>An optional integer option; a value that is not one is a 400, as kube's decoding answers it.</summary>
    public static long? Int64(IQueryCollection query, string key)
    {
        if (!query.TryGetValue(key, out var values) || values.Count == 0)
        {
            return null;
        }
        return long.TryParse(values[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw StatusException.BadRequest($"strconv.ParseInt: parsing \"{values[0]}\": invalid syntax");
    }

    /// <summary>The first value of a string option, or empty.</summary>
    public static string String(IQueryCollection query, string key) =>
        query.TryGetValue(key, out var values) && values.Count > 0 ? values[0] ?? "" : "";

    /// <summary>Go's <c>url.Values.Encode</c>: keys sorted, each value escaped, <c>k=v</c> joined by <c>&amp;</c>.</summary>
    public static string Encode(IEnumerable<(string Key, string Value)> values)
    {
        var builder = new StringBuilder();
        foreach (var (key, value) in values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            builder.Append(builder.Length == 0 ? "" : "&").Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
        }
        return builder.ToString();
    }

    /// <summary>
    /// kube's <c>SplitSchemeNamePort</c>: a proxy name is <c>name</c>, <c>name:port</c> or
    /// <c>scheme:name:port</c>, with scheme <c>http</c>, <c>https</c> or empty; null when it is none of them.
    /// </summary>
    public static (string Scheme, string Name, string Port)? SplitSchemeNamePort(string id)
    {
        var parts = id.Split(':');
        var (scheme, name, port) = parts.Length switch
        {
            1 => ("", parts[0], ""),
            2 => ("", parts[0], parts[1]),
            3 => (parts[0], parts[1], parts[2]),
            _ => ("", "", ""),
        };
        return name.Length > 0 && scheme is "" or "http" or "https" ? (scheme, name, port) : null;
    }

    /// <summary>
    /// The address a proxy sends to: <paramref name="scheme"/> (http when empty), the host (and port
    /// when given), the request's remaining path joined on keeping its trailing slash, and the query.
    /// </summary>
    public static Uri ProxyLocation(string scheme, string host, string port, string path, string query)
    {
        var authority = host.Contains(':') && !host.StartsWith('[') ? $"[{host}]" : host;
        if (port.Length > 0)
        {
            authority += ":" + port;
        }
        return new Uri($"{(scheme.Length > 0 ? scheme : "http")}://{authority}{path}{query}");
    }

    /// <summary>Go's <c>IP.IsGlobalUnicast</c>: not unspecified, loopback, multicast, link-local or the IPv4 broadcast address.</summary>
    public static bool IsGlobalUnicast(IPAddress ip)
    {
        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }
        if (IPAddress.IsLoopback(ip) || ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any) || ip.Equals(IPAddress.Broadcast))
        {
            return false;
        }
        if (ip.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = ip.GetAddressBytes();
            return b[0] < 224 && !(b[0] == 169 && b[1] == 254);
        }
        return !ip.IsIPv6Multicast && !ip.IsIPv6LinkLocal;
    }
}
