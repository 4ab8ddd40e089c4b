using System.Globalization;
using System.Text.Json.Nodes;

namespace Apiserver.Kube.Validation;

/// <summary>
/// Kubernetes resource quantities (<c>100m</c>, <c>1.5Gi</c>, <c>2e3</c>) read as numbers, so that
/// they compare as kube compares them (<c>1</c> equals <c>1000m</c>): a sign, a decimal number, and
/// one of the binary suffixes (<c>Ki</c> … <c>Ei</c>), the decimal ones (<c>n</c>, <c>u</c>,
/// <c>m</c>, <c>k</c>, <c>M</c> … <c>E</c>) or a decimal exponent.
/// </summary>
public static class Quantity
{
    /// <summary>The value of <paramref name="node"/> (a string or a JSON number), or null when it is no quantity.</summary>
    public static decimal? Parse(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var text) => Parse(text),
        JsonValue v when v.TryGetValue<decimal>(out var number) => number,
        _ => null,
    };

    /// <summary>The value of <paramref name="text"/>, or null when it is no quantity (or too large to hold).</summary>
    public static decimal? Parse(string text)
    {
        var end = 0;
        if (end < text.Length && text[end] is '+' or '-') end++;
        var digits = 0;
        var points = 0;
        while (end < text.Length && (char.IsAsciiDigit(text[end]) || text[end] == '.'))
        {
            if (text[end] == '.') points++; else digits++;
            end++;
        }
        if (digits == 0 || points > 1 || !decimal.TryParse(text.AsSpan(0, end), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return null;
        }
        try
        {
            return Multiplier(text[end..]) is { } multiplier ? number * multiplier : null;
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private static decimal? Multiplier(string suffix) => suffix switch
    {
        "" => 1m,
        "n" => 0.000000001m,
        "u" => 0.000001m,
        "m" => 0.001m,
        "k" => 1_000m,
        "M" => 1_000_000m,
        "G" => 1_000_000_000m,
        "T" => 1_000_000_000_000m,
        "P" => 1_000_000_000_000_000m,
        "E" => 1_000_000_000_000_000_000m,
        "Ki" => 1L << 10,
        "Mi" => 1L << 20,
        "Gi" => 1L << 30,
        "Ti" => 1L << 40,
        "Pi" => 1L << 50,
        "Ei" => 1L << 60,
        _ when suffix.Length > 1 && suffix[0] is 'e' or 'E' && int.TryParse(suffix.AsSpan(1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exponent) && exponent is >= -28 and <= 28
            => PowerOfTen(exponent),
        _ => null,
    };

    private static decimal PowerOfTen(int exponent)
    {
        var value = 1m;
        for (var i = 0; i < Math.Abs(exponent); i++) value *= 10;
        return exponent < 0 ? 1 / value : value;
    }
}
