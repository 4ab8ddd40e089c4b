using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Apiserver.Generic.Api;

namespace Apiserver.Kube.Registry.Core;

/// <summary>The checks ConfigMaps and Secrets share: key names, immutability and total size.</summary>
internal static partial class DataValidation
{
    public const int MaxTotalBytes = 1024 * 1024;

    [GeneratedRegex("^[-._a-zA-Z0-9]+$")]
    private static partial Regex KeyPattern();

    /// <summary>Validates the keys of each map field; returns the total size of the values.</summary>
    public static long ValidateKeys(JsonObject obj, IEnumerable<string> fields, List<FieldError> errors)
    {
        long total = 0;
        var seen = new HashSet<string>();
        foreach (var field in fields)
        {
            if (obj[field] is null)
            {
                continue;
            }
            if (obj[field] is not JsonObject map)
            {
                errors.Add(FieldError.Invalid(field, obj[field]!.DeepClone(), "must be a map"));
                continue;
            }
            foreach (var (key, value) in map)
            {
                foreach (var problem in KeyProblems(key))
                {
                    errors.Add(FieldError.Invalid($"{field}[{key}]", key, problem));
                }
                if (!seen.Add(key))
                {
                    errors.Add(new FieldError(FieldErrorType.Invalid, $"{field}[{key}]", JsonValue.Create(key), "duplicate of key present in " + (field == "binaryData" ? "data" : "binaryData")));
                }
                total += key.Length + Size(obj, field, value);
            }
        }
        return total;
    }

    /// <summary>Once <c>immutable</c> is true, neither the data nor the flag may change.</summary>
    public static void ValidateImmutable(JsonObject obj, JsonObject old, IEnumerable<string> fields, List<FieldError> errors)
    {
        if (old["immutable"] is not JsonValue v || !v.TryGetValue<bool>(out var wasImmutable) || !wasImmutable)
        {
            return;
        }
        if (obj["immutable"] is not JsonValue now || !now.TryGetValue<bool>(out var isImmutable) || !isImmutable)
        {
            errors.Add(FieldError.Forbidden("immutable", "field is immutable when `immutable` is set"));
        }
        foreach (var field in fields)
        {
            if (!JsonNode.DeepEquals(obj[field], old[field]))
            {
                errors.Add(FieldError.Forbidden(field, "field is immutable when `immutable` is set"));
            }
        }
    }

    /// <summary>The size of one value: UTF-8 text for <c>data</c> of a ConfigMap, decoded bytes for base64 fields.</summary>
    private static long Size(JsonObject obj, string field, JsonNode? value)
    {
        var text = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
        return obj["kind"]?.ToString() == "ConfigMap" && field == "data" ? Encoding.UTF8.GetByteCount(text) : DecodeBase64(obj, field, text).Length;
    }

    /// <summary>
    /// Decodes a base64 value; a malformed one is a 400, as kube-apiserver fails to decode such a
    /// body before any validation.
    /// </summary>
    public static byte[] DecodeBase64(JsonObject obj, string field, string text)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            var kind = obj["kind"]?.ToString() ?? "object";
            throw StatusException.BadRequest($"{kind} in version \"v1\" cannot be handled as a {kind}: illegal base64 data in {field}");
        }
    }

    private static IEnumerable<string> KeyProblems(string key)
    {
        if (key.Length > 253)
        {
            yield return "must be no more than 253 characters";
        }
        if (!KeyPattern().IsMatch(key))
        {
            yield return "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
        }
        else if (key is "." or ".." || key.StartsWith("..", StringComparison.Ordinal))
        {
            yield return key == "." ? "must not be '.'" : key == ".." ? "must not be '..'" : "must not start with '..'";
        }
    }

    /// <summary>The number of entries in the named map fields (the DATA column).</summary>
    public static int Count(JsonObject obj, params string[] fields) =>
        fields.Sum(f => obj[f] is JsonObject map ? map.Count : 0);
}
