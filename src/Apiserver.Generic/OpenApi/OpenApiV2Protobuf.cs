using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;

namespace Apiserver.Generic.OpenApi;

/// <summary>
/// The Swagger 2.0 document of <c>/openapi/v2</c> as gnostic's <c>openapi.v2.Document</c> protobuf
/// (github.com/google/gnostic-models openapiv2/OpenAPIv2.proto), the form kubectl asks for to validate
/// objects client-side and to find which query parameters an operation takes.
/// </summary>
public static class OpenApiV2Protobuf
{
    /// <summary>The media type clients ask for the protobuf form by.</summary>
    public const string RequestMediaType = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

    /// <summary>
    /// The Content-Type kube answers it with: <c>@</c> is no token character, and Go's mime parser (client-go
    /// reads the Content-Type with it) rejects the requested spelling.
    /// </summary>
    public const string MediaType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    private static readonly Lock CacheLock = new();
    private static (string Json, byte[] Bytes)? _cache;

    /// <summary>Whether an Accept header names the protobuf form (kube also takes <c>…v2.v1.0+protobuf</c>).</summary>
    public static bool Accepts(string accept) =>
        accept.Contains(RequestMediaType, StringComparison.OrdinalIgnoreCase)
        || accept.Contains(MediaType, StringComparison.OrdinalIgnoreCase);

    /// <summary>The encoded document, reusing the last encoding while the document's content is the same.</summary>
    public static byte[] Cached(JsonObject document)
    {
        var json = document.ToJsonString();
        lock (CacheLock)
        {
            if (_cache is { } cached && cached.Json == json)
            {
                return cached.Bytes;
            }
        }
        var bytes = Encode(document);
        lock (CacheLock)
        {
            _cache = (json, bytes);
        }
        return bytes;
    }

    /// <summary>Encodes a Swagger 2.0 JSON document as <c>openapi.v2.Document</c>.</summary>
    public static byte[] Encode(JsonObject document) => ProtoWriter.Message(w =>
    {
        w.String(1, Str(document["swagger"]));
        if (document["info"] is JsonObject info)
        {
            w.Message(2, i =>
            {
                i.String(1, Str(info["title"]));
                i.String(2, Str(info["version"]));
                i.String(3, Str(info["description"]));
                VendorExtensions(i, 7, info);
            });
        }
        w.String(3, Str(document["host"]));
        w.String(4, Str(document["basePath"]));
        w.Strings(5, document["schemes"]);
        w.Strings(6, document["consumes"]);
        w.Strings(7, document["produces"]);
        if (document["paths"] is JsonObject paths)
        {
            w.Message(8, p =>
            {
                VendorExtensions(p, 1, paths);
                foreach (var (route, item) in paths.Where(e => !IsExtension(e.Key)))
                {
                    p.Message(2, n =>
                    {
                        n.String(1, route);
                        n.Message(2, pi => PathItem(pi, item as JsonObject ?? []));
                    });
                }
            });
        }
        if (document["definitions"] is JsonObject definitions)
        {
            w.Message(9, d => NamedSchemas(d, 1, definitions));
        }
        VendorExtensions(w, 16, document);
    });

    private static void PathItem(ProtoWriter w, JsonObject item)
    {
        w.String(1, Str(item["$ref"]));
        string[] verbs = ["get", "put", "post", "delete", "options", "head", "patch"];
        for (var i = 0; i < verbs.Length; i++)
        {
            if (item[verbs[i]] is JsonObject operation)
            {
                w.Message(i + 2, o => Operation(o, operation));
            }
        }
        Parameters(w, 9, item["parameters"]);
        VendorExtensions(w, 10, item);
    }

    private static void Operation(ProtoWriter w, JsonObject operation)
    {
        w.Strings(1, operation["tags"]);
        w.String(2, Str(operation["summary"]));
        w.String(3, Str(operation["description"]));
        w.String(5, Str(operation["operationId"]));
        w.Strings(6, operation["produces"]);
        w.Strings(7, operation["consumes"]);
        Parameters(w, 8, operation["parameters"]);
        if (operation["responses"] is JsonObject responses)
        {
            w.Message(9, r =>
            {
                foreach (var (code, response) in responses.Where(e => !IsExtension(e.Key)))
                {
                    r.Message(1, n =>
                    {
                        n.String(1, code);
                        n.Message(2, v => Response(v, response as JsonObject ?? []));
                    });
                }
                VendorExtensions(r, 2, responses);
            });
        }
        w.Strings(10, operation["schemes"]);
        w.Bool(11, Bool(operation["deprecated"]));
        VendorExtensions(w, 13, operation);
    }

    // ResponseValue: a response (1) or a reference (2).
    private static void Response(ProtoWriter w, JsonObject response)
    {
        if (Str(response["$ref"]) is { Length: > 0 } reference)
        {
            w.Message(2, j => j.String(1, reference));
            return;
        }
        w.Message(1, r =>
        {
            r.String(1, Str(response["description"]));
            if (response["schema"] is JsonObject schema)
            {
                r.Message(2, item => item.Message(1, s => OpenApiV2ProtobufSchema.Schema(s, schema)));
            }
            VendorExtensions(r, 5, response);
        });
    }

    // ParametersItem: a parameter (1: body 1 or non-body 2) or a reference (2).
    private static void Parameters(ProtoWriter w, int field, JsonNode? parameters)
    {
        foreach (var parameter in (parameters as JsonArray ?? []).OfType<JsonObject>())
        {
            w.Message(field, item =>
            {
                if (Str(parameter["$ref"]) is { Length: > 0 } reference)
                {
                    item.Message(2, j => j.String(1, reference));
                    return;
                }
                item.Message(1, p =>
                {
                    var location = Str(parameter["in"]);
                    if (location == "body")
                    {
                        p.Message(1, b =>
                        {
                            b.String(1, Str(parameter["description"]));
                            b.String(2, Str(parameter["name"]));
                            b.String(3, location);
                            b.Bool(4, Bool(parameter["required"]));
                            if (parameter["schema"] is JsonObject schema)
                            {
                                b.Message(5, s => OpenApiV2ProtobufSchema.Schema(s, schema));
                            }
                            VendorExtensions(b, 6, parameter);
                        });
                        return;
                    }
                    var (kind, allowEmpty) = location switch
                    {
                        "header" => (1, false),
                        "formData" => (2, true),
                        "path" => (4, false),
                        _ => (3, true),
                    };
                    p.Message(2, nb => nb.Message(kind, s => NonBodyParameter(s, parameter, allowEmpty)));
                });
            });
        }
    }

    // Query and formData sub-schemas have allow_empty_value at 5; header and path ones number the rest one lower.
    private static void NonBodyParameter(ProtoWriter w, JsonObject parameter, bool allowEmpty)
    {
        var shift = allowEmpty ? 1 : 0;
        w.Bool(1, Bool(parameter["required"]));
        w.String(2, Str(parameter["in"]));
        w.String(3, Str(parameter["description"]));
        w.String(4, Str(parameter["name"]));
        if (allowEmpty)
        {
            w.Bool(5, Bool(parameter["allowEmptyValue"]));
        }
        w.String(5 + shift, Str(parameter["type"]));
        w.String(6 + shift, Str(parameter["format"]));
        if (parameter["items"] is JsonObject items)
        {
            w.Message(7 + shift, i => OpenApiV2ProtobufSchema.PrimitivesItems(i, items));
        }
        w.String(8 + shift, Str(parameter["collectionFormat"]));
        if (parameter["default"] is { } value)
        {
            w.Any(9 + shift, value);
        }
        w.Bool(19 + shift, Bool(parameter["uniqueItems"]));
        foreach (var e in parameter["enum"] as JsonArray ?? [])
        {
            w.Any(20 + shift, e);
        }
        VendorExtensions(w, 22 + shift, parameter);
    }

    internal static void NamedSchemas(ProtoWriter w, int field, JsonObject schemas)
    {
        foreach (var (name, schema) in schemas)
        {
            w.Message(field, n =>
            {
                n.String(1, name);
                n.Message(2, s => OpenApiV2ProtobufSchema.Schema(s, schema as JsonObject ?? []));
            });
        }
    }

    /// <summary>Writes an object's <c>x-</c> keys as <c>NamedAny</c>s whose values carry the YAML.</summary>
    internal static void VendorExtensions(ProtoWriter w, int field, JsonObject obj)
    {
        foreach (var (name, value) in obj.Where(e => IsExtension(e.Key)))
        {
            w.Message(field, n =>
            {
                n.String(1, name);
                n.Message(2, a => a.String(2, OpenApiV2Yaml.Write(value)));
            });
        }
    }

    private static bool IsExtension(string key) => key.StartsWith("x-", StringComparison.Ordinal);

    internal static string Str(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "";

    internal static bool Bool(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    internal static double? Number(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture) : null;
}
