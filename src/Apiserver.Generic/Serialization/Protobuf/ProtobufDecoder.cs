using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Google.Protobuf;

namespace Apiserver.Generic.Serialization.Protobuf;

/// <summary>
/// Reads Kubernetes protobuf (<c>application/vnd.kubernetes.protobuf</c>), as kubectl 1.32+ sends
/// built-in types, into the JSON the server works with: the JSON the client would have sent.
/// </summary>
/// <remarks>
/// The body is the magic <c>k8s\0</c> and a <c>runtime.Unknown</c> envelope whose <c>raw</c> is the
/// typed message. The typed message is read by a <see cref="ProtoMessage"/> schema: unknown fields
/// are skipped; fields are written in the schema's (Go struct) order and follow Go's
/// <c>omitempty</c> rules (<see cref="ProtoPresence"/>); a zero time is left out (Go writes
/// <c>null</c>). A repeated occurrence of a singular field replaces the earlier one. Anything
/// malformed is a 400 <see cref="StatusException"/>.
/// </remarks>
public static class ProtobufDecoder
{
    /// <summary>The media type.</summary>
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    /// <summary>The deepest nesting of messages accepted (as for JSON bodies).</summary>
    public const int MaxDepth = 100;

    private static readonly byte[] Magic = "k8s\0"u8.ToArray();

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // The range of metav1.Time: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z.
    private const long MinSeconds = -62135596800;
    private const long MaxSeconds = 253402300799;

    /// <summary>
    /// Decodes a whole body (magic, envelope and typed message of <paramref name="message"/>) into a
    /// JSON object led by the envelope's <c>kind</c> and <c>apiVersion</c> (left out when empty).
    /// </summary>
    /// <exception cref="StatusException">400 when the body is not valid Kubernetes protobuf.</exception>
    public static JsonObject Decode(ReadOnlySpan<byte> data, ProtoMessage message)
    {
        if (!data.StartsWith(Magic))
        {
            throw StatusException.BadRequest("provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
        }
        var buffer = data[Magic.Length..].ToArray();
        try
        {
            return DecodeEnvelope(buffer, message);
        }
        catch (StatusException)
        {
            throw;
        }
        catch (InvalidProtocolBufferException e)
        {
            throw StatusException.BadRequest($"unable to decode the protobuf body: {e.Message}");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A client mistake must never be a 500.
            throw StatusException.BadRequest($"unable to decode the protobuf body: {e.Message}");
        }
    }

    private static JsonObject DecodeEnvelope(byte[] buffer, ProtoMessage message)
    {
        string apiVersion = "", kind = "", contentEncoding = "";
        (int Start, int Length)? raw = null;
        var input = new CodedInputStream(buffer, 0, buffer.Length);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    var typeMeta = ReadDelimited(input, buffer, tag, "runtime.Unknown", "typeMeta");
                    var meta = new CodedInputStream(buffer, typeMeta.Start, typeMeta.Length);
                    uint metaTag;
                    while ((metaTag = meta.ReadTag()) != 0)
                    {
                        switch (WireFormat.GetTagFieldNumber(metaTag))
                        {
                            case 1: apiVersion = ReadString(meta, buffer, metaTag, "runtime.TypeMeta", "apiVersion"); break;
                            case 2: kind = ReadString(meta, buffer, metaTag, "runtime.TypeMeta", "kind"); break;
                            default: meta.SkipLastField(); break;
                        }
                    }
                    break;
                case 2: raw = ReadDelimited(input, buffer, tag, "runtime.Unknown", "raw"); break;
                case 3: contentEncoding = ReadString(input, buffer, tag, "runtime.Unknown", "contentEncoding"); break;
                case 4: ReadString(input, buffer, tag, "runtime.Unknown", "contentType"); break;
                default: input.SkipLastField(); break;
            }
        }
        if (contentEncoding.Length > 0)
        {
            throw StatusException.BadRequest($"unsupported content encoding \"{contentEncoding}\" in the protobuf body");
        }
        var result = new JsonObject();
        if (kind.Length > 0)
        {
            result["kind"] = kind;
        }
        if (apiVersion.Length > 0)
        {
            result["apiVersion"] = apiVersion;
        }
        var body = DecodeMessage(buffer, raw?.Start ?? 0, raw?.Length ?? 0, message, depth: 1);
        foreach (var (name, value) in body.ToList())
        {
            body.Remove(name);
            result[name] = value;
        }
        return result;
    }

    private static JsonObject DecodeMessage(byte[] buffer, int start, int length, ProtoMessage message, int depth)
    {
        if (depth > MaxDepth)
        {
            throw StatusException.BadRequest($"the protobuf body nests messages deeper than {MaxDepth} levels");
        }
        // A field on the wire maps to its value; a null value is a zero time (left out).
        var values = new Dictionary<int, JsonNode?>();
        var input = new CodedInputStream(buffer, start, length);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var field = message.Field(WireFormat.GetTagFieldNumber(tag));
            if (field is null)
            {
                input.SkipLastField();
                continue;
            }
            if (field.Kind is ProtoKind.StringMap or ProtoKind.BytesMap)
            {
                var (entryStart, entryLength) = ReadDelimited(input, buffer, tag, message.Name, field.JsonName);
                var (key, entry) = ReadMapEntry(buffer, entryStart, entryLength, field, depth + 1);
                var map = values.TryGetValue(field.Number, out var m) ? (JsonObject)m! : [];
                map[key] = entry; // a repeated key replaces the earlier entry, as in Go
                values[field.Number] = map;
                continue;
            }
            var value = ReadValue(input, buffer, tag, message, field, depth);
            if (field.Repeated)
            {
                var list = values.TryGetValue(field.Number, out var l) ? (JsonArray)l! : [];
                list.Add(value);
                values[field.Number] = list;
            }
            else
            {
                values[field.Number] = value;
            }
        }

        var result = new JsonObject();
        foreach (var field in message.Fields)
        {
            if (values.TryGetValue(field.Number, out var value))
            {
                if (field.Kind == ProtoKind.Inline && value is JsonObject inlined)
                {
                    Inline(result, inlined);
                }
                else if (value is not null && (field.Presence != ProtoPresence.OmitEmpty || !IsEmpty(field, value)))
                {
                    result[field.JsonName] = value;
                }
            }
            else if (field.Presence == ProtoPresence.Always && !field.Repeated && ZeroValue(buffer, field, depth) is { } zero)
            {
                if (field.Kind == ProtoKind.Inline && zero is JsonObject inlinedZero) Inline(result, inlinedZero);
                else result[field.JsonName] = zero;
            }
        }
        return result;
    }

    /// <summary>The fields of an inline-embedded struct become the parent's, in their order.</summary>
    private static void Inline(JsonObject parent, JsonObject embedded)
    {
        foreach (var (name, value) in embedded.ToList())
        {
            embedded.Remove(name);
            parent[name] = value;
        }
    }

    /// <summary>Reads one occurrence of a known field other than a map entry; null for a zero time.</summary>
    private static JsonNode? ReadValue(CodedInputStream input, byte[] buffer, uint tag, ProtoMessage message, ProtoField field, int depth)
    {
        switch (field.Kind)
        {
            case ProtoKind.String:
                return ReadString(input, buffer, tag, message.Name, field.JsonName);
            case ProtoKind.Bytes:
                var bytes = ReadDelimited(input, buffer, tag, message.Name, field.JsonName);
                return Convert.ToBase64String(buffer, bytes.Start, bytes.Length);
            case ProtoKind.Int32:
                ExpectWireType(tag, WireFormat.WireType.Varint, message.Name, field.JsonName);
                return input.ReadInt32();
            case ProtoKind.Int64:
                ExpectWireType(tag, WireFormat.WireType.Varint, message.Name, field.JsonName);
                return input.ReadInt64();
            case ProtoKind.Bool:
                ExpectWireType(tag, WireFormat.WireType.Varint, message.Name, field.JsonName);
                return input.ReadBool();
            case ProtoKind.Double:
                ExpectWireType(tag, WireFormat.WireType.Fixed64, message.Name, field.JsonName);
                var d = input.ReadDouble();
                if (!double.IsFinite(d))
                {
                    throw StatusException.BadRequest($"field {field.JsonName} of {message.Name} is not a finite number");
                }
                return d;
        }

        var (start, length) = ReadDelimited(input, buffer, tag, message.Name, field.JsonName);
        switch (field.Kind)
        {
            case ProtoKind.Message:
            case ProtoKind.Inline:
                var nested = field.Message ?? throw new InvalidOperationException($"field {field.JsonName} of {message.Name} has no message type");
                return DecodeMessage(buffer, start, length, nested, depth + 1);
            case ProtoKind.Time:
            case ProtoKind.MicroTime:
                return ReadTime(buffer, start, length, field, depth + 1);
            case ProtoKind.IntOrString:
                return ReadIntOrString(buffer, start, length, field, depth + 1);
            case ProtoKind.Quantity:
                var quantity = "";
                ForEachField(buffer, start, length, depth + 1, (sub, subTag) =>
                {
                    if (WireFormat.GetTagFieldNumber(subTag) == 1)
                    {
                        quantity = ReadString(sub, buffer, subTag, "resource.Quantity", "string");
                        return true;
                    }
                    return false;
                });
                return quantity.Length == 0 ? "0" : quantity;
            case ProtoKind.RawJson:
                (int Start, int Length)? raw = null;
                ForEachField(buffer, start, length, depth + 1, (sub, subTag) =>
                {
                    if (WireFormat.GetTagFieldNumber(subTag) == 1)
                    {
                        raw = ReadDelimited(sub, buffer, subTag, field.JsonName, "raw");
                        return true;
                    }
                    return false;
                });
                if (raw is not { Length: > 0 } r)
                {
                    return null;
                }
                try
                {
                    return JsonNode.Parse(buffer.AsSpan(r.Start, r.Length), documentOptions: new JsonDocumentOptions { MaxDepth = MaxDepth });
                }
                catch (JsonException e)
                {
                    throw StatusException.BadRequest($"field {field.JsonName} of {message.Name} does not hold valid JSON: {e.Message}");
                }
            default:
                throw new InvalidOperationException($"unknown kind {field.Kind}");
        }
    }

    private static (string Key, JsonNode Value) ReadMapEntry(byte[] buffer, int start, int length, ProtoField field, int depth)
    {
        var key = "";
        JsonNode value = "";
        ForEachField(buffer, start, length, depth, (sub, subTag) =>
        {
            switch (WireFormat.GetTagFieldNumber(subTag))
            {
                case 1:
                    key = ReadString(sub, buffer, subTag, field.JsonName, "key");
                    return true;
                case 2 when field.Kind == ProtoKind.StringMap:
                    value = ReadString(sub, buffer, subTag, field.JsonName, "value");
                    return true;
                case 2:
                    var bytes = ReadDelimited(sub, buffer, subTag, field.JsonName, "value");
                    value = Convert.ToBase64String(buffer, bytes.Start, bytes.Length);
                    return true;
                default:
                    return false;
            }
        });
        return (key, value);
    }

    private static JsonNode? ReadTime(byte[] buffer, int start, int length, ProtoField field, int depth)
    {
        if (length == 0)
        {
            return null; // Go writes a zero time as an empty message.
        }
        long seconds = 0, nanos = 0;
        ForEachField(buffer, start, length, depth, (sub, subTag) =>
        {
            switch (WireFormat.GetTagFieldNumber(subTag))
            {
                case 1:
                    ExpectWireType(subTag, WireFormat.WireType.Varint, field.JsonName, "seconds");
                    seconds = sub.ReadInt64();
                    return true;
                case 2:
                    ExpectWireType(subTag, WireFormat.WireType.Varint, field.JsonName, "nanos");
                    nanos = sub.ReadInt32();
                    return true;
                default:
                    return false;
            }
        });
        // As Go's time.Unix: nanoseconds outside [0, 1e9) carry into the seconds.
        seconds += Math.DivRem(nanos, 1_000_000_000, out nanos);
        if (nanos < 0)
        {
            seconds--;
            nanos += 1_000_000_000;
        }
        if (seconds < MinSeconds || seconds > MaxSeconds)
        {
            throw StatusException.BadRequest($"field {field.JsonName} holds a time out of range ({seconds} seconds since the epoch)");
        }
        var time = DateTime.UnixEpoch.AddTicks(seconds * TimeSpan.TicksPerSecond + nanos / 100);
        if (time == DateTime.MinValue)
        {
            return null;
        }
        var format = field.Kind == ProtoKind.MicroTime ? "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'" : "yyyy-MM-dd'T'HH:mm:ss'Z'";
        return time.ToString(format, CultureInfo.InvariantCulture);
    }

    private static JsonNode ReadIntOrString(byte[] buffer, int start, int length, ProtoField field, int depth)
    {
        long type = 0;
        int intVal = 0;
        var strVal = "";
        ForEachField(buffer, start, length, depth, (sub, subTag) =>
        {
            switch (WireFormat.GetTagFieldNumber(subTag))
            {
                case 1:
                    ExpectWireType(subTag, WireFormat.WireType.Varint, field.JsonName, "type");
                    type = sub.ReadInt64();
                    return true;
                case 2:
                    ExpectWireType(subTag, WireFormat.WireType.Varint, field.JsonName, "intVal");
                    intVal = sub.ReadInt32();
                    return true;
                case 3:
                    strVal = ReadString(sub, buffer, subTag, field.JsonName, "strVal");
                    return true;
                default:
                    return false;
            }
        });
        return type switch
        {
            0 => intVal,
            1 => strVal,
            _ => throw StatusException.BadRequest($"field {field.JsonName} is an IntOrString of unknown type {type}"),
        };
    }

    /// <summary>Reads the fields of a small nested message; <paramref name="read"/> returns false for fields to skip.</summary>
    private static void ForEachField(byte[] buffer, int start, int length, int depth, Func<CodedInputStream, uint, bool> read)
    {
        if (depth > MaxDepth)
        {
            throw StatusException.BadRequest($"the protobuf body nests messages deeper than {MaxDepth} levels");
        }
        var input = new CodedInputStream(buffer, start, length);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (!read(input, tag))
            {
                input.SkipLastField();
            }
        }
    }

    /// <summary>The JSON of a field absent from the wire whose Go type has no <c>omitempty</c>.</summary>
    private static JsonNode? ZeroValue(byte[] buffer, ProtoField field, int depth) => field.Kind switch
    {
        ProtoKind.String => "",
        ProtoKind.Int32 or ProtoKind.Int64 => 0,
        ProtoKind.Double => 0.0,
        ProtoKind.Bool => false,
        ProtoKind.Message or ProtoKind.Inline when field.Message is { } nested => DecodeMessage(buffer, 0, 0, nested, depth + 1),
        ProtoKind.IntOrString => 0,
        ProtoKind.Quantity => "0",
        _ => null, // bytes, maps, times and raw JSON are null in Go: left out
    };

    private static bool IsEmpty(ProtoField field, JsonNode value) => value switch
    {
        JsonArray array => array.Count == 0,
        JsonObject obj => field.Kind is ProtoKind.StringMap or ProtoKind.BytesMap && obj.Count == 0,
        JsonValue v when field.Kind is ProtoKind.String or ProtoKind.Bytes => v.GetValue<string>().Length == 0,
        JsonValue v when field.Kind is ProtoKind.Int32 => v.GetValue<int>() == 0,
        JsonValue v when field.Kind is ProtoKind.Int64 => v.GetValue<long>() == 0,
        JsonValue v when field.Kind is ProtoKind.Double => v.GetValue<double>() == 0,
        JsonValue v when field.Kind is ProtoKind.Bool => !v.GetValue<bool>(),
        _ => false, // messages, times, quantities and IntOrStrings are written whenever present
    };

    private static string ReadString(CodedInputStream input, byte[] buffer, uint tag, string message, string field)
    {
        var (start, length) = ReadDelimited(input, buffer, tag, message, field);
        try
        {
            return StrictUtf8.GetString(buffer, start, length);
        }
        catch (DecoderFallbackException)
        {
            throw StatusException.BadRequest($"field {field} of {message} is not valid UTF-8");
        }
    }

    /// <summary>Reads a length-delimited field without copying it: where its payload lies in <paramref name="buffer"/>.</summary>
    private static (int Start, int Length) ReadDelimited(CodedInputStream input, byte[] buffer, uint tag, string message, string field)
    {
        ExpectWireType(tag, WireFormat.WireType.LengthDelimited, message, field);
        var lengthAt = (int)input.Position;
        input.SkipLastField(); // checks the length and that the payload is all there
        var end = (int)input.Position;
        // The length varint is known good now; its value is what it spans.
        // As CodedInputStream reads it: up to ten bytes, of which the first five make the value.
        uint length = 0;
        for (int i = lengthAt, shift = 0; ; i++, shift += 7)
        {
            if (shift < 32)
            {
                length |= (uint)(buffer[i] & 0x7f) << shift;
            }
            if (buffer[i] < 0x80)
            {
                break;
            }
        }
        return (end - (int)length, (int)length);
    }

    private static void ExpectWireType(uint tag, WireFormat.WireType expected, string message, string field)
    {
        var actual = WireFormat.GetTagWireType(tag);
        if (actual != expected)
        {
            throw StatusException.BadRequest(
                $"field {field} (number {WireFormat.GetTagFieldNumber(tag)}) of {message} has wire type {(int)actual}, expected {(int)expected} ({expected})");
        }
    }
}
