using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using NJsonSchema;

namespace Apiserver.Generic.Patch;

/// <summary>
/// The list half of <see cref="StrategicMergePatch"/>: merging lists by merge key or as sets, the
/// list directives, and kube's ordering of the merged list (patch order first, server-only items
/// kept where the live list had them; <c>$setElementOrder</c> overrides both).
/// </summary>
internal static class StrategicMergeList
{
    /// <summary>Merges <paramref name="patch"/> into <paramref name="original"/> (both consumed) for a field with the merge strategy.</summary>
    public static JsonArray Merge(JsonArray original, JsonArray patch, PatchField field)
    {
        var server = StrategicMergePatch.Detach(original);
        var patchItems = StrategicMergePatch.Detach(patch);
        if (server.Count == 0 && patchItems.Count == 0)
        {
            return new JsonArray();
        }
        var ofMaps = server.Concat(patchItems).Any(item => item is JsonObject);
        if (server.Concat(patchItems).Any(item => item is JsonArray || (ofMaps && item is not JsonObject)))
        {
            throw StatusException.BadRequest("invalid patch: list element types are not identical, or a list holds lists");
        }
        return new JsonArray((ofMaps ? MergeMaps(server, patchItems, field) : MergePrimitives(server, patchItems)).ToArray());
    }

    /// <summary>Applies <c>$setElementOrder/&lt;key&gt;</c>: merges the field (taking it out of the patch) and orders it as listed.</summary>
    public static void SetElementOrder(JsonObject original, JsonObject patch, string key, JsonNode? orderNode, JsonSchema? schema)
    {
        if (orderNode is not JsonArray orderList)
        {
            throw StatusException.BadRequest($"invalid patch: {StrategicMergePatch.SetElementOrderPrefix}{key} must be a list");
        }
        var field = StrategicMergePatch.Take(patch, key, out var patchValue) ? patchValue : null;
        var patchList = field as JsonArray;
        var originalList = original[key] as JsonArray;
        if ((field is not null && patchList is null) || (original[key] is not null && originalList is null))
        {
            throw StatusException.BadRequest($"invalid patch: {StrategicMergePatch.SetElementOrderPrefix}{key} applies to a field that is not a list");
        }
        var meta = PatchField.Of(schema, key);
        var order = orderList.ToList();
        var mergeKey = order.Any(item => item is JsonObject) ? meta.MergeKey : null;
        CheckOrder(patchList?.ToList() ?? [], order, mergeKey);
        var serverOrder = originalList?.Select(item => item?.DeepClone()).ToList() ?? [];
        JsonArray merged;
        if (patchList is null && originalList is null)
        {
            return;
        }
        else if (patchList is null)
        {
            merged = originalList!;
        }
        else if (originalList is null || !meta.Merges)
        {
            merged = (JsonArray)StrategicMergePatch.Fresh(patchList, meta)!;
        }
        else
        {
            merged = Merge(originalList, patchList, meta);
        }
        var items = StrategicMergePatch.Detach(merged);
        var inOrder = items.Where(item => Index(order, item, mergeKey) >= 0).ToList();
        var serverOnly = items.Where(item => Index(order, item, mergeKey) < 0).ToList();
        original[key] = new JsonArray(Normalize(inOrder, serverOnly, order, serverOrder, mergeKey).ToArray());
    }

    private static List<JsonNode?> MergePrimitives(List<JsonNode?> server, List<JsonNode?> patch)
    {
        var merged = new List<JsonNode?>();
        foreach (var item in server.Concat(patch))
        {
            if (!merged.Any(m => JsonNode.DeepEquals(m, item)))
            {
                merged.Add(item);
            }
        }
        var patchItems = merged.Where(item => Index(patch, item, null) >= 0).ToList();
        var serverOnly = merged.Where(item => Index(patch, item, null) < 0).ToList();
        return Normalize(patchItems, serverOnly, patch, server, null);
    }

    private static List<JsonNode?> MergeMaps(List<JsonNode?> server, List<JsonNode?> patch, PatchField field)
    {
        var mergeKey = field.MergeKey ?? throw StatusException.BadRequest("invalid patch: cannot merge a list of objects without a merge key");
        var itemField = new PatchField(field.Item, null, null);
        var plain = new List<JsonNode?>();
        var replace = false;
        foreach (var item in patch.Cast<JsonObject>())
        {
            if (!item.TryGetPropertyValue(StrategicMergePatch.PatchDirective, out var directive))
            {
                plain.Add(item);
                continue;
            }
            switch (StrategicMergePatch.Directive(directive))
            {
                case "delete":
                    var value = KeyOf(item, mergeKey);
                    server.RemoveAll(s => JsonNode.DeepEquals(((JsonObject)s!)[mergeKey], value));
                    break;
                case "replace":
                    replace = true; // The other items become the list.
                    break;
                case "merge":
                    throw StatusException.BadRequest("invalid patch: merging lists cannot yet be specified in the patch");
                default:
                    throw StrategicMergePatch.BadPatchType(directive);
            }
        }
        if (replace)
        {
            server = plain.Select(item => StrategicMergePatch.Fresh(item, itemField)).ToList();
            plain = [];
        }
        // The patch's order, kept aside: merging consumes the patch items.
        var order = plain.Select(item => (JsonNode?)new JsonObject { [mergeKey] = KeyOf((JsonObject)item!, mergeKey).DeepClone() }).ToList();
        var serverOrder = server.ToList();
        var merged = server.ToList();
        foreach (var item in plain.Cast<JsonObject>())
        {
            var value = KeyOf(item, mergeKey).DeepClone();
            var at = merged.FindIndex(s => JsonNode.DeepEquals(((JsonObject)s!)[mergeKey], value));
            var patched = StrategicMergePatch.MergeMap(at >= 0 ? (JsonObject)merged[at]! : new JsonObject(), item, field.Item);
            if (at >= 0)
            {
                merged[at] = patched;
            }
            else
            {
                merged.Add(patched);
            }
        }
        foreach (var item in merged)
        {
            KeyOf((JsonObject)item!, mergeKey);
        }
        var patchItems = merged.Where(item => Index(order, item, mergeKey) >= 0).ToList();
        var serverOnly = merged.Where(item => Index(order, item, mergeKey) < 0).ToList();
        return Normalize(patchItems, serverOnly, order, serverOrder, mergeKey);
    }

    // kube's order: items named by the patch (or $setElementOrder) in that order; server-only items
    // in their live order, each placed before the first patch item that came after it on the server.
    private static List<JsonNode?> Normalize(List<JsonNode?> patchItems, List<JsonNode?> serverOnly, List<JsonNode?> patchOrder, List<JsonNode?> serverOrder, string? mergeKey)
    {
        var left = serverOnly.OrderBy(item => Index(serverOrder, item, mergeKey)).ToList();
        var right = patchItems.OrderBy(item => Index(patchOrder, item, mergeKey)).ToList();
        var result = new List<JsonNode?>(left.Count + right.Count);
        int i = 0, j = 0;
        while (i < left.Count || j < right.Count)
        {
            if (j >= right.Count)
            {
                result.Add(left[i++]);
            }
            else if (i >= left.Count)
            {
                result.Add(right[j++]);
            }
            else
            {
                var li = Index(serverOrder, left[i], mergeKey);
                var ri = Index(serverOrder, right[j], mergeKey);
                result.Add(li >= 0 && ri >= 0 && li < ri ? left[i++] : right[j++]);
            }
        }
        return result;
    }

    // The patch list's items must appear in $setElementOrder, in the same relative order.
    private static void CheckOrder(List<JsonNode?> patch, List<JsonNode?> order, string? mergeKey)
    {
        var last = -1;
        foreach (var item in patch)
        {
            if (item is JsonObject map && map.ContainsKey(StrategicMergePatch.PatchDirective))
            {
                continue;
            }
            var at = Index(order, item, mergeKey);
            if (at <= last)
            {
                throw StatusException.BadRequest($"invalid patch: the order of the patch list does not match its {StrategicMergePatch.SetElementOrderPrefix} list");
            }
            last = at;
        }
    }

    // The position of item in list: by merge key for lists of objects, by value for primitives; -1 when absent.
    private static int Index(List<JsonNode?> list, JsonNode? item, string? mergeKey)
    {
        if (mergeKey is null)
        {
            return list.FindIndex(candidate => JsonNode.DeepEquals(candidate, item));
        }
        var value = (item as JsonObject)?[mergeKey];
        return value is null ? -1 : list.FindIndex(candidate => candidate is JsonObject map && JsonNode.DeepEquals(map[mergeKey], value));
    }

    private static JsonNode KeyOf(JsonObject item, string mergeKey) =>
        item[mergeKey] ?? throw StatusException.BadRequest($"invalid patch: map: {item.ToJsonString()} does not contain declared merge key: {mergeKey}");
}
