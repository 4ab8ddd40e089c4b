using System.Text.Json;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using NJsonSchema;

namespace Apiserver.Generic.Patch;

/// <summary>
/// Strategic merge patch (<c>application/strategic-merge-patch+json</c>), as kube-apiserver applies
/// it to built-in kinds: maps merge key by key and <c>null</c> removes a key; lists whose field has
/// the patch strategy <c>merge</c> merge (lists of objects by their merge key, lists of primitives as
/// sets), other lists are replaced; the directives <c>$patch</c>, <c>$retainKeys</c>,
/// <c>$deleteFromPrimitiveList/&lt;field&gt;</c> and <c>$setElementOrder/&lt;field&gt;</c> steer the merge.
/// Fields the schema does not describe merge like JSON merge patch. A malformed patch answers 400.
/// </summary>
public static class StrategicMergePatch
{
    internal const string PatchDirective = "$patch";
    internal const string RetainKeysDirective = "$retainKeys";
    internal const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/";
    internal const string SetElementOrderPrefix = "$setElementOrder/";

    /// <summary>
    /// The result of applying <paramref name="patch"/> to <paramref name="original"/> (neither is
    /// changed), with list semantics read from <paramref name="schema"/>, the kind's schema.
    /// </summary>
    /// <exception cref="StatusException">400 when the patch is malformed.</exception>
    public static JsonNode? Apply(JsonNode? original, JsonNode? patch, JsonSchema schema)
    {
        if (patch is not JsonObject patchObject)
        {
            throw StatusException.BadRequest("a strategic merge patch must be a JSON object");
        }
        var target = original is JsonObject o ? (JsonObject)o.DeepClone() : new JsonObject();
        return MergeMap(target, (JsonObject)patchObject.DeepClone(), schema);
    }

    /// <summary>Merges <paramref name="patch"/> into <paramref name="original"/>; both are owned by the caller and consumed.</summary>
    internal static JsonObject MergeMap(JsonObject original, JsonObject patch, JsonSchema? schema)
    {
        if (Take(patch, PatchDirective, out var directive))
        {
            switch (Directive(directive))
            {
                case "replace":
                    return MergeMap(new JsonObject(), patch, schema);
                case "delete":
                    return new JsonObject();
                case "merge":
                    break;
                default:
                    throw BadPatchType(directive);
            }
        }
        CheckKeys(patch, schema);
        RetainKeys(original, patch);
        foreach (var key in Keys(patch, SetElementOrderPrefix))
        {
            Take(patch, key, out var order);
            StrategicMergeList.SetElementOrder(original, patch, key[SetElementOrderPrefix.Length..], order, schema);
        }
        foreach (var key in Keys(patch, DeleteFromPrimitiveListPrefix))
        {
            Take(patch, key, out var values);
            DeleteFromPrimitiveList(original, key[DeleteFromPrimitiveListPrefix.Length..], values);
        }
        foreach (var key in patch.Select(p => p.Key).ToList())
        {
            Take(patch, key, out var value);
            MergeField(original, key, value, PatchField.Of(schema, key));
        }
        return original;
    }

    /// <summary>A patch value with nothing to merge into: its directives and nulls resolved against nothing.</summary>
    internal static JsonNode? Fresh(JsonNode? value, PatchField field) => value switch
    {
        JsonObject map => MergeMap(new JsonObject(), map, field.Schema),
        JsonArray list when field.Merges => StrategicMergeList.Merge(new JsonArray(), list, field),
        JsonArray list => new JsonArray(Detach(list).Select(item => Fresh(item, new PatchField(field.Item, null, null))).ToArray()),
        _ => value,
    };

    /// <summary>The items of <paramref name="list"/>, taken out of it so they can be placed elsewhere.</summary>
    internal static List<JsonNode?> Detach(JsonArray list)
    {
        var items = list.ToList();
        list.Clear();
        return items;
    }

    private static void MergeField(JsonObject original, string key, JsonNode? value, PatchField field)
    {
        if (value is null)
        {
            // A null deletes the key; a null for a key that is not there is dropped.
            original.Remove(key);
            return;
        }
        if (!original.TryGetPropertyValue(key, out var current) || current is null)
        {
            original[key] = Fresh(value, field);
            return;
        }
        switch (current, value)
        {
            case (JsonObject currentMap, JsonObject patchMap):
                var merged = field.Replaces ? Fresh(patchMap, field) : MergeMap(currentMap, patchMap, field.Schema);
                if (!ReferenceEquals(merged, currentMap))
                {
                    original[key] = merged;
                }
                break;
            case (JsonArray currentList, JsonArray patchList):
                original[key] = field.Merges ? StrategicMergeList.Merge(currentList, patchList, field) : Fresh(patchList, field);
                break;
            default:
                original[key] = Fresh(value, field);
                break;
        }
    }

    // $retainKeys: keep only the listed keys of the original map; the patch may not set others.
    private static void RetainKeys(JsonObject original, JsonObject patch)
    {
        if (!Take(patch, RetainKeysDirective, out var retain))
        {
            return;
        }
        if (retain is not JsonArray list || list.Any(k => k?.GetValueKind() != JsonValueKind.String))
        {
            throw StatusException.BadRequest("invalid patch: $retainKeys must be a list of field names");
        }
        var keep = list.Select(k => k!.GetValue<string>()).ToHashSet();
        foreach (var (key, value) in patch)
        {
            if (value is not null && !key.StartsWith('$') && !keep.Contains(key))
            {
                throw StatusException.BadRequest($"invalid patch: the field \"{key}\" is set but is not in the $retainKeys list");
            }
        }
        foreach (var key in original.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
        {
            original.Remove(key);
        }
    }

    private static void DeleteFromPrimitiveList(JsonObject original, string key, JsonNode? values)
    {
        if (values is not JsonArray toDelete || toDelete.Any(v => v is JsonObject or JsonArray))
        {
            throw StatusException.BadRequest($"invalid patch: {DeleteFromPrimitiveListPrefix}{key} must be a list of primitives");
        }
        if (original[key] is JsonArray list)
        {
            original[key] = new JsonArray(Detach(list).Where(item => !toDelete.Any(d => JsonNode.DeepEquals(d, item))).ToArray());
        }
    }

    // Unknown directives are errors; a key starting with '$' is still a field where the schema declares it.
    private static void CheckKeys(JsonObject patch, JsonSchema? schema)
    {
        foreach (var (key, _) in patch)
        {
            if (key.StartsWith('$') && key != RetainKeysDirective
                && !key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal)
                && !key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal)
                && (schema is null || !PatchField.Accepts(schema, key)))
            {
                throw StatusException.BadRequest($"invalid patch: unknown directive \"{key}\"");
            }
        }
    }

    // Removes a key from the patch, handing back its value (detached, so it can be placed elsewhere).
    internal static bool Take(JsonObject patch, string key, out JsonNode? value)
    {
        if (!patch.TryGetPropertyValue(key, out value))
        {
            return false;
        }
        patch.Remove(key);
        return true;
    }

    private static List<string> Keys(JsonObject patch, string prefix) =>
        patch.Select(p => p.Key).Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList();

    internal static string? Directive(JsonNode? value) =>
        value?.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    internal static StatusException BadPatchType(JsonNode? directive) =>
        StatusException.BadRequest($"invalid patch: unknown patch type \"{directive?.ToJsonString()}\" in $patch");
}
