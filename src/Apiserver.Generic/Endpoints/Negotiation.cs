using Apiserver.Generic.Api;
using Microsoft.AspNetCore.Http;

namespace Apiserver.Generic.Endpoints;

/// <summary>The representations the server can answer with.</summary>
public enum ResponseShape
{
    /// <summary>The object as JSON.</summary>
    Json,
    /// <summary>A <c>meta.k8s.io/v1 Table</c> (for <c>kubectl get</c>).</summary>
    Table,
}

/// <summary>Picks the response shape from the <c>Accept</c> header, in the client's order of preference.</summary>
public static class Negotiation
{
    /// <summary>The shape to answer with; 406 when the client accepts nothing the server can send.</summary>
    /// <param name="request">The request.</param>
    /// <param name="tableSupported">Whether the endpoint can render a Table.</param>
    public static ResponseShape Choose(HttpRequest request, bool tableSupported)
    {
        var accept = request.Headers.Accept.ToString();
        if (accept.Length == 0)
        {
            return ResponseShape.Json;
        }
        foreach (var range in accept.Split(','))
        {
            var parts = range.Split(';', StringSplitOptions.TrimEntries);
            var type = parts[0].ToLowerInvariant();
            if (type is not ("application/json" or "application/*" or "*/*"))
            {
                continue;
            }
            string? asKind = null, group = null;
            foreach (var p in parts.Skip(1))
            {
                var eq = p.IndexOf('=');
                if (eq < 0) continue;
                var (key, value) = (p[..eq].Trim(), p[(eq + 1)..].Trim());
                if (key == "as") asKind = value;
                else if (key == "g") group = value;
            }
            if (asKind is null)
            {
                return ResponseShape.Json;
            }
            if (asKind == "Table" && group == "meta.k8s.io" && tableSupported)
            {
                return ResponseShape.Table;
            }
        }
        throw StatusException.NotAcceptable("only the following media types are accepted: application/json, application/json;as=Table;v=v1;g=meta.k8s.io");
    }
}
