using System.Text.Json;
using System.Text.Json.Nodes;
using Apiserver.Generic.Schema;
using NJsonSchema;

namespace Apiserver.Generic.OpenApi;

/// <summary>
/// Writes structural schemas as OpenAPI v3 component schemas: named definitions are referred to
/// with <c>$ref</c> (wrapped in <c>allOf</c> when the property adds a description, as kube-apiserver
/// writes them) and collected, with everything they refer to, into one components map.
/// </summary>
public sealed class OpenApiSchemaWriter
{
    private readonly JsonObject _components = new();
    private readonly HashSet<string> _written = [];

    /// <summary>The component schemas written so far, by name.</summary>
    public JsonObject Components => _components;

    /// <summary>Adds a named schema and all it refers to; returns its name.</summary>
    public string Add(JsonSchema schema)
    {
        var name = schema.Title ?? throw new ArgumentException("a component schema needs a Title (its definition name)", nameof(schema));
        if (_written.Add(name))
        {
            _components[name] = Body(schema);
        }
        return name;
    }

    private JsonObject Body(JsonSchema schema)
    {
        var json = new JsonObject();
        if (schema.Description is { Length: > 0 } description) json["description"] = description;
        var type = schema.Type & ~JsonObjectType.Null;
        if (type != JsonObjectType.None) json["type"] = KubernetesExtensions.TypeName(type);
        if (schema.Format is { Length: > 0 } format) json["format"] = format;
        if (schema.Enumeration.Count > 0) json["enum"] = new JsonArray([.. schema.Enumeration.Select(e => JsonValue.Create(e?.ToString()))]);
        if (schema.Pattern is { Length: > 0 } pattern) json["pattern"] = pattern;
        if (schema.Default is { } fallback) json["default"] = JsonSerializer.SerializeToNode(fallback);
        if (schema.PropertiesOf().Count > 0)
        {
            var properties = new JsonObject();
            foreach (var (name, property) in schema.PropertiesOf())
            {
                properties[name] = Property(property);
            }
            json["properties"] = properties;
        }
        // In the schema's own order (kube lists them in Go struct order), not the properties'.
        var required = schema.RequiredProperties.Where(schema.PropertiesOf().ContainsKey).Select(p => (JsonNode)p).ToArray();
        if (required.Length > 0) json["required"] = new JsonArray(required);
        if (schema.Item is { } items) json["items"] = Property(items);
        if (schema.AdditionalPropertiesSchema is { } additional) json["additionalProperties"] = Property(additional);
        if (schema.ExtensionData is { } extensions)
        {
            foreach (var (key, value) in extensions.Where(e => e.Key.StartsWith("x-kubernetes-", StringComparison.Ordinal)))
            {
                json[key] = JsonSerializer.SerializeToNode(value);
            }
        }
        return json;
    }

    /// <summary>A property: a reference to a named definition, or an inline schema.</summary>
    private JsonObject Property(JsonSchema schema)
    {
        if (schema.Reference is { Title: not null } target)
        {
            var name = Add(target);
            var reference = new JsonObject { ["$ref"] = $"#/components/schemas/{name}" };
            var wrapper = new JsonObject { ["allOf"] = new JsonArray(reference) };
            if (schema.Description is { Length: > 0 } description) wrapper["description"] = description;
            if (schema.ExtensionData is { } extensions)
            {
                foreach (var (key, value) in extensions.Where(e => e.Key.StartsWith("x-kubernetes-", StringComparison.Ordinal)))
                {
                    wrapper[key] = JsonSerializer.SerializeToNode(value);
                }
            }
            return wrapper;
        }
        if (schema.Title is not null && schema is not JsonSchemaProperty)
        {
            return new JsonObject { ["$ref"] = $"#/components/schemas/{Add(schema)}" };
        }
        return Body(schema);
    }
}
