using Apiserver.Generic.Schema;
using NJsonSchema;

namespace Apiserver.Generic.Patch;

/// <summary>
/// What the schema says about one field for strategic merge patch: its schema (null when the
/// schema does not describe it), its patch strategy and its merge key.
/// </summary>
internal readonly record struct PatchField(JsonSchema? Schema, string? Strategy, string? MergeKey)
{
    /// <summary>Whether the list merges (<c>x-kubernetes-patch-strategy</c> includes <c>merge</c>).</summary>
    public bool Merges => Has("merge");

    /// <summary>Whether the map is replaced whole (<c>x-kubernetes-patch-strategy: replace</c>).</summary>
    public bool Replaces => Has("replace");

    /// <summary>The schema of a list's items.</summary>
    public JsonSchema? Item => Schema is null ? null : Schema.Item ?? Schema.Resolved().Item;

    private bool Has(string strategy) =>
        Strategy is { } s && s.Split(',', StringSplitOptions.TrimEntries).Contains(strategy);

    /// <summary>The field <paramref name="key"/> of an object described by <paramref name="parent"/>.</summary>
    public static PatchField Of(JsonSchema? parent, string key)
    {
        if (parent?.Resolved() is not { } resolved)
        {
            return default;
        }
        JsonSchema? schema = resolved.PropertiesOf().TryGetValue(key, out var property) ? property : resolved.AdditionalPropertiesSchema;
        if (schema is null)
        {
            return default;
        }
        // The extensions sit on the property; a property that only refers to a definition may carry them there.
        return new PatchField(schema, Extension(schema, KubernetesExtensions.PatchStrategy), Extension(schema, KubernetesExtensions.PatchMergeKey));
    }

    /// <summary>Whether an object described by <paramref name="parent"/> declares a property named <paramref name="key"/> or accepts any key.</summary>
    public static bool Accepts(JsonSchema? parent, string key)
    {
        if (parent?.Resolved() is not { } resolved)
        {
            return true;
        }
        return resolved.PropertiesOf().ContainsKey(key)
            || resolved.AdditionalPropertiesSchema is not null
            || resolved.Is(KubernetesExtensions.PreserveUnknownFields)
            || parent.Is(KubernetesExtensions.PreserveUnknownFields);
    }

    private static string? Extension(JsonSchema schema, string name) =>
        (schema.Get(name) ?? schema.Resolved().Get(name))?.ToString();
}
