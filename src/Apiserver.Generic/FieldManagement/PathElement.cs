using System.Text.Json;
using System.Text.Json.Nodes;

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
/// the key object with its fields sorted by name, or the JSON of the value, or the index), so equal
/// steps have equal text.
/// </summary>
internal readonly record struct PathElement(PathElementKind Kind, string Text) : IComparable<PathElement>
{
    public static PathElement Field(string name) => new(PathElementKind.Field, name);

    public static PathElement Value(JsonNode? value) => new(PathElementKind.Value, ToJson(value));

    public static PathElement Index(int index) => new(PathElementKind.Index, index.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The item of a list-map with the given key fields (sorted by name, as kube sorts them).</summary>
    public static PathElement Key(IEnumerable<KeyValuePair<string, JsonNode?>> fields)
    {
        var key = new JsonObject();
        foreach (var (name, value) in fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            key[name] = value?.DeepClone();
        }
        return new(PathElementKind.Key, ToJson(key));
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
    public override string ToString()
    {
        switch (Kind)
        {
            case PathElementKind.Field:
                return "." + Text;
            case PathElementKind.Key:
                var key = (JsonObject)JsonNode.Parse(Text)!;
                return "[" + string.Join(",", key.Select(f => $"{f.Key}={Print(f.Value)}")) + "]";
            case PathElementKind.Value:
                return "[=" + Print(JsonNode.Parse(Text)) + "]";
            default:
                return "[" + Text + "]";
        }
    }

    /// <summary>structured-merge-diff's order: fields, keys, values, indexes; within a kind by value.</summary>
    public int CompareTo(PathElement other)
    {
        if (Kind != other.Kind)
        {
            return Kind.CompareTo(other.Kind);
        }
        return Kind switch
        {
            PathElementKind.Field => string.CompareOrdinal(Text, other.Text),
            PathElementKind.Index => int.Parse(Text, System.Globalization.CultureInfo.InvariantCulture).CompareTo(int.Parse(other.Text, System.Globalization.CultureInfo.InvariantCulture)),
            _ => ValueOrder.Compare(JsonNode.Parse(Text), JsonNode.Parse(other.Text)),
        };
    }

    internal static string ToJson(JsonNode? value) => value is null ? "null" : value.ToJsonString(Apiserver.Generic.Api.JsonOptions.Compact);

    // value.ToString of structured-merge-diff: strings quoted, the rest as JSON.
    private static string Print(JsonNode? value) => ToJson(value);
}
