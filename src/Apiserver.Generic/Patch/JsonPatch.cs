using System.Globalization;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;

namespace Apiserver.Generic.Patch;

/// <summary>
/// JSON patch (RFC 6902): add, remove, replace, move, copy and test, with JSON pointers (RFC 6901).
/// A malformed patch is a 400; a patch that cannot apply (a missing path, a failed test) is a 422,
/// as kube-apiserver answers.
/// </summary>
public static class JsonPatch
{
    /// <summary>The most operations one patch may hold (kube-apiserver's bound on patch size by operations).</summary>
    public const int MaxOperations = 10_000;

    /// <summary>The result of applying <paramref name="patch"/> (an array of operations) to <paramref name="target"/>, which is not changed.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonArray operations)
        {
            throw StatusException.BadRequest("json patch must be an array of operations");
        }
        if (operations.Count > MaxOperations)
        {
            throw new StatusException(413, StatusReason.RequestEntityTooLarge, $"The allowed maximum operations in a JSON patch is {MaxOperations}, got {operations.Count}");
        }
        var document = new JsonArray(target?.DeepClone()); // A holder, so the root itself can be replaced.
        foreach (var node in operations)
        {
            if (node is not JsonObject op || op["op"] is not JsonValue opValue || !opValue.TryGetValue<string>(out var name))
            {
                throw StatusException.BadRequest("json patch operation must be an object with a string \"op\"");
            }
            var path = PathOf(op, "path");
            switch (name)
            {
                case "add":
                    Add(document, path, ValueOf(op));
                    break;
                case "remove":
                    Remove(document, path);
                    break;
                case "replace":
                    Remove(document, path);
                    Add(document, path, ValueOf(op));
                    break;
                case "move":
                    var from = PathOf(op, "from");
                    if (path.StartsWith(from + "/", StringComparison.Ordinal))
                    {
                        throw Unprocessable($"cannot move \"{from}\" into its own child \"{path}\"");
                    }
                    var moved = Remove(document, from);
                    Add(document, path, moved);
                    break;
                case "copy":
                    Add(document, path, Get(document, PathOf(op, "from"))?.DeepClone());
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Get(document, path), ValueOf(op)))
                    {
                        throw Unprocessable($"testing value {Display(path)} failed: test failed");
                    }
                    break;
                default:
                    throw StatusException.BadRequest($"unexpected json patch operation \"{name}\"");
            }
        }
        var result = document[0];
        document.Clear();
        return result;
    }

    private static string PathOf(JsonObject op, string field) =>
        op[field] is JsonValue v && v.TryGetValue<string>(out var path) && (path.Length == 0 || path.StartsWith('/'))
            ? "/0" + path
            : throw StatusException.BadRequest($"json patch operation \"{op["op"]}\" needs a JSON pointer in \"{field}\"");

    private static JsonNode? ValueOf(JsonObject op) =>
        op.ContainsKey("value") ? op["value"]?.DeepClone() : throw StatusException.BadRequest($"json patch operation \"{op["op"]}\" needs a \"value\"");

    private static (JsonNode Parent, string Token) Parent(JsonArray document, string path)
    {
        var tokens = path.Split('/')[1..].Select(t => t.Replace("~1", "/").Replace("~0", "~")).ToArray();
        JsonNode node = document;
        foreach (var token in tokens[..^1])
        {
            node = Child(node, token) ?? throw Unprocessable($"the path \"{Display(path)}\" does not exist");
        }
        return (node, tokens[^1]);
    }

    private static JsonNode? Get(JsonArray document, string path)
    {
        var (parent, token) = Parent(document, path);
        return Exists(parent, token) ? Child(parent, token) : throw Unprocessable($"the path \"{Display(path)}\" does not exist");
    }

    private static void Add(JsonArray document, string path, JsonNode? value)
    {
        if (path == "/0")
        {
            document[0] = value; // "add" at the root replaces the whole document.
            return;
        }
        var (parent, token) = Parent(document, path);
        switch (parent)
        {
            case JsonObject obj:
                obj[token] = value;
                break;
            case JsonArray array when token == "-":
                array.Add(value);
                break;
            case JsonArray array:
                var index = Index(token, path);
                if (index > array.Count)
                {
                    throw Unprocessable($"add operation index {index} is out of bounds for \"{Display(path)}\"");
                }
                array.Insert(index, value);
                break;
            default:
                throw Unprocessable($"the path \"{Display(path)}\" does not exist");
        }
    }

    private static JsonNode? Remove(JsonArray document, string path)
    {
        if (path == "/0")
        {
            throw Unprocessable("the root of the document cannot be removed");
        }
        var (parent, token) = Parent(document, path);
        if (!Exists(parent, token))
        {
            throw Unprocessable($"the path \"{Display(path)}\" does not exist");
        }
        var node = Child(parent, token);
        if (parent is JsonObject obj)
        {
            obj.Remove(token);
        }
        else
        {
            ((JsonArray)parent).RemoveAt(Index(token, path));
        }
        return node;
    }

    private static bool Exists(JsonNode parent, string token) => parent switch
    {
        JsonObject obj => obj.ContainsKey(token),
        JsonArray array => int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < array.Count,
        _ => false,
    };

    private static JsonNode? Child(JsonNode node, string token) => node switch
    {
        JsonObject obj => obj[token],
        JsonArray array when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < array.Count => array[i],
        _ => null,
    };

    private static int Index(string token, string path) =>
        int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : throw Unprocessable($"\"{token}\" is not an array index in \"{Display(path)}\"");

    private static string Display(string path) => path[2..];

    private static StatusException Unprocessable(string message) => new(422, StatusReason.Invalid, message);
}
