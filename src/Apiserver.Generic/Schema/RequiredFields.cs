using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using NJsonSchema;

namespace Apiserver.Generic.Schema;

/// <summary>
/// The <c>required</c> fields of a structural schema, checked on an object after its defaults are
/// applied (as kube-apiserver validates after defaulting): each required field missing from an object
/// that is there is a <c>Required value</c> error at its path (<c>spec.containers[0].name</c>). Objects
/// that are absent are not looked into; a field another rule already reported is not reported twice.
/// </summary>
public static class RequiredFields
{
    /// <summary>Adds an error to <paramref name="errors"/> for each required field <paramref name="obj"/> lacks.</summary>
    public static void Validate(JsonObject obj, JsonSchema schema, List<FieldError> errors)
    {
        var reported = errors.Select(e => e.Field).ToHashSet(StringComparer.Ordinal);
        Object(obj, schema.Resolved(), "", errors, reported);
    }

    private static void Value(JsonNode? value, JsonSchema schema, string path, List<FieldError> errors, HashSet<string> reported)
    {
        schema = schema.Resolved();
        switch (value)
        {
            case JsonObject o when schema.PropertiesOf().Count > 0:
                Object(o, schema, path, errors, reported);
                break;
            case JsonObject map when schema.AdditionalPropertiesSchema is { } entries:
                foreach (var (key, entry) in map)
                {
                    Value(entry, entries, $"{path}[{key}]", errors, reported);
                }
                break;
            case JsonArray array when schema.Item is { } items:
                for (var i = 0; i < array.Count; i++)
                {
                    Value(array[i], items, $"{path}[{i}]", errors, reported);
                }
                break;
        }
    }

    private static void Object(JsonObject obj, JsonSchema schema, string path, List<FieldError> errors, HashSet<string> reported)
    {
        foreach (var name in schema.RequiredProperties)
        {
            var field = path.Length == 0 ? name : $"{path}.{name}";
            if (obj[name] is null && reported.Add(field))
            {
                errors.Add(FieldError.Required(field));
            }
        }
        foreach (var (name, property) in schema.PropertiesOf())
        {
            if (obj[name] is { } child)
            {
                Value(child, property, path.Length == 0 ? name : $"{path}.{name}", errors, reported);
            }
        }
    }
}
