using System.Text.Json;
using System.Text.Json.Nodes;

namespace Apiserver.Generic.Serialization.Json;

/// <summary>
/// Finds fields that appear twice in one JSON object (<c>{"a":1,"a":2}</c>), which Go's decoder
/// accepts (the last wins) and kube-apiserver reports under <c>fieldValidation</c>.
/// </summary>
public static class DuplicateFields
{
    /// <summary>The paths of duplicated fields (<c>metadata.name</c>, <c>spec.containers[0].image</c>), in document order.</summary>
    public static IReadOnlyList<string> Find(ReadOnlySpan<byte> json)
    {
        List<string>? found = null;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 100 });
        Container? open = null;
        string? pendingName = null;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    pendingName = reader.GetString()!;
                    if (!(open!.Names ??= new HashSet<string>(StringComparer.Ordinal)).Add(pendingName))
                    {
                        (found ??= []).Add(Join(open.Path(), pendingName));
                    }
                    break;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    open = new Container(open, pendingName, open?.Next ?? 0, reader.TokenType == JsonTokenType.StartArray);
                    pendingName = null;
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    open = open!.Parent;
                    if (open is not null)
                    {
                        open.Next++;
                    }
                    break;
                default:
                    pendingName = null;
                    if (open is not null)
                    {
                        open.Next++;
                    }
                    break;
            }
        }
        return found ?? (IReadOnlyList<string>)[];
    }

    /// <summary>Parses JSON in which fields may repeat, keeping the last value of each, as Go's decoder does.</summary>
    public static JsonNode? ParseLastWins(ReadOnlySpan<byte> json)
    {
        using var document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 100 });
        return Convert(document.RootElement);
    }

    private static JsonNode? Convert(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => ToObject(element),
        JsonValueKind.Array => new JsonArray([.. element.EnumerateArray().Select(Convert)]),
        JsonValueKind.Null => null,
        _ => JsonValue.Create(element.Clone()),
    };

    private static JsonObject ToObject(JsonElement element)
    {
        var obj = new JsonObject();
        foreach (var property in element.EnumerateObject())
        {
            obj[property.Name] = Convert(property.Value);
        }
        return obj;
    }

    /// <summary>
    /// An open object or array: where it sits in its parent (a member's name, or an item's index),
    /// the names seen so far (objects) and the count of items so far (arrays). Its path is spelled
    /// out only for a duplicate.
    /// </summary>
    private sealed class Container(Container? parent, string? name, int index, bool isArray)
    {
        public Container? Parent => parent;

        public bool IsArray => isArray;

        public HashSet<string>? Names { get; set; }

        public int Next { get; set; }

        public string Path()
        {
            if (parent is null)
            {
                return "";
            }
            var path = parent.Path();
            return parent.IsArray ? $"{path}[{index}]" : Join(path, name ?? "");
        }
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
}
