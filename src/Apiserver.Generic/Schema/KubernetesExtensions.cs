using NJsonSchema;

namespace Apiserver.Generic.Schema;

/// <summary>The <c>x-kubernetes-*</c> schema extensions, read from and written to a schema's extension data.</summary>
public static class KubernetesExtensions
{
#pragma warning disable CS1591 // Each constant is the extension's own name.
    public const string ListType = "x-kubernetes-list-type";
    public const string ListMapKeys = "x-kubernetes-list-map-keys";
    public const string MapType = "x-kubernetes-map-type";
    public const string PatchStrategy = "x-kubernetes-patch-strategy";
    public const string PatchMergeKey = "x-kubernetes-patch-merge-key";
    public const string IntOrString = "x-kubernetes-int-or-string";
    public const string PreserveUnknownFields = "x-kubernetes-preserve-unknown-fields";
    public const string EmbeddedResource = "x-kubernetes-embedded-resource";
    public const string GroupVersionKind = "x-kubernetes-group-version-kind";
#pragma warning restore CS1591

    /// <summary>The value of an extension, or null.</summary>
    public static object? Get(this JsonSchema schema, string name) =>
        schema.ExtensionData is { } data && data.TryGetValue(name, out var value) ? value : null;

    /// <summary>Whether a boolean extension is set to true.</summary>
    public static bool Is(this JsonSchema schema, string name) => schema.Get(name) is true;

    /// <summary>Sets an extension.</summary>
    public static void Set(this JsonSchema schema, string name, object? value)
    {
        schema.ExtensionData ??= new Dictionary<string, object?>();
        schema.ExtensionData[name] = value;
    }

    /// <summary>The OpenAPI name of a schema type (<c>object</c>, <c>string</c>, …).</summary>
    public static string TypeName(JsonObjectType type) => (type & ~JsonObjectType.Null) switch
    {
        JsonObjectType.Array => "array",
        JsonObjectType.String => "string",
        JsonObjectType.Integer => "integer",
        JsonObjectType.Number => "number",
        JsonObjectType.Boolean => "boolean",
        _ => "object",
    };

    /// <summary>
    /// The schema's properties and those of its untyped <c>allOf</c> parts, as NJsonSchema's
    /// <c>ActualProperties</c>, which builds a new dictionary on every call: without <c>allOf</c>
    /// parts (nearly always) this is the schema's own dictionary. Pruning, defaulting and the
    /// checks of every write read it for each object they walk.
    /// </summary>
    public static IReadOnlyDictionary<string, JsonSchemaProperty> PropertiesOf(this JsonSchema schema) =>
        schema.AllOf.Count == 0 ? (IReadOnlyDictionary<string, JsonSchemaProperty>)schema.Properties : schema.ActualProperties;

    /// <summary>The schema itself, or the one it refers to.</summary>
    public static JsonSchema Resolved(this JsonSchema schema) => schema.HasReference ? schema.Reference!.Resolved() : schema;
}
