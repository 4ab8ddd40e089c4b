using System.Buffers;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Serialization.Json;
using Apiserver.Generic.Serialization.Yaml;
using Microsoft.AspNetCore.Http;

namespace Apiserver.Generic.Endpoints;

/// <summary>Writes objects and <c>Status</c> failures as responses.</summary>
public static class Responses
{
    /// <summary>Bodies at least this large are gzipped for clients that accept it, as kube-apiserver does.</summary>
    public const int CompressionThreshold = 128 * 1024;

    /// <summary>Writes <paramref name="obj"/> as JSON with the given status code.</summary>
    public static Task WriteObjectAsync(HttpContext context, int statusCode, JsonNode obj) =>
        WriteObjectAsync(context, statusCode, obj, Negotiation.JsonMediaType);

    /// <summary>Writes <paramref name="obj"/> as JSON or YAML, gzipped when large and the client accepts gzip.</summary>
    public static async Task WriteObjectAsync(HttpContext context, int statusCode, JsonNode obj, string mediaType)
    {
        using var body = new PooledBufferWriter();
        if (mediaType == Negotiation.YamlMediaType)
        {
            body.Write(Encoding.UTF8.GetBytes(YamlConverter.ToYaml(obj)));
        }
        else
        {
            using var writer = new Utf8JsonWriter(body, JsonOptions.Writer);
            obj.WriteTo(writer);
        }
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = mediaType;
        if (body.WrittenCount >= CompressionThreshold && AcceptsGzip(context.Request))
        {
            context.Response.Headers.ContentEncoding = "gzip";
            context.Response.Headers.Vary = "Accept-Encoding";
            await using var gzip = new GZipStream(context.Response.Body, CompressionLevel.Fastest, leaveOpen: true);
            await gzip.WriteAsync(body.WrittenMemory, context.RequestAborted);
            return;
        }
        context.Response.ContentLength = body.WrittenCount;
        await context.Response.Body.WriteAsync(body.WrittenMemory, context.RequestAborted);
    }

    /// <summary>
    /// Writes a list as JSON one item at a time (gzipped when the client accepts it), so that memory
    /// stays bounded by an item and a storage page, not the list. <paramref name="shapeItem"/>
    /// turns each item into what is sent (its metadata only, say).
    /// </summary>
    public static async Task WriteListStreamAsync(HttpContext context, ListStream list, Func<JsonObject, JsonObject>? shapeItem = null)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = Negotiation.JsonMediaType;
        var gzip = AcceptsGzip(context.Request);
        if (gzip)
        {
            context.Response.Headers.ContentEncoding = "gzip";
            context.Response.Headers.Vary = "Accept-Encoding";
        }
        await using var compressed = gzip ? new GZipStream(context.Response.Body, CompressionLevel.Fastest, leaveOpen: true) : null;
        await using var writer = new Utf8JsonWriter(compressed ?? context.Response.Body, JsonOptions.Writer);
        writer.WriteStartObject();
        writer.WriteString("kind", list.Kind);
        writer.WriteString("apiVersion", list.ApiVersion);
        writer.WritePropertyName("metadata");
        list.Metadata.WriteTo(writer);
        writer.WriteStartArray("items");
        await foreach (var item in list.Items.WithCancellation(context.RequestAborted))
        {
            if (shapeItem is null)
            {
                item.WriteTo(writer);
            }
            else
            {
                shapeItem(item.Node).WriteTo(writer);
            }
            if (writer.BytesPending >= 64 * 1024)
            {
                await writer.FlushAsync(context.RequestAborted);
            }
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    private static bool AcceptsGzip(HttpRequest request) =>
        request.Headers.AcceptEncoding.Any(v => v is not null && v.Split(',').Any(e => e.Split(';')[0].Trim() is "gzip" or "*"));

    /// <summary>Writes a failure as its <c>Status</c> body, with <c>Retry-After</c> when it suggests one.</summary>
    public static Task WriteStatusAsync(HttpContext context, StatusException failure)
    {
        if (failure.Details?.RetryAfterSeconds is { } retry)
        {
            context.Response.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return WriteObjectAsync(context, failure.Code, failure.ToStatus());
    }

    /// <summary>Writes plain text (health endpoints).</summary>
    public static Task WriteTextAsync(HttpContext context, int statusCode, string text)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers["X-Content-Type-Options"] = "nosniff";
        return context.Response.WriteAsync(text, context.RequestAborted);
    }
}
