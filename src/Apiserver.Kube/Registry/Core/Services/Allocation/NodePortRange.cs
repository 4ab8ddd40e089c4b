namespace Apiserver.Kube.Registry.Core.Services.Allocation;

/// <summary>A node port range (<c>--service-node-port-range</c>, <c>30000-32767</c> by default), as kube's <c>utilnet.PortRange</c>.</summary>
/// <param name="Base">The first port.</param>
/// <param name="Size">How many ports.</param>
public sealed record NodePortRange(int Base, int Size)
{
    /// <summary>kube's default range.</summary>
    public static NodePortRange Default { get; } = new(30000, 2768);

    /// <summary>kube's static band for node ports: <c>min(max(16, size/16), 128)</c>.</summary>
    public int StaticBand => Math.Min(Math.Max(16, Size / 16), 128);

    /// <summary>Parses <c>low-high</c>, <c>low+count</c> or a single port; throws <see cref="FormatException"/> otherwise.</summary>
    public static NodePortRange Parse(string value)
    {
        var text = value.Trim();
        int low, high;
        if (text.Split('-') is [var a, var b] && int.TryParse(a, out low) && int.TryParse(b, out high))
        {
        }
        else if (text.Split('+') is [var c, var d] && int.TryParse(c, out low) && int.TryParse(d, out var count))
        {
            high = low + count;
        }
        else if (int.TryParse(text, out low))
        {
            high = low;
        }
        else
        {
            throw new FormatException($"unable to parse port range: {value}");
        }
        if (low < 1 || high > 65535 || high < low)
        {
            throw new FormatException($"invalid port range: {value}");
        }
        return new NodePortRange(low, high - low + 1);
    }

    /// <summary>The offset of <paramref name="port"/>, or null outside the range.</summary>
    public int? OffsetOf(long port) => port >= Base && port < Base + Size ? (int)(port - Base) : null;

    /// <inheritdoc/>
    public override string ToString() => $"{Base}-{Base + Size - 1}";
}
