using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Apiserver.Generic.OpenApi;

/// <summary>
/// The YAML text gnostic keeps in an <c>Any</c> (vendor extensions, enums, defaults), written the way
/// kube's go-yaml writes it: block style, keys in the JSON's order, strings quoted only when they must be.
/// </summary>
internal static partial class OpenApiV2Yaml
{
    /// <summary>The YAML of one JSON value, ending in a newline.</summary>
    public static string Write(JsonNode? node)
    {
        var text = new StringBuilder();
        Value(text, node, 0, inline: true);
        return text.ToString();
    }

    private static void Value(StringBuilder text, JsonNode? node, int indent, bool inline)
    {
        switch (node)
        {
            case JsonObject obj when obj.Count > 0:
                var first = true;
                foreach (var (key, value) in obj)
                {
                    if (!(first && inline))
                    {
                        text.Append(' ', indent);
                    }
                    first = false;
                    text.Append(Scalar(key)).Append(':');
                    Child(text, value, indent);
                }
                break;
            case JsonArray array when array.Count > 0:
                first = true;
                foreach (var item in array)
                {
                    if (!(first && inline))
                    {
                        text.Append(' ', indent);
                    }
                    first = false;
                    text.Append("- ");
                    if (item is JsonObject { Count: > 0 } or JsonArray { Count: > 0 })
                    {
                        Value(text, item, indent + 2, inline: true);
                    }
                    else
                    {
                        text.Append(Leaf(item)).Append('\n');
                    }
                }
                break;
            default:
                text.Append(Leaf(node)).Append('\n');
                break;
        }
    }

    private static void Child(StringBuilder text, JsonNode? value, int indent)
    {
        switch (value)
        {
            case JsonObject { Count: > 0 }:
                text.Append('\n');
                Value(text, value, indent + 2, inline: false);
                break;
            case JsonArray { Count: > 0 }:
                text.Append('\n');
                Value(text, value, indent, inline: false);
                break;
            default:
                text.Append(' ').Append(Leaf(value)).Append('\n');
                break;
        }
    }

    private static string Leaf(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "{}",
        JsonArray => "[]",
        _ => node.GetValueKind() switch
        {
            JsonValueKind.String => Scalar(node.GetValue<string>()),
            JsonValueKind.Number => node.ToJsonString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => "null",
        },
    };

    // Plain when YAML cannot read it as anything but this string; JSON's double quotes otherwise (valid YAML).
    private static string Scalar(string value) =>
        Plain().IsMatch(value) && !Reserved.Contains(value.ToLowerInvariant()) && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            ? value
            : JsonSerializer.Serialize(value);

    private static readonly HashSet<string> Reserved = ["true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"];

    [GeneratedRegex(@"^[A-Za-z_/][A-Za-z0-9_./\-]*$")]
    private static partial Regex Plain();
}
