using System.Text.Json.Nodes;
using Google.Protobuf;
using static Apiserver.Generic.OpenApi.OpenApiV2Protobuf;

namespace Apiserver.Generic.OpenApi;

/// <summary>Writes gnostic's <c>openapi.v2.Schema</c> and <c>PrimitivesItems</c> from their JSON.</summary>
internal static class OpenApiV2ProtobufSchema
{
    public static void Schema(ProtoWriter w, JsonObject schema)
    {
        var reference = Str(schema["$ref"]);
        var allOf = schema["allOf"] as JsonArray;
        // OpenAPI v3's {allOf: [{$ref}]} (a reference with siblings) is a plain reference in Swagger 2.0.
        if (reference.Length == 0 && allOf is [JsonObject only] && Str(only["$ref"]) is { Length: > 0 } single && schema["type"] is null)
        {
            reference = single;
            allOf = null;
        }
        w.String(1, reference);
        w.String(2, Str(schema["format"]));
        w.String(3, Str(schema["title"]));
        w.String(4, Str(schema["description"]));
        if (schema["default"] is { } value)
        {
            w.Any(5, value);
        }
        w.Double(6, Number(schema["multipleOf"]));
        w.Double(7, Number(schema["maximum"]));
        w.Bool(8, Bool(schema["exclusiveMaximum"]));
        w.Double(9, Number(schema["minimum"]));
        w.Bool(10, Bool(schema["exclusiveMinimum"]));
        w.Int64(11, Number(schema["maxLength"]));
        w.Int64(12, Number(schema["minLength"]));
        w.String(13, Str(schema["pattern"]));
        w.Int64(14, Number(schema["maxItems"]));
        w.Int64(15, Number(schema["minItems"]));
        w.Bool(16, Bool(schema["uniqueItems"]));
        w.Int64(17, Number(schema["maxProperties"]));
        w.Int64(18, Number(schema["minProperties"]));
        w.Strings(19, schema["required"]);
        foreach (var e in schema["enum"] as JsonArray ?? [])
        {
            w.Any(20, e);
        }
        switch (schema["additionalProperties"])
        {
            case JsonObject additional:
                w.Message(21, a => a.Message(1, s => Schema(s, additional)));
                break;
            case JsonValue flag when flag.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False:
                // A oneof: false is written too, so that it reads back as set.
                w.Message(21, a => a.BoolAlways(2, Bool(flag)));
                break;
        }
        switch (schema["type"])
        {
            case JsonArray types:
                w.Message(22, t => t.Strings(1, types));
                break;
            case JsonValue type when Str(type).Length > 0:
                w.Message(22, t => t.String(1, Str(type)));
                break;
        }
        switch (schema["items"])
        {
            case JsonObject items:
                w.Message(23, i => i.Message(1, s => Schema(s, items)));
                break;
            case JsonArray items:
                w.Message(23, i =>
                {
                    foreach (var item in items.OfType<JsonObject>())
                    {
                        i.Message(1, s => Schema(s, item));
                    }
                });
                break;
        }
        foreach (var part in (allOf ?? []).OfType<JsonObject>())
        {
            w.Message(24, s => Schema(s, part));
        }
        if (schema["properties"] is JsonObject properties)
        {
            w.Message(25, p => NamedSchemas(p, 1, properties));
        }
        w.String(26, Str(schema["discriminator"]));
        w.Bool(27, Bool(schema["readOnly"]));
        if (schema["example"] is { } example)
        {
            w.Any(30, example);
        }
        VendorExtensions(w, 31, schema);
    }

    public static void PrimitivesItems(ProtoWriter w, JsonObject items)
    {
        w.String(1, Str(items["type"]));
        w.String(2, Str(items["format"]));
        if (items["items"] is JsonObject nested)
        {
            w.Message(3, i => PrimitivesItems(i, nested));
        }
        w.String(4, Str(items["collectionFormat"]));
        if (items["default"] is { } value)
        {
            w.Any(5, value);
        }
        w.Bool(15, Bool(items["uniqueItems"]));
        foreach (var e in items["enum"] as JsonArray ?? [])
        {
            w.Any(16, e);
        }
        VendorExtensions(w, 18, items);
    }
}

/// <summary>A protobuf message being written: proto3 fields, defaults left out, sub-messages length-prefixed.</summary>
internal sealed class ProtoWriter
{
    private readonly MemoryStream _buffer = new();
    private readonly CodedOutputStream _out;

    private ProtoWriter() => _out = new CodedOutputStream(_buffer, leaveOpen: true);

    public static byte[] Message(Action<ProtoWriter> body)
    {
        var writer = new ProtoWriter();
        body(writer);
        writer._out.Flush();
        return writer._buffer.ToArray();
    }

    public void Message(int field, Action<ProtoWriter> body)
    {
        var bytes = Message(body);
        _out.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _out.WriteBytes(UnsafeByteOperations.UnsafeWrap(bytes));
    }

    public void String(int field, string value)
    {
        if (value.Length > 0)
        {
            _out.WriteTag(field, WireFormat.WireType.LengthDelimited);
            _out.WriteString(value);
        }
    }

    public void Strings(int field, JsonNode? values)
    {
        foreach (var value in values as JsonArray ?? [])
        {
            // Repeated strings keep empty elements.
            _out.WriteTag(field, WireFormat.WireType.LengthDelimited);
            _out.WriteString(Str(value));
        }
    }

    public void Bool(int field, bool value)
    {
        if (value)
        {
            BoolAlways(field, value);
        }
    }

    public void BoolAlways(int field, bool value)
    {
        _out.WriteTag(field, WireFormat.WireType.Varint);
        _out.WriteBool(value);
    }

    public void Double(int field, double? value)
    {
        if (value is { } v && v != 0)
        {
            _out.WriteTag(field, WireFormat.WireType.Fixed64);
            _out.WriteDouble(v);
        }
    }

    public void Int64(int field, double? value)
    {
        if (value is { } v && v != 0)
        {
            _out.WriteTag(field, WireFormat.WireType.Varint);
            _out.WriteInt64((long)v);
        }
    }

    /// <summary>An <c>openapi.v2.Any</c> holding the value's YAML.</summary>
    public void Any(int field, JsonNode? value) => Message(field, a => a.String(2, OpenApiV2Yaml.Write(value)));
}
