using System.Text.Json.Nodes;
using Apiserver.Generic.Api;

namespace Apiserver.Generic.FieldManagement;

/// <summary>
/// Reads and writes <c>metadata.managedFields</c>: entries keyed by manager identity, written in
/// kube's order (Apply before Update, then by time, manager, API version and subresource).
/// </summary>
internal static class ManagedFieldsCodec
{
    /// <summary>The managers of a <c>managedFields</c> list; false when an entry is malformed or repeated.</summary>
    public static bool TryDecode(JsonNode? node, out Dictionary<ManagerKey, ManagerFields> managers)
    {
        managers = [];
        if (node is null)
        {
            return true;
        }
        if (node is not JsonArray list)
        {
            return false;
        }
        foreach (var item in list)
        {
            if (item is not JsonObject entry
                || Text(entry, "operation") is not (ManagerKey.Apply or ManagerKey.Update) || Text(entry, "fieldsType") != "FieldsV1"
                || !FieldsV1.TryDecode(entry["fieldsV1"], out var set))
            {
                return false;
            }
            var operation = Text(entry, "operation")!;
            var apiVersion = Text(entry, "apiVersion") ?? "";
            var key = new ManagerKey(Text(entry, "manager") ?? "", operation, operation == ManagerKey.Apply ? "" : apiVersion, Text(entry, "subresource") ?? "");
            if (!managers.TryAdd(key, new ManagerFields(set, apiVersion, Text(entry, "time"))))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Whether a client's list asks to clear managed fields: an empty list, or one empty entry.</summary>
    public static bool IsReset(JsonNode? node) =>
        node is JsonArray list && (list.Count == 0 || (list.Count == 1 && list[0] is JsonObject { Count: 0 }));

    /// <summary>Writes <paramref name="managers"/> into <paramref name="obj"/>'s metadata (removing the field when there are none).</summary>
    public static void Encode(JsonObject obj, Dictionary<ManagerKey, ManagerFields> managers)
    {
        var meta = obj.Metadata();
        if (managers.Count == 0)
        {
            meta.Remove("managedFields");
            return;
        }
        var ordered = managers.OrderBy(m => m.Key.Operation, StringComparer.Ordinal)
            .ThenBy(m => Seconds(m.Value.Time))
            .ThenBy(m => m.Key.Manager, StringComparer.Ordinal)
            .ThenBy(m => m.Value.ApiVersion, StringComparer.Ordinal)
            .ThenBy(m => m.Key.Subresource, StringComparer.Ordinal);
        var list = new JsonArray();
        foreach (var (key, fields) in ordered)
        {
            var entry = new JsonObject();
            if (key.Manager.Length > 0) entry["manager"] = key.Manager;
            entry["operation"] = key.Operation;
            if (fields.ApiVersion.Length > 0) entry["apiVersion"] = fields.ApiVersion;
            if (fields.Time is not null) entry["time"] = fields.Time;
            entry["fieldsType"] = "FieldsV1";
            entry["fieldsV1"] = FieldsV1.Encode(fields.Set);
            if (key.Subresource.Length > 0) entry["subresource"] = key.Subresource;
            list.Add(entry);
        }
        meta["managedFields"] = list;
    }

    internal static long Seconds(string? time) =>
        time is null ? 0 : ObjectMeta.ParseTime(JsonValue.Create(time))?.ToUnixTimeSeconds() ?? 0;

    private static string? Text(JsonObject entry, string field) =>
        entry[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
