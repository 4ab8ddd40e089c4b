using System.Net;

namespace Apiserver.Bench;

/// <summary>The harness loads only this machine: a benchmark pointed elsewhere would be an attack.</summary>
internal static class Loopback
{
    /// <summary>Whether the URL's host is <c>localhost</c>, an address in 127.0.0.0/8, or ::1.</summary>
    public static bool IsLoopback(Uri uri)
    {
        var host = uri.IdnHost.Trim('[', ']');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        return IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address);
    }
}
