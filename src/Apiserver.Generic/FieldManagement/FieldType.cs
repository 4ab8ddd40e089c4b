using System.Collections;
using System.Runtime.CompilerServices;
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
/// schema does not describe is typed by itself (maps granular, lists atomic). What a schema says is
/// read once and cached with it: this runs on every write.
/// </summary>
internal readonly struct FieldType
{
    private static readonly ConditionalWeakTable<JsonSchema, Info> Cache = new();
    private readonly Info? _info;

    private FieldType(Info? info) => _info = info;

    public static FieldType Of(JsonSchema? schema) => new(schema is null ? null : Cache.GetValue(schema, s => new Info(s)));

    /// <summary>The keys of a list-map; empty for a set.</summary>
    public IReadOnlyList<string> Keys => _info?.Keys ?? [];

    /// <summary>The schema of a list's items.</summary>
    public JsonSchema? Item => _info?.Item;

    /// <summary>The shape of <paramref name="value"/> under this schema.</summary>
    public FieldShape ShapeOf(JsonNode? value) => value switch
    {
        JsonObject => _info is { AtomicMap: true } ? FieldShape.Leaf : FieldShape.Map,
        JsonArray => _info is { GranularList: true } ? FieldShape.List : FieldShape.Leaf,
        _ => FieldShape.Leaf,
    };

    /// <summary>The schema of field <paramref name="key"/> of a map, and whether it is a declared field (not a map entry).</summary>
    public (JsonSchema? Schema, bool Declared) Field(string key)
    {
        if (_info is null)
        {
            return (null, false);
        }
        return _info.Properties.TryGetValue(key, out var property) ? (property, true) : (_info.Additional, false);
    }

    /// <summary>The default of key field <paramref name="key"/> of a list-map's item, or null.</summary>
    public JsonNode? KeyDefault(string key) =>
        _info?.KeyDefaults.TryGetValue(key, out var value) == true ? JsonValue.Create(value) : null;

    private sealed class Info
    {
        public Info(JsonSchema schema)
        {
            var resolved = schema.Resolved();
            object? Extension(string name) => schema.Get(name) ?? resolved.Get(name);
            var scalar = resolved.Is(KubernetesExtensions.IntOrString) || schema.Is(KubernetesExtensions.IntOrString)
                || (resolved.Type & ~JsonObjectType.Null) is JsonObjectType.String or JsonObjectType.Integer or JsonObjectType.Number or JsonObjectType.Boolean;
            AtomicMap = scalar || Extension(KubernetesExtensions.MapType)?.ToString() == "atomic";
            var listType = Extension(KubernetesExtensions.ListType)?.ToString();
            var strategy = Extension(KubernetesExtensions.PatchStrategy)?.ToString();
            GranularList = !scalar && (listType is "set" or "map" || (listType is null && strategy is not null && strategy.Split(',').Contains("merge")));
            Keys = Extension(KubernetesExtensions.ListMapKeys) is { } keys and not string && keys is IEnumerable e
                ? e.Cast<object?>().Select(k => k?.ToString() ?? "").ToList()
                : listType is null && Extension(KubernetesExtensions.PatchMergeKey) is { } mergeKey ? [mergeKey.ToString()!] : [];
            Properties = resolved.PropertiesOf().ToDictionary(p => p.Key, p => (JsonSchema)p.Value);
            Additional = resolved.AdditionalPropertiesSchema;
            Item = schema.Item ?? resolved.Item;
            var itemProperties = Item?.Resolved().PropertiesOf();
            KeyDefaults = Keys
                .Select(k => (Key: k, Property: itemProperties is not null && itemProperties.TryGetValue(k, out var p) ? p : null))
                .Where(k => k.Property is not null && (k.Property.Default ?? k.Property.Resolved().Default) is not null)
                .ToDictionary(k => k.Key, k => (k.Property!.Default ?? k.Property.Resolved().Default)!.ToString()!);
        }

        public bool AtomicMap { get; }
        public bool GranularList { get; }
        public IReadOnlyList<string> Keys { get; }
        public Dictionary<string, JsonSchema> Properties { get; }
        public JsonSchema? Additional { get; }
        public JsonSchema? Item { get; }
        public Dictionary<string, string> KeyDefaults { get; }
    }
}
