using System.Text.Json.Nodes;
using NJsonSchema;

namespace Apiserver.Generic.FieldManagement;

/// <summary>
/// Field sets of objects, as structured-merge-diff computes them: the fields an object sets
/// (<see cref="ToFieldSet"/>) and what changed between two objects (<see cref="Compare"/>).
/// </summary>
internal static class FieldWalker
{
    /// <summary>The paths <paramref name="value"/> sets: leaves, list items, map entries and empty maps.</summary>
    /// <exception cref="FieldPathException">A list-map item lacks a key.</exception>
    public static FieldSet ToFieldSet(JsonNode? value, JsonSchema? schema)
    {
        var set = new FieldSet();
        Collect(value, FieldType.Of(schema), set);
        return set;
    }

    /// <summary>What changed from <paramref name="live"/> to <paramref name="updated"/>.</summary>
    /// <exception cref="FieldPathException">A list-map item lacks a key.</exception>
    public static Comparison Compare(JsonObject live, JsonObject updated, JsonSchema? schema)
    {
        var result = new Comparison(new FieldSet(), new FieldSet(), new FieldSet());
        CompareMaps(live, updated, FieldType.Of(schema), result, new List<PathElement>());
        return result;
    }

    /// <summary>The path element of one item of an associative list.</summary>
    public static PathElement ItemElement(JsonNode? item, FieldType type, int index)
    {
        var keys = type.Keys;
        if (keys.Count == 0)
        {
            return item is JsonObject or JsonArray ? PathElement.Index(index) : PathElement.Value(item);
        }
        if (item is not JsonObject map)
        {
            throw new FieldPathException("associative list with keys may not have non-map elements");
        }
        var fields = new List<KeyValuePair<string, JsonNode?>>(keys.Count);
        foreach (var key in keys)
        {
            if (map.TryGetPropertyValue(key, out var value))
            {
                fields.Add(new(key, value));
            }
            else if (type.KeyDefault(key) is { } fallback)
            {
                fields.Add(new(key, fallback));
            }
            else
            {
                throw new FieldPathException($"associative list with keys has an element that omits key field \"{key}\" (and doesn't have default value)");
            }
        }
        return PathElement.Key(fields);
    }

    // Adds what value sets below node; returns whether the value is a leaf (its own path is then a member).
    private static bool Collect(JsonNode? value, FieldType type, FieldSet node)
    {
        switch (type.ShapeOf(value))
        {
            case FieldShape.Map:
                foreach (var (key, child) in (JsonObject)value!)
                {
                    var (schema, declared) = type.Field(key);
                    var next = node.Descend(PathElement.Field(key));
                    var leaf = Collect(child, FieldType.Of(schema), next);
                    if (leaf || child is null || child is JsonObject { Count: 0 } || !declared)
                    {
                        next.Member = true;
                    }
                    else if (next.IsEmpty)
                    {
                        node.RemoveChild(PathElement.Field(key));
                    }
                }
                return false;
            case FieldShape.List:
                var items = (JsonArray)value!;
                var itemType = FieldType.Of(type.Item);
                for (var i = 0; i < items.Count; i++)
                {
                    var next = node.Descend(ItemElement(items[i], type, i));
                    Collect(items[i], itemType, next);
                    next.Member = true;
                }
                return false;
            default:
                return true;
        }
    }

    // One side only: the value's own path and every map, list and leaf under it (kube's compare
    // walks a one-sided value as all new, so a new map owns itself as well as its fields).
    private static void AddWhole(JsonNode? value, FieldType type, FieldSet target, List<PathElement> path)
    {
        var node = target;
        foreach (var element in path) node = node.Descend(element);
        Collect(value, type, node);
        MarkAll(node);
    }

    private static void MarkAll(FieldSet node)
    {
        node.Member = true;
        foreach (var (_, child) in node.Children) MarkAll(child);
    }

    private static void CompareValues(JsonNode? live, JsonNode? updated, FieldType type, Comparison result, List<PathElement> path)
    {
        var liveShape = type.ShapeOf(live);
        var shape = type.ShapeOf(updated);
        if (shape != liveShape || shape == FieldShape.Leaf)
        {
            if (!JsonNode.DeepEquals(live, updated))
            {
                result.Modified.Insert(path);
            }
            return;
        }
        if (shape == FieldShape.Map)
        {
            CompareMaps((JsonObject)live!, (JsonObject)updated!, type, result, path);
        }
        else
        {
            CompareLists((JsonArray)live!, (JsonArray)updated!, type, result, path);
        }
    }

    private static void CompareMaps(JsonObject live, JsonObject updated, FieldType type, Comparison result, List<PathElement> path)
    {
        foreach (var (key, value) in live)
        {
            var fieldType = FieldType.Of(type.Field(key).Schema);
            path.Add(PathElement.Field(key));
            if (updated.TryGetPropertyValue(key, out var other))
            {
                CompareValues(value, other, fieldType, result, path);
            }
            else
            {
                AddWhole(value, fieldType, result.Removed, path);
            }
            path.RemoveAt(path.Count - 1);
        }
        foreach (var (key, value) in updated)
        {
            if (!live.ContainsKey(key))
            {
                path.Add(PathElement.Field(key));
                AddWhole(value, FieldType.Of(type.Field(key).Schema), result.Added, path);
                path.RemoveAt(path.Count - 1);
            }
        }
    }

    private static void CompareLists(JsonArray live, JsonArray updated, FieldType type, Comparison result, List<PathElement> path)
    {
        var itemType = FieldType.Of(type.Item);
        var before = Index(live, type);
        var after = Index(updated, type);
        foreach (var (element, items) in before)
        {
            path.Add(element);
            if (!after.TryGetValue(element, out var others))
            {
                AddWhole(items[0], itemType, result.Removed, path);
            }
            else if (items.Count == 1 && others.Count == 1)
            {
                CompareValues(items[0], others[0], itemType, result, path);
            }
            else if (items.Count != others.Count || items.Zip(others).Any(p => !JsonNode.DeepEquals(p.First, p.Second)))
            {
                result.Modified.Insert(path); // Duplicates: the item is compared whole.
            }
            path.RemoveAt(path.Count - 1);
        }
        foreach (var (element, items) in after)
        {
            if (!before.ContainsKey(element))
            {
                path.Add(element);
                AddWhole(items[0], itemType, result.Added, path);
                path.RemoveAt(path.Count - 1);
            }
        }
    }

    private static Dictionary<PathElement, List<JsonNode?>> Index(JsonArray list, FieldType type)
    {
        var index = new Dictionary<PathElement, List<JsonNode?>>();
        for (var i = 0; i < list.Count; i++)
        {
            var element = ItemElement(list[i], type, i);
            if (index.TryGetValue(element, out var items)) items.Add(list[i]); else index[element] = [list[i]];
        }
        return index;
    }
}

/// <summary>What changed between two objects: fields removed, added, and leaves whose value changed.</summary>
internal sealed record Comparison(FieldSet Removed, FieldSet Added, FieldSet Modified)
{
    /// <summary>The fields the change set: added or modified.</summary>
    public FieldSet Changed => Added.Union(Modified);
}

/// <summary>An object that cannot be mapped onto field paths (a list-map item without its key).</summary>
internal sealed class FieldPathException(string message) : Exception(message);
