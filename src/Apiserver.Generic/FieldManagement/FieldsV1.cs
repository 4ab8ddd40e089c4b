using System.Text.Json.Nodes;

namespace Apiserver.Generic.FieldManagement;

/// <summary>
/// The FieldsV1 encoding of a <see cref="FieldSet"/>, as kube writes it in <c>managedFields</c>: an
/// object per node whose keys are path elements (<c>f:</c>, <c>k:</c>, <c>v:</c>, <c>i:</c>) in
/// structured-merge-diff's order, with <c>"."</c> first where a node with children is itself a member.
/// </summary>
internal static class FieldsV1
{
    /// <summary>The FieldsV1 object of <paramref name="set"/>.</summary>
    public static JsonObject Encode(FieldSet set)
    {
        var obj = new JsonObject();
        EncodeInto(obj, set, self: false);
        return obj;
    }

    private static void EncodeInto(JsonObject target, FieldSet set, bool self)
    {
        if (self)
        {
            target["."] = new JsonObject();
        }
        var children = set.Children.ToArray();
        if (children.Length > 1) Array.Sort(children, (a, b) => a.Key.CompareTo(b.Key));
        foreach (var (element, child) in children)
        {
            var encoded = new JsonObject();
            EncodeInto(encoded, child, self: child.Member && !child.IsLeaf);
            target[element.ToFieldsV1Key()] = encoded;
        }
    }

    /// <summary>The set a FieldsV1 object describes; false when it is malformed.</summary>
    public static bool TryDecode(JsonNode? node, out FieldSet set)
    {
        set = new FieldSet();
        return node is JsonObject obj && Decode(obj, set);
    }

    private static bool Decode(JsonObject obj, FieldSet node)
    {
        foreach (var (key, value) in obj)
        {
            if (value is not JsonObject child)
            {
                return false;
            }
            if (key == ".")
            {
                node.Member = true;
                continue;
            }
            if (!PathElement.TryParse(key, out var element))
            {
                return false;
            }
            var next = node.Descend(element);
            if (child.Count == 0)
            {
                next.Member = true;
            }
            else if (!Decode(child, next))
            {
                return false;
            }
        }
        return true;
    }
}
