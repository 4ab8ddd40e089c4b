using System.Collections;
using System.Text.Json.Nodes;
using Apiserver.Generic.Schema;
using NJsonSchema;

namespace Apiserver.Generic.FieldManagement;

/// <summary>How a value is tracked: a leaf, a granular map, or an associative list.</summary>
internal enum FieldShape
{
    /// <summary>Owned whole: scalars, atomic lists and maps, and values that do not fit their schema.</summary>
    Leaf,
    /// <summary>A struct or map whose fields are owned one by one.</summary>
    Map,
    /// <summary>A list whose items are owned one by one: a set (by value) or a list-map (by keys).</summary>
    List,
}

/// <summary>
/// What the schema says about one value for field ownership, with kube's defaults where it says
/// nothing: lists are atomic unless <c>x-kubernetes-list-type</c> (or a merge patch strategy) makes
/// them a set or map, maps are granular unless <c>x-kubernetes-map-type: atomic</c>. A value the
/// schema does not describe is typed by itself (maps granular, lists atomic).
/// </summary>
internal readonly struct FieldType
{
    private readonly JsonSchema? _schema;   // as declared (may be a reference that carries extensions)
    private readonly JsonSchema? _resolved;

    private FieldType(JsonSchema? schema)
    {
        _schema = schema;
        _resolved = schema?.Resolved();
    }

    public static FieldType Of(JsonSchema? schema) => new(schema);

    /// <summary>The keys of a list-map; empty for a set.</summary>
    public IReadOnlyList<string> Keys => Extension(KubernetesExtensions.ListMapKeys) is { } keys and not string && keys is IEnumerable e
        ? e.Cast<object?>().Select(k => k?.ToString() ?? "").ToList()
        : Extension(KubernetesExtensions.ListType) is null && Extension(KubernetesExtensions.PatchMergeKey) is { } mergeKey ? [mergeKey.ToString()!] : [];

    /// <summary>The shape of <paramref name="value"/> under this schema.</summary>
    public FieldShape ShapeOf(JsonNode? value)
    {
        if (value is JsonObject)
        {
            if (_resolved is not null && (Extension(KubernetesExtensions.MapType)?.ToString() == "atomic" || IsScalarSchema()))
            {
                return FieldShape.Leaf;
            }
            return FieldShape.Map;
        }
        if (value is JsonArray && _resolved is not null && !IsScalarSchema())
        {
            var listType = Extension(KubernetesExtensions.ListType)?.ToString();
            if (listType is "set" or "map")
            {
                return FieldShape.List;
            }
            var strategy = Extension(KubernetesExtensions.PatchStrategy)?.ToString();
            if (listType is null && strategy is not null && strategy.Split(',').Contains("merge"))
            {
                return FieldShape.List;
            }
        }
        return FieldShape.Leaf;
    }

    /// <summary>The schema of field <paramref name="key"/> of a map, and whether it is a declared field (not a map entry).</summary>
    public (JsonSchema? Schema, bool Declared) Field(string key)
    {
        if (_resolved is null)
        {
            return (null, false);
        }
        if (_resolved.ActualProperties.TryGetValue(key, out var property))
        {
            return (property, true);
        }
        return (_resolved.AdditionalPropertiesSchema, false);
    }

    /// <summary>The schema of a list's items.</summary>
    public JsonSchema? Item => _schema?.Item ?? _resolved?.Item;

    /// <summary>The default of key field <paramref name="key"/> of a list-map's item, or null.</summary>
    public JsonNode? KeyDefault(string key)
    {
        var item = Item?.Resolved();
        if (item is not null && item.ActualProperties.TryGetValue(key, out var property) && (property.Default ?? property.Resolved().Default) is { } value)
        {
            return JsonValue.Create(value.ToString());
        }
        return null;
    }

    private bool IsScalarSchema() => _resolved!.Is(KubernetesExtensions.IntOrString) || _schema!.Is(KubernetesExtensions.IntOrString)
        || (_resolved!.Type & ~JsonObjectType.Null) is JsonObjectType.String or JsonObjectType.Integer or JsonObjectType.Number or JsonObjectType.Boolean;

    private object? Extension(string name) => _schema?.Get(name) ?? _resolved?.Get(name);
}
