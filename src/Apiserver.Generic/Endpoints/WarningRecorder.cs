using System.Text;
using Apiserver.Generic.Registry.Rest;
using Microsoft.AspNetCore.Http;

namespace Apiserver.Generic.Endpoints;

/// <summary>
/// The request's warnings as <c>Warning: 299 - "…"</c> headers, kube-apiserver's format: each sent
/// once, and at most <see cref="MaxTotalBytes"/> in all (later warnings are dropped).
/// </summary>
public sealed class WarningRecorder(HttpResponse response) : IWarningSink
{
    /// <summary>The most bytes of warnings one response carries.</summary>
    public const int MaxTotalBytes = 4 * 1024;

    private readonly HashSet<string> _seen = [];
    private int _bytes;

    /// <inheritdoc/>
    public void Add(string message)
    {
        if (response.HasStarted || !_seen.Add(message))
        {
            return;
        }
        var value = $"299 - \"{Escape(message)}\"";
        if (_bytes + value.Length > MaxTotalBytes)
        {
            return;
        }
        _bytes += value.Length;
        response.Headers.Append("Warning", value);
    }

    private static string Escape(string message)
    {
        var text = new StringBuilder(message.Length);
        foreach (var c in message)
        {
            if (c is '"' or '\\')
            {
                text.Append('\\');
            }
            // Header values are single-line ASCII-safe text.
            text.Append(char.IsControl(c) ? ' ' : c);
        }
        return text.ToString();
    }
}
