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
        var found = new List<string>();
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 100 });
        // One frame per open container: its path, the names seen (objects) or the next index (arrays).
        var frames = new Stack<(string Path, HashSet<string>? Names, int Index)>();
        string? pendingName = null;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    pendingName = reader.GetString()!;
                    var (path, names, _) = frames.Peek();
                    if (!names!.Add(pendingName))
                    {
                        found.Add(Join(path, pendingName));
                    }
                    break;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    var childPath = ChildPath(frames, pendingName);
                    frames.Push((childPath, reader.TokenType == JsonTokenType.StartObject ? [] : null, 0));
                    pendingName = null;
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    frames.Pop();
                    Advance(frames);
                    break;
                default:
                    pendingName = null;
                    Advance(frames);
                    break;
            }
        }
        return found;
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

    private static string ChildPath(Stack<(string Path, HashSet<string>? Names, int Index)> frames, string? name)
    {
        if (frames.Count == 0)
        {
            return "";
        }
        var (path, names, index) = frames.Peek();
        return names is null ? $"{path}[{index}]" : Join(path, name ?? "");
    }

    private static void Advance(Stack<(string Path, HashSet<string>? Names, int Index)> frames)
    {
        if (frames.Count > 0 && frames.Peek() is { Names: null } array)
        {
            frames.Pop();
            frames.Push(array with { Index = array.Index + 1 });
        }
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
}
