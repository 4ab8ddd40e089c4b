using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Serialization.Json;
using Apiserver.Generic.Serialization.Protobuf;
using Apiserver.Generic.Serialization.Yaml;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Apiserver.Generic.Endpoints;

/// <summary>Reads a request body into an object, with kube-apiserver's checks and errors.</summary>
public static class RequestBody
{
    /// <summary>The largest body accepted (kube-apiserver's limit for JSON bodies).</summary>
    public const long MaxBytes = 3 * 1024 * 1024;

    /// <summary>
    /// Reads an object of <paramref name="expected"/> kind, as JSON or, when <paramref name="protobuf"/>
    /// is given, as Kubernetes protobuf; fills in a missing kind or apiVersion.
    /// </summary>
    public static async Task<JsonObject> ReadObjectAsync(HttpContext context, GroupVersionKind expected, ProtoMessage? protobuf = null)
    {
        var obj = await ReadJsonAsync(context, protobuf) as JsonObject
            ?? throw StatusException.BadRequest("the request body must be a JSON object");
        var apiVersion = obj["apiVersion"] is JsonValue av && av.TryGetValue<string>(out var a) ? a : "";
        var kind = obj["kind"] is JsonValue kv && kv.TryGetValue<string>(out var k) ? k : "";
        if (apiVersion.Length > 0 && apiVersion != expected.ApiVersion)
        {
            throw StatusException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({expected.ApiVersion})");
        }
        if (kind.Length > 0 && kind != expected.Kind)
        {
            throw StatusException.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({expected.Kind})");
        }
        // kind and apiVersion lead the object, as clients print it.
        obj.Remove("kind");
        obj.Remove("apiVersion");
        obj.Insert(0, "kind", expected.Kind);
        obj.Insert(1, "apiVersion", expected.ApiVersion);
        if (obj["metadata"] is { } meta && meta is not JsonObject)
        {
            throw StatusException.BadRequest("metadata must be a JSON object");
        }
        return obj;
    }

    /// <summary>
    /// Reads the body as JSON (or as protobuf of <paramref name="protobuf"/>), or null when it is empty.
    /// <paramref name="acceptedMediaType"/> names a further JSON media type to accept (a patch type).
    /// </summary>
    public static async Task<JsonNode?> ReadJsonAsync(HttpContext context, ProtoMessage? protobuf = null, string? acceptedMediaType = null)
    {
        var request = context.Request;
        var contentType = request.ContentType ?? "";
        var mediaType = contentType.Split(';')[0].Trim().ToLowerInvariant();
        if (request.ContentLength > MaxBytes)
        {
            throw StatusException.RequestEntityTooLarge(MaxBytes);
        }
        var (buffer, length) = await ReadAllAsync(request, context.RequestAborted);
        try
        {
            return length == 0 ? null : Decode(context, buffer.AsSpan(0, length), mediaType, contentType, protobuf, acceptedMediaType);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // The body, whole, in a pooled buffer sized by Content-Length when the client sent one.
    private static async Task<(byte[] Buffer, int Length)> ReadAllAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(request.ContentLength ?? 4096, 1, MaxBytes + 1));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > MaxBytes)
                    {
                        throw StatusException.RequestEntityTooLarge(MaxBytes);
                    }
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(buffer.Length * 2L, MaxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    break;
                }
                length += read;
            }
            if (length > MaxBytes)
            {
                throw StatusException.RequestEntityTooLarge(MaxBytes);
            }
            return (buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static JsonNode? Decode(HttpContext context, ReadOnlySpan<byte> body, string mediaType, string contentType, ProtoMessage? protobuf, string? acceptedMediaType)
    {
        if (mediaType == ProtobufDecoder.MediaType && protobuf is not null)
        {
            return ProtobufDecoder.Decode(body, protobuf);
        }
        if (mediaType == Negotiation.YamlMediaType || mediaType == "application/apply-patch+yaml")
        {
            return YamlConverter.ToJson(System.Text.Encoding.UTF8.GetString(body));
        }
        if (mediaType.Length > 0 && mediaType != "application/json" && mediaType != "*/*" && mediaType != acceptedMediaType)
        {
            throw StatusException.UnsupportedMediaType(contentType);
        }
        var json = body;
        try
        {
            var duplicates = DuplicateFields.Find(json);
            if (duplicates.Count == 0)
            {
                return JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 100 });
            }
            ReportDuplicates(context, duplicates);
            return DuplicateFields.ParseLastWins(json);
        }
        catch (JsonException e)
        {
            throw StatusException.BadRequest($"couldn't get version/kind; json parse error: {e.Message}");
        }
    }

    /// <summary>
    /// Repeated fields under the request's <c>fieldValidation</c>: Strict refuses them (400), Warn
    /// (the default) sends a warning each, Ignore says nothing; the last value wins in both.
    /// </summary>
    private static void ReportDuplicates(HttpContext context, IReadOnlyList<string> duplicates)
    {
        switch (QueryOptions.FieldValidation(context.Request.Query))
        {
            case "Strict":
                throw StatusException.BadRequest("strict decoding error: " + string.Join(", ", duplicates.Select(d => $"duplicate field \"{d}\"")));
            case "Warn":
                var warnings = context.Features.Get<IWarningSink>();
                foreach (var duplicate in duplicates)
                {
                    warnings?.Add($"duplicate field \"{duplicate}\"");
                }
                break;
        }
    }

    /// <summary>Sets Kestrel's own body limit above ours so that our 413 Status is the one clients see.</summary>
    internal static void RaiseServerLimit(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBytes + 1;
        }
    }
}
