using System.Text.Json;
using System.Text.Json.Nodes;

namespace Apiserver.Generic.FieldManagement;

/// <summary>
/// The total order of structured-merge-diff's <c>value.Compare</c>: numbers, then strings, booleans,
/// lists, maps and null; numbers numerically, strings ordinally, lists and maps item by item.
/// </summary>
internal static class ValueOrder
{
    public static int Compare(JsonNode? a, JsonNode? b)
    {
        var (ra, rb) = (Rank(a), Rank(b));
        if (ra != rb)
        {
            return ra.CompareTo(rb);
        }
        switch (a, b)
        {
            case (JsonValue x, JsonValue y) when ra == 0:
                return Number(x).CompareTo(Number(y));
            case (JsonValue x, JsonValue y) when ra == 1:
                return string.CompareOrdinal(x.GetValue<string>(), y.GetValue<string>());
            case (JsonValue x, JsonValue y) when ra == 2:
                return x.GetValue<bool>().CompareTo(y.GetValue<bool>());
            case (JsonArray x, JsonArray y):
                for (var i = 0; i < Math.Min(x.Count, y.Count); i++)
                {
                    if (Compare(x[i], y[i]) is var c and not 0) return c;
                }
                return x.Count.CompareTo(y.Count);
            case (JsonObject x, JsonObject y):
                var left = x.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
                var right = y.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
                for (var i = 0; i < Math.Min(left.Count, right.Count); i++)
                {
                    if (string.CompareOrdinal(left[i].Key, right[i].Key) is var k and not 0) return k;
                    if (Compare(left[i].Value, right[i].Value) is var c and not 0) return c;
                }
                return left.Count.CompareTo(right.Count);
            default:
                return 0;
        }
    }

    private static double Number(JsonValue value) =>
        value.TryGetValue<double>(out var d) ? d : value.TryGetValue<long>(out var l) ? l : value.TryGetValue<int>(out var i) ? i : 0;

    private static int Rank(JsonNode? node) => node switch
    {
        null => 5,
        JsonArray => 3,
        JsonObject => 4,
        _ => node.GetValueKind() switch
        {
            JsonValueKind.Number => 0,
            JsonValueKind.String => 1,
            JsonValueKind.True or JsonValueKind.False => 2,
            _ => 5,
        },
    };
}
