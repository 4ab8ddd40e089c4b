using System.Text.Json.Nodes;
using NJsonSchema;

namespace Apiserver.Generic.FieldManagement;

/// <summary>
/// The value operations of server-side apply: merging an applied configuration into the live
/// object (maps field by field, associative lists item by item in structured-merge-diff's order,
/// leaves and atomic values replaced) and removing the fields of a set from an object.
/// </summary>
internal static class ApplyMerge
{
    /// <summary>A new object: <paramref name="config"/> merged into <paramref name="live"/> (neither changes).</summary>
    public static JsonObject Merge(JsonObject live, JsonObject config, JsonSchema? schema) =>
        (JsonObject)MergeValues(live, config, FieldType.Of(schema))!;

    /// <summary>
    /// Removes from <paramref name="value"/> (in place) every path that is a member of <paramref name="remove"/>,
    /// except where <paramref name="keep"/> still owns something at or below it.
    /// </summary>
    public static void RemoveItems(JsonNode? value, FieldSet remove, FieldSet? keep, JsonSchema? schema) =>
        Remove(value, remove, keep, FieldType.Of(schema));

    private static JsonNode? MergeValues(JsonNode? live, JsonNode? config, FieldType type)
    {
        var shape = type.ShapeOf(config);
        if (shape != FieldShape.Leaf && shape == type.ShapeOf(live))
        {
            return shape == FieldShape.Map
                ? MergeMaps((JsonObject)live!, (JsonObject)config!, type)
                : MergeLists((JsonArray)live!, (JsonArray)config!, type);
        }
        return config?.DeepClone();
    }

    private static JsonObject MergeMaps(JsonObject live, JsonObject config, FieldType type)
    {
        var result = new JsonObject();
        foreach (var (key, value) in live)
        {
            if (!config.TryGetPropertyValue(key, out var applied))
            {
                result[key] = value?.DeepClone();
            }
            else if (applied is not null)
            {
                result[key] = MergeValues(value, applied, FieldType.Of(type.Field(key).Schema));
            }
            // An applied null removes the field (as the typed conversion drops it in kube).
        }
        foreach (var (key, applied) in config)
        {
            if (!live.ContainsKey(key) && applied is not null)
            {
                result[key] = MergeValues(null, applied, FieldType.Of(type.Field(key).Schema));
            }
        }
        return result;
    }

    // structured-merge-diff's order: live items stay where they were, applied items follow the
    // applied order, and items both have are placed in the applied order.
    private static JsonArray MergeLists(JsonArray live, JsonArray config, FieldType type)
    {
        var itemType = FieldType.Of(type.Item);
        var lhs = Elements(live, type);
        var rhs = Elements(config, type);
        var observedLhs = Observed(live, lhs);
        var observedRhs = Observed(config, rhs);
        var shared = new Queue<PathElement>(rhs.Where(observedLhs.ContainsKey));
        PathElement? nextShared = shared.Count > 0 ? shared.Dequeue() : null;
        var merged = new HashSet<PathElement>();
        var output = new JsonArray();
        int l = 0, r = 0;
        void Advance(PathElement element)
        {
            if (nextShared == element) nextShared = shared.Count > 0 ? shared.Dequeue() : null;
        }
        while (l < lhs.Count || r < rhs.Count)
        {
            if (l < lhs.Count && r < rhs.Count)
            {
                var element = lhs[l];
                if (element == rhs[r])
                {
                    merged.Add(element);
                    output.Add(MergeValues(observedLhs[element], observedRhs[element], itemType));
                    l++;
                    r++;
                    Advance(element);
                    continue;
                }
                if (observedRhs.ContainsKey(element) && nextShared is { } next && next != element)
                {
                    l++;
                    continue;
                }
            }
            if (l < lhs.Count)
            {
                var element = lhs[l];
                if (!observedRhs.ContainsKey(element))
                {
                    output.Add(live[l]?.DeepClone());
                    l++;
                    continue;
                }
                if (merged.Contains(element))
                {
                    l++;
                    continue;
                }
            }
            if (r < rhs.Count)
            {
                var element = rhs[r];
                merged.Add(element);
                output.Add(MergeValues(observedLhs.GetValueOrDefault(element), observedRhs[element], itemType));
                r++;
                Advance(element);
            }
        }
        return output;
    }

    private static List<PathElement> Elements(JsonArray list, FieldType type)
    {
        var elements = new List<PathElement>(list.Count);
        for (var i = 0; i < list.Count; i++) elements.Add(FieldWalker.ItemElement(list[i], type, i));
        return elements;
    }

    private static Dictionary<PathElement, JsonNode?> Observed(JsonArray list, List<PathElement> elements)
    {
        var observed = new Dictionary<PathElement, JsonNode?>();
        for (var i = 0; i < list.Count; i++) observed.TryAdd(elements[i], list[i]);
        return observed;
    }

    private static void Remove(JsonNode? value, FieldSet remove, FieldSet? keep, FieldType type)
    {
        switch (type.ShapeOf(value))
        {
            case FieldShape.Map:
                var map = (JsonObject)value!;
                foreach (var (key, child) in map.ToList())
                {
                    var element = PathElement.Field(key);
                    if (remove.Child(element) is { } node && Decide(node, keep?.Child(element)) is var removeIt)
                    {
                        if (removeIt) map.Remove(key);
                        else Remove(child, node, keep?.Child(element), FieldType.Of(type.Field(key).Schema));
                    }
                }
                break;
            case FieldShape.List:
                var list = (JsonArray)value!;
                var itemType = FieldType.Of(type.Item);
                for (var i = list.Count - 1; i >= 0; i--)
                {
                    var element = FieldWalker.ItemElement(list[i], type, i);
                    if (remove.Child(element) is { } node)
                    {
                        if (Decide(node, keep?.Child(element))) list.RemoveAt(i);
                        else Remove(list[i], node, keep?.Child(element), itemType);
                    }
                }
                break;
        }
    }

    // A member goes unless someone still owns it or something under it.
    private static bool Decide(FieldSet node, FieldSet? kept) => node.Member && (kept is null || kept.IsEmpty);
}
