using Apiserver.Generic.Api;
using Microsoft.AspNetCore.Http;

namespace Apiserver.Generic.Endpoints;

/// <summary>What the server answers with.</summary>
public enum ResponseShape
{
    /// <summary>The object or list itself.</summary>
    Object,
    /// <summary>A <c>meta.k8s.io Table</c> (for <c>kubectl get</c>).</summary>
    Table,
    /// <summary>Only the metadata: <c>PartialObjectMetadata</c> or <c>PartialObjectMetadataList</c>.</summary>
    PartialObjectMetadata,
}

/// <summary>A negotiated response: its shape, media type, and for meta.k8s.io shapes, the version asked for.</summary>
/// <param name="Shape">The shape.</param>
/// <param name="MediaType"><c>application/json</c> or <c>application/yaml</c>.</param>
/// <param name="MetaVersion"><c>v1</c> or <c>v1beta1</c>, for Table and PartialObjectMetadata.</param>
public sealed record ResponseFormat(ResponseShape Shape, string MediaType, string MetaVersion = "v1")
{
    /// <summary>Plain JSON.</summary>
    public static ResponseFormat Json { get; } = new(ResponseShape.Object, Negotiation.JsonMediaType);
}

/// <summary>Picks the response format from the <c>Accept</c> header, in the client's order of preference.</summary>
public static class Negotiation
{
    /// <summary>The JSON media type.</summary>
    public const string JsonMediaType = "application/json";

    /// <summary>The YAML media type.</summary>
    public const string YamlMediaType = "application/yaml";

    /// <summary>The format to answer with; 406 when the client accepts nothing the server can send.</summary>
    /// <param name="request">The request.</param>
    /// <param name="tableSupported">Whether the endpoint can render a Table.</param>
    /// <param name="isList">Whether the answer is a list (PartialObjectMetadataList rather than PartialObjectMetadata).</param>
    /// <param name="streaming">Whether the answer is a watch stream (JSON only).</param>
    public static ResponseFormat Choose(HttpRequest request, bool tableSupported, bool isList = false, bool streaming = false)
    {
        var accept = request.Headers.Accept.ToString();
        if (accept.Length == 0)
        {
            return ResponseFormat.Json;
        }
        foreach (var range in accept.Split(','))
        {
            var parts = range.Split(';', StringSplitOptions.TrimEntries);
            var mediaType = parts[0].ToLowerInvariant() switch
            {
                "application/json" or "application/*" or "*/*" => JsonMediaType,
                "application/yaml" when !streaming => YamlMediaType,
                _ => null,
            };
            if (mediaType is null)
            {
                continue;
            }
            string? asKind = null, group = null, version = null;
            foreach (var p in parts.Skip(1))
            {
                var eq = p.IndexOf('=');
                if (eq < 0) continue;
                var (key, value) = (p[..eq].Trim(), p[(eq + 1)..].Trim());
                if (key == "as") asKind = value;
                else if (key == "g") group = value;
                else if (key == "v") version = value;
            }
            if (asKind is null)
            {
                return new ResponseFormat(ResponseShape.Object, mediaType);
            }
            if (group != "meta.k8s.io" || version is not ("v1" or "v1beta1"))
            {
                continue;
            }
            var shape = asKind switch
            {
                "Table" when tableSupported => ResponseShape.Table,
                "PartialObjectMetadata" when !isList => ResponseShape.PartialObjectMetadata,
                "PartialObjectMetadataList" when isList => ResponseShape.PartialObjectMetadata,
                _ => (ResponseShape?)null,
            };
            if (shape is { } chosen)
            {
                return new ResponseFormat(chosen, mediaType, version);
            }
        }
        throw StatusException.NotAcceptable("only the following media types are accepted: application/json, application/yaml, application/json;as=Table;v=v1;g=meta.k8s.io, application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io");
    }
}
