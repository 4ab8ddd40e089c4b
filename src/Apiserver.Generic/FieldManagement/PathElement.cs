using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;

namespace Apiserver.Generic.FieldManagement;

/// <summary>The kinds of step in a field path, in the order structured-merge-diff sorts them.</summary>
internal enum PathElementKind
{
    /// <summary>A field of a map or struct (<c>f:name</c>).</summary>
    Field,
    /// <summary>An item of a list-map, by its keys (<c>k:{"name":"c"}</c>).</summary>
    Key,
    /// <summary>An item of a set, by its value (<c>v:"x"</c>).</summary>
    Value,
    /// <summary>An item of a list by position (<c>i:0</c>).</summary>
    Index,
}

/// <summary>
/// One step of a field path. <see cref="Text"/> is the canonical form (the field name, or the JSON of
/// the key object with its fields sorted by name, or the JSON of the value, or the index): equal
/// steps have equal text, and equality and hashing use only the kind and the text. Keys and values
/// also keep their parsed form, for ordering without parsing again.
/// </summary>
internal readonly struct PathElement : IEquatable<PathElement>, IComparable<PathElement>
{
    [ThreadStatic] private static ArrayBufferWriter<byte>? _buffer;
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JsonOptions.Compact.Encoder };
    private readonly KeyValuePair<string, JsonNode?>[]? _key;
    private readonly JsonNode? _value;

    private PathElement(PathElementKind kind, string text, KeyValuePair<string, JsonNode?>[]? key = null, JsonNode? value = null)
    {
        Kind = kind;
        Text = text;
        _key = key;
        _value = value;
    }

    public PathElementKind Kind { get; }

    public string Text { get; }

    public static PathElement Field(string name) => new(PathElementKind.Field, name);

    public static PathElement Value(JsonNode? value) => new(PathElementKind.Value, ToJson(value), value: value);

    public static PathElement Index(int index) => new(PathElementKind.Index, index.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The item of a list-map with the given key fields (sorted by name, as kube sorts them).</summary>
    public static PathElement Key(IEnumerable<KeyValuePair<string, JsonNode?>> fields)
    {
        var sorted = fields.ToArray();
        if (sorted.Length > 1) Array.Sort(sorted, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in sorted)
            {
                writer.WritePropertyName(name);
                if (value is null) writer.WriteNullValue(); else value.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        return new(PathElementKind.Key, Encoding.UTF8.GetString(buffer.WrittenSpan), key: sorted);
    }

    /// <summary>The key of a FieldsV1 object: <c>f:name</c>, <c>k:{…}</c>, <c>v:…</c> or <c>i:N</c>.</summary>
    public string ToFieldsV1Key() => Kind switch
    {
        PathElementKind.Field => "f:" + Text,
        PathElementKind.Key => "k:" + Text,
        PathElementKind.Value => "v:" + Text,
        _ => "i:" + Text,
    };

    /// <summary>Parses a FieldsV1 key; false for anything else.</summary>
    public static bool TryParse(string key, out PathElement element)
    {
        element = default;
        if (key.Length < 2 || key[1] != ':')
        {
            return false;
        }
        var rest = key[2..];
        switch (key[0])
        {
            case 'f':
                element = Field(rest);
                return true;
            case 'k' or 'v':
                try
                {
                    var node = JsonNode.Parse(rest);
                    if (key[0] == 'k' && node is not JsonObject)
                    {
                        return false;
                    }
                    element = key[0] == 'k' ? Key(((JsonObject)node!).ToList()) : Value(node);
                    return true;
                }
                catch (JsonException)
                {
                    return false;
                }
            case 'i' when int.TryParse(rest, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index):
                element = Index(index);
                return true;
            default:
                return false;
        }
    }

    /// <summary>The element as fieldpath prints it: <c>.name</c>, <c>[name="c"]</c>, <c>[=x]</c>, <c>[0]</c>.</summary>
    public override string ToString() => Kind switch
    {
        PathElementKind.Field => "." + Text,
        PathElementKind.Key => "[" + string.Join(",", _key!.Select(f => $"{f.Key}={ToJson(f.Value)}")) + "]",
        PathElementKind.Value => "[=" + Text + "]",
        _ => "[" + Text + "]",
    };

    /// <summary>structured-merge-diff's order: fields, keys, values, indexes; within a kind by value.</summary>
    public int CompareTo(PathElement other)
    {
        if (Kind != other.Kind)
        {
            return Kind.CompareTo(other.Kind);
        }
        switch (Kind)
        {
            case PathElementKind.Field:
                return string.CompareOrdinal(Text, other.Text);
            case PathElementKind.Index:
                return int.Parse(Text, System.Globalization.CultureInfo.InvariantCulture).CompareTo(int.Parse(other.Text, System.Globalization.CultureInfo.InvariantCulture));
            case PathElementKind.Value:
                return ValueOrder.Compare(_value, other._value);
            default:
                var (left, right) = (_key!, other._key!);
                for (var i = 0; i < Math.Min(left.Length, right.Length); i++)
                {
                    if (string.CompareOrdinal(left[i].Key, right[i].Key) is var n and not 0) return n;
                    if (ValueOrder.Compare(left[i].Value, right[i].Value) is var c and not 0) return c;
                }
                return left.Length.CompareTo(right.Length);
        }
    }

    public bool Equals(PathElement other) => Kind == other.Kind && string.Equals(Text, other.Text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is PathElement other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Kind, Text);

    public static bool operator ==(PathElement left, PathElement right) => left.Equals(right);

    public static bool operator !=(PathElement left, PathElement right) => !left.Equals(right);

    internal static string ToJson(JsonNode? value) => value is null ? "null" : value.ToJsonString(JsonOptions.Compact);
}
