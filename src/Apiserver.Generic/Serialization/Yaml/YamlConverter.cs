using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;

namespace Apiserver.Generic.Serialization.Yaml;

/// <summary>
/// YAML request and response bodies. Reading follows what kube-apiserver does (sigs.k8s.io/yaml over
/// go-yaml v2): YAML 1.1 plain scalars (<c>yes</c>/<c>on</c> are booleans, <c>0644</c> is octal 420,
/// <c>~</c> is null), one document, duplicate keys refused, and alias expansion bounded so that a
/// small document cannot expand without limit. Every failure is a 400.
/// </summary>
public static class YamlConverter
{
    /// <summary>The most nodes a document may expand to through aliases.</summary>
    public const int MaxExpandedNodes = 100_000;

    private static readonly ISerializer Serializer = new SerializerBuilder()
        .WithQuotingNecessaryStrings(quoteYaml1_1Strings: true)
        .WithIndentedSequences()
        .Build();

    /// <summary>Parses a YAML document into JSON.</summary>
    public static JsonNode? ToJson(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw StatusException.BadRequest($"error converting YAML to JSON: yaml: {Clean(e.Message)}");
        }
        catch (ArgumentException e)
        {
            // YamlDotNet reports a repeated mapping key this way.
            throw StatusException.BadRequest($"error converting YAML to JSON: yaml: {Clean(e.Message)}");
        }
        if (stream.Documents.Count > 1)
        {
            throw StatusException.BadRequest("error converting YAML to JSON: the body must hold exactly one YAML document");
        }
        if (stream.Documents.Count == 0)
        {
            return null;
        }
        var budget = MaxExpandedNodes;
        return Convert(stream.Documents[0].RootNode, ref budget, depth: 0);
    }

    /// <summary>Writes JSON as YAML, quoting strings that would otherwise read back as another type.</summary>
    public static string ToYaml(JsonNode? node) => Serializer.Serialize(ToPlain(node));

    private static JsonNode? Convert(YamlNode node, ref int budget, int depth)
    {
        if (--budget < 0)
        {
            throw StatusException.BadRequest("error converting YAML to JSON: yaml: document contains excessive aliasing");
        }
        if (depth > 100)
        {
            throw StatusException.BadRequest("error converting YAML to JSON: yaml: exceeded max depth of 100");
        }
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                {
                    var name = key is YamlScalarNode { Value: { } k } ? k : throw StatusException.BadRequest("error converting YAML to JSON: mapping keys must be scalars");
                    obj[name] = Convert(value, ref budget, depth + 1);
                }
                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                foreach (var item in sequence.Children)
                {
                    array.Add(Convert(item, ref budget, depth + 1));
                }
                return array;
            case YamlScalarNode scalar:
                return scalar.Style is ScalarStyle.Plain ? Resolve(scalar.Value ?? "") : JsonValue.Create(scalar.Value ?? "");
            default:
                throw StatusException.BadRequest("error converting YAML to JSON: unsupported YAML node");
        }
    }

    /// <summary>A plain scalar's value under YAML 1.1 as go-yaml v2 resolves it.</summary>
    private static JsonNode? Resolve(string text)
    {
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "y" or "Y" or "yes" or "Yes" or "YES" or "on" or "On" or "ON" or "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "n" or "N" or "no" or "No" or "NO" or "off" or "Off" or "OFF" or "false" or "False" or "FALSE":
                return JsonValue.Create(false);
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF" or "-.inf" or "-.Inf" or "-.INF" or ".nan" or ".NaN" or ".NAN":
                throw StatusException.BadRequest($"error converting YAML to JSON: json: unsupported value: {text}");
        }
        if (ParseInteger(text.Replace("_", "")) is { } integer)
        {
            return JsonValue.Create(integer);
        }
        if (IsYamlFloat(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            return JsonValue.Create(real);
        }
        return JsonValue.Create(text);
    }

    /// <summary>Integers as Go's strconv.ParseInt with base 0 reads them: decimal, 0x hex, 0o or leading-0 octal, 0b binary.</summary>
    private static long? ParseInteger(string text)
    {
        if (text.Length == 0)
        {
            return null;
        }
        var negative = text[0] == '-';
        var digits = text[0] is '-' or '+' ? text[1..] : text;
        if (digits.Length == 0 || !char.IsAsciiDigit(digits[0]))
        {
            return null;
        }
        var (radix, body) = digits switch
        {
            _ when digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase) => (16, digits[2..]),
            _ when digits.StartsWith("0o", StringComparison.OrdinalIgnoreCase) => (8, digits[2..]),
            _ when digits.StartsWith("0b", StringComparison.OrdinalIgnoreCase) => (2, digits[2..]),
            _ when digits.Length > 1 && digits[0] == '0' => (8, digits[1..]),
            _ => (10, digits),
        };
        if (body.Length == 0)
        {
            return null;
        }
        long value = 0;
        foreach (var c in body)
        {
            var d = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiLetter(c) ? char.ToLowerInvariant(c) - 'a' + 10 : 99;
            if (d >= radix)
            {
                return null;
            }
            try
            {
                value = checked(value * radix + d);
            }
            catch (OverflowException)
            {
                return null;
            }
        }
        return negative ? -value : value;
    }

    private static bool IsYamlFloat(string text)
    {
        // go-yaml v2: ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
        var i = 0;
        if (i < text.Length && text[i] is '-' or '+') i++;
        var start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
        var intDigits = i - start;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            var frac = i;
            while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
            if (intDigits == 0 && i == frac) return false;
        }
        else if (intDigits == 0)
        {
            return false;
        }
        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '-' or '+') i++;
            var exp = i;
            while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
            if (i == exp) return false;
        }
        return i == text.Length;
    }

    private static object? ToPlain(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => obj.ToDictionary(p => p.Key, p => ToPlain(p.Value)),
        JsonArray array => array.Select(ToPlain).ToList(),
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when value.TryGetValue<long>(out var l) => l,
            JsonValueKind.Number => value.GetValue<double>(),
            _ => null,
        },
        _ => null,
    };

    private static string Clean(string message) => message.Replace('\n', ' ').Trim();
}
