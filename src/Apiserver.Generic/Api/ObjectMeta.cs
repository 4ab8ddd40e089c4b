using System.Globalization;
using System.Text.Json.Nodes;

namespace Apiserver.Generic.Api;

/// <summary>Typed access to the <c>metadata</c> of an object held as JSON.</summary>
public static class ObjectMeta
{
    /// <summary>The object's <c>metadata</c>, created empty if missing or not an object.</summary>
    public static JsonObject Metadata(this JsonObject obj)
    {
        if (obj["metadata"] is JsonObject meta)
        {
            return meta;
        }
        meta = new JsonObject();
        obj["metadata"] = meta;
        return meta;
    }

    /// <summary>A string field of <c>metadata</c>, or empty.</summary>
    public static string GetMetaString(this JsonObject obj, string field) =>
        obj["metadata"] is JsonObject meta && meta[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    /// <summary>Sets (or, with null or empty, removes) a string field of <c>metadata</c>.</summary>
    public static void SetMetaString(this JsonObject obj, string field, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            (obj["metadata"] as JsonObject)?.Remove(field);
        }
        else
        {
            obj.Metadata()[field] = value;
        }
    }

    /// <summary><c>metadata.name</c>.</summary>
    public static string GetName(this JsonObject obj) => obj.GetMetaString("name");

    /// <summary><c>metadata.namespace</c>.</summary>
    public static string GetNamespace(this JsonObject obj) => obj.GetMetaString("namespace");

    /// <summary><c>metadata.uid</c>.</summary>
    public static string GetUid(this JsonObject obj) => obj.GetMetaString("uid");

    /// <summary><c>metadata.resourceVersion</c>.</summary>
    public static string GetResourceVersion(this JsonObject obj) => obj.GetMetaString("resourceVersion");

    /// <summary>Sets <c>metadata.resourceVersion</c> to a storage revision.</summary>
    public static void SetResourceVersion(this JsonObject obj, long revision) =>
        obj.Metadata()["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture);

    /// <summary><c>metadata.generation</c>, or 0.</summary>
    public static long GetGeneration(this JsonObject obj) =>
        // Read through the JSON text: a JsonValue made from an int does not convert to long.
        obj["metadata"] is JsonObject meta && meta["generation"] is JsonValue v
            && long.TryParse(v.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var g) ? g : 0;

    /// <summary>The string-valued map <c>metadata.&lt;field&gt;</c> (labels, annotations), empty when absent.</summary>
    public static IReadOnlyDictionary<string, string> GetStringMap(this JsonObject obj, string field)
    {
        if (obj["metadata"] is not JsonObject meta || meta[field] is not JsonObject map)
        {
            return new Dictionary<string, string>();
        }
        var result = new Dictionary<string, string>(map.Count);
        foreach (var (k, v) in map)
        {
            result[k] = v is JsonValue value && value.TryGetValue<string>(out var s) ? s : "";
        }
        return result;
    }

    /// <summary>Formats a time as Kubernetes does: RFC 3339 in UTC, whole seconds.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Parses an RFC 3339 time field, or null.</summary>
    public static DateTimeOffset? ParseTime(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) &&
        DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
}
