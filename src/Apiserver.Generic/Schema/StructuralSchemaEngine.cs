using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Apiserver.Generic.Api;
using NJsonSchema;

namespace Apiserver.Generic.Schema;

/// <summary>
/// Applies a structural schema to an object, in one walk: removes (and reports) the fields the schema
/// does not declare unless <c>x-kubernetes-preserve-unknown-fields</c> keeps them, fills in defaults,
/// and collects type and bound errors with their field paths. Built-in kinds and custom resources
/// share it.
/// </summary>
public static class StructuralSchemaEngine
{
    private static readonly string[] MetaFields = ["apiVersion", "kind", "metadata"];

    /// <summary>
    /// Prunes, defaults and checks <paramref name="obj"/> (changed in place) against <paramref name="schema"/>.
    /// When <paramref name="typed"/>, values of <c>format: quantity</c> are read as kube's Go types
    /// read them: one that is no quantity is an error, and the rest are stored in their canonical
    /// spelling (<c>2000m</c> becomes <c>2</c>). Custom resources keep what the client wrote.
    /// </summary>
    public static SchemaResult Apply(JsonObject obj, JsonSchema schema, bool typed = false)
    {
        var walk = new Walk(typed);
        walk.Object(obj, schema.Resolved(), "", root: true);
        return new SchemaResult(walk.Unknown, walk.Errors);
    }

    private sealed class Walk(bool typed)
    {
        public List<string> Unknown { get; } = [];
        public List<FieldError> Errors { get; } = [];

        public void Value(JsonNode? value, JsonSchema schema, string path)
        {
            schema = schema.Resolved();
            if (value is null)
            {
                return; // null means "unset" for the fields of Kubernetes objects.
            }
            if (schema.Is(KubernetesExtensions.IntOrString))
            {
                if (value.GetValueKind() is not (JsonValueKind.Number or JsonValueKind.String))
                {
                    Error(path, value, "must be an integer or a string");
                }
                else if (typed && schema.Format == "quantity")
                {
                    Quantity(value, path);
                }
                return;
            }
            var type = schema.Type & ~JsonObjectType.Null;
            if (type == JsonObjectType.None)
            {
                // Untyped: anything goes, but objects may still declare properties.
                if (value is JsonObject o && (schema.PropertiesOf().Count > 0 || schema.AdditionalPropertiesSchema is not null))
                {
                    Object(o, schema, path, root: false);
                }
                return;
            }
            switch (value)
            {
                case JsonObject o when type.HasFlag(JsonObjectType.Object):
                    Object(o, schema, path, root: false);
                    return;
                case JsonArray a when type.HasFlag(JsonObjectType.Array):
                    Array(a, schema, path);
                    return;
                case JsonValue v when Scalar(v, type, schema, path):
                    return;
            }
            Error(path, value, $"must be of type {KubernetesExtensions.TypeName(type)}");
        }

        public void Object(JsonObject obj, JsonSchema schema, string path, bool root)
        {
            var properties = schema.PropertiesOf();
            var additional = schema.AdditionalPropertiesSchema;
            var preserve = schema.Is(KubernetesExtensions.PreserveUnknownFields) || schema.AllowAdditionalProperties && additional is null && properties.Count == 0;
            foreach (var (name, value) in obj.ToList())
            {
                var childPath = path.Length == 0 ? name : $"{path}.{name}";
                if (properties.TryGetValue(name, out var property))
                {
                    Value(value, property, childPath);
                }
                else if (additional is not null)
                {
                    Value(value, additional, $"{path}[{name}]");
                }
                else if (root && MetaFields.Contains(name))
                {
                    // kind, apiVersion and metadata are the server's, checked elsewhere.
                }
                else if (!preserve)
                {
                    Unknown.Add(childPath);
                    obj.Remove(name);
                }
            }
            foreach (var (name, property) in properties)
            {
                if (!obj.ContainsKey(name) && property.Resolved().Default is { } fallback)
                {
                    obj[name] = JsonSerializer.SerializeToNode(fallback);
                }
            }
        }

        private void Array(JsonArray array, JsonSchema schema, string path)
        {
            if (schema.MaxItems > 0 && array.Count > schema.MaxItems)
            {
                Errors.Add(new FieldError(FieldErrorType.TooLong, path, null, $"must have at most {schema.MaxItems} items"));
            }
            if (schema.Item is not { } items)
            {
                return;
            }
            for (var i = 0; i < array.Count; i++)
            {
                Value(array[i], items, $"{path}[{i}]");
            }
        }

        private bool Scalar(JsonValue value, JsonObjectType type, JsonSchema schema, string path)
        {
            switch (value.GetValueKind())
            {
                case JsonValueKind.String when type.HasFlag(JsonObjectType.String):
                    var text = value.GetValue<string>();
                    if (schema.Enumeration.Count > 0 && !schema.Enumeration.Any(e => e?.ToString() == text))
                    {
                        Errors.Add(FieldError.NotSupported(path, text, schema.Enumeration.Select(e => e?.ToString() ?? "")));
                    }
                    if (schema.Format == "byte" && !IsBase64(text))
                    {
                        Error(path, value, "must be base64-encoded");
                    }
                    if (schema.Format == "date-time" && !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                    {
                        Error(path, value, "must be an RFC 3339 date-time");
                    }
                    if (schema.Pattern is { Length: > 0 } pattern && !Regex.IsMatch(text, pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100)))
                    {
                        Error(path, value, $"must match the pattern {pattern}");
                    }
                    if (schema.MaxLength is { } max && text.Length > max)
                    {
                        Errors.Add(new FieldError(FieldErrorType.TooLong, path, null, $"may not be more than {max} bytes"));
                    }
                    return true;
                case JsonValueKind.Number when type.HasFlag(JsonObjectType.Integer):
                    if (!long.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
                    {
                        return false;
                    }
                    if (schema.Minimum is { } min && integer < min) Error(path, value, $"must be greater than or equal to {min}");
                    if (schema.Maximum is { } maxValue && integer > maxValue) Error(path, value, $"must be less than or equal to {maxValue}");
                    return true;
                case JsonValueKind.Number when type.HasFlag(JsonObjectType.Number):
                    return true;
                case JsonValueKind.True or JsonValueKind.False when type.HasFlag(JsonObjectType.Boolean):
                    return true;
                default:
                    return false;
            }
        }

        private void Quantity(JsonNode value, string path)
        {
            if (!Api.Quantity.TryCanonicalize(value, out var canonical))
            {
                Error(path, value, Api.Quantity.FormatError);
            }
            else if (value.GetValueKind() != JsonValueKind.String || value.GetValue<string>() != canonical)
            {
                value.ReplaceWith(canonical);
            }
        }

        private void Error(string path, JsonNode value, string detail) => Errors.Add(FieldError.Invalid(path, value.DeepClone(), detail));

        private static bool IsBase64(string text)
        {
            var buffer = new byte[text.Length];
            return Convert.TryFromBase64String(text, buffer, out _);
        }
    }
}
