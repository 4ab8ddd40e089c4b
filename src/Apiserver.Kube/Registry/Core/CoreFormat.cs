using System.Text.Json.Nodes;

namespace Apiserver.Kube.Registry.Core;

/// <summary>How kube's printers (<c>pkg/printers/internalversion</c>) write the cells the core kinds share.</summary>
internal static class CoreFormat
{
    /// <summary>The objects of an array field (none when absent).</summary>
    public static IEnumerable<JsonObject> Items(JsonNode? node) => (node as JsonArray ?? []).OfType<JsonObject>();

    /// <summary>The string, or <paramref name="none"/> when absent or empty.</summary>
    public static string OrNone(JsonNode? value, string none = "<none>") => value?.ToString() is { Length: > 0 } s ? s : none;

    /// <summary><c>labels.FormatLabels</c>: <c>k=v</c> pairs sorted by key, <c>&lt;none&gt;</c> when empty.</summary>
    public static string Labels(JsonNode? map) =>
        map is JsonObject { Count: > 0 } o
            ? string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))
            : "<none>";

    /// <summary><c>GetAccessModesAsString</c>: RWO, ROX, RWX, RWOP in that order.</summary>
    public static string AccessModes(JsonNode? modes)
    {
        var set = (modes as JsonArray ?? []).Select(m => m?.ToString()).ToHashSet();
        var names = new List<string>();
        foreach (var (mode, shortName) in new[] { ("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP") })
        {
            if (set.Contains(mode))
            {
                names.Add(shortName);
            }
        }
        return string.Join(",", names);
    }

    /// <summary>Whether the object is being deleted.</summary>
    public static bool Deleting(JsonObject obj) => obj["metadata"]?["deletionTimestamp"] is not null;
}
