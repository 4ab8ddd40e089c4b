using System.Globalization;
using System.Text.Json.Nodes;

namespace Apiserver.Generic.Api;

/// <summary>
/// Kubernetes resource quantities (<c>100m</c>, <c>1.5Gi</c>, <c>2e3</c>), as apimachinery's
/// <c>resource.Quantity</c> reads and writes them: a sign, a decimal number, and one of the binary
/// suffixes (<c>Ki</c> … <c>Ei</c>), the decimal ones (<c>n</c>, <c>u</c>, <c>m</c>, <c>k</c>,
/// <c>M</c> … <c>E</c>) or a decimal exponent. Values are exact to the nanounit (finer ones round
/// up), compare by value (<c>1</c> equals <c>1000m</c>), and have one canonical spelling, the one
/// kube-apiserver stores for its built-in kinds (<c>2000m</c> is <c>2</c>, <c>1024Mi</c> is <c>1Gi</c>).
/// </summary>
public static class Quantity
{
    /// <summary>kube's message for a string that is no quantity.</summary>
    public const string FormatError = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

    private static readonly string[] BinarySuffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];

    private enum Notation { DecimalSI, BinarySI, DecimalExponent }

    /// <summary>The value of <paramref name="node"/> (a string or a JSON number), or null when it is no quantity.</summary>
    public static decimal? Parse(JsonNode? node) => Text(node) is { } text ? Parse(text) : null;

    /// <summary>The value of <paramref name="text"/>, or null when it is no quantity (or too large to hold).</summary>
    public static decimal? Parse(string text) => TryRead(text, out var value, out _) ? value : null;

    /// <summary>
    /// The canonical spelling of <paramref name="node"/> (a string, or a JSON number read as its
    /// text, as kube reads one), as kube stores it; false when it is no quantity.
    /// </summary>
    public static bool TryCanonicalize(JsonNode? node, out string canonical)
    {
        canonical = "";
        return Text(node) is { } text && TryCanonicalize(text, out canonical);
    }

    /// <summary>The canonical spelling of <paramref name="text"/>, as kube stores it; false when it is no quantity.</summary>
    public static bool TryCanonicalize(string text, out string canonical)
    {
        if (!TryRead(text, out var value, out var notation))
        {
            canonical = "";
            return false;
        }
        canonical = Format(value, notation);
        return true;
    }

    private static bool TryRead(string text, out decimal value, out Notation notation)
    {
        value = 0;
        notation = Notation.DecimalSI;
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
            return false;
        }
        if (Multiplier(text[end..], out notation) is not { } multiplier)
        {
            return false;
        }
        try
        {
            value = RoundUp(number * multiplier);
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    /// <summary>Rounds away from zero to a whole nanounit, as kube keeps at most nine decimals.</summary>
    private static decimal RoundUp(decimal value)
    {
        if (decimal.Round(value, 9) == value)
        {
            return value;
        }
        var nanos = value * 1_000_000_000m;
        return (value < 0 ? decimal.Floor(nanos) : decimal.Ceiling(nanos)) / 1_000_000_000m;
    }

    /// <summary>A string's text, or a JSON number's as written; null for anything else.</summary>
    private static string? Text(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var text) => text,
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number => v.ToJsonString(),
        _ => null,
    };

    private static decimal? Multiplier(string suffix, out Notation notation)
    {
        notation = suffix.Length == 2 && suffix[1] == 'i' ? Notation.BinarySI : Notation.DecimalSI;
        switch (suffix)
        {
            case "": return 1m;
            case "n": return 0.000000001m;
            case "u": return 0.000001m;
            case "m": return 0.001m;
            case "k": return 1_000m;
            case "M": return 1_000_000m;
            case "G": return 1_000_000_000m;
            case "T": return 1_000_000_000_000m;
            case "P": return 1_000_000_000_000_000m;
            case "E": return 1_000_000_000_000_000_000m;
            case "Ki": return 1L << 10;
            case "Mi": return 1L << 20;
            case "Gi": return 1L << 30;
            case "Ti": return 1L << 40;
            case "Pi": return 1L << 50;
            case "Ei": return 1L << 60;
        }
        if (suffix.Length > 1 && suffix[0] is 'e' or 'E'
            && int.TryParse(suffix.AsSpan(1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exponent) && exponent is >= -28 and <= 28)
        {
            notation = Notation.DecimalExponent;
            return PowerOfTen(exponent);
        }
        return null;
    }

    /// <summary>apimachinery's canonical form: binary suffixes for whole multiples of 1024, else a mantissa and an exponent that is a multiple of three.</summary>
    private static string Format(decimal value, Notation notation)
    {
        if (value == 0)
        {
            return "0";
        }
        var sign = value < 0 ? "-" : "";
        var magnitude = Math.Abs(value);
        if (notation == Notation.BinarySI)
        {
            if (magnitude >= 1024 && magnitude == decimal.Truncate(magnitude))
            {
                var power = 0;
                while (power < BinarySuffixes.Length - 1 && magnitude % 1024 == 0)
                {
                    magnitude /= 1024;
                    power++;
                }
                return sign + magnitude.ToString("0", CultureInfo.InvariantCulture) + BinarySuffixes[power];
            }
            notation = Notation.DecimalSI; // Below 1024 or fractional: decimal spelling loses nothing.
        }
        var exponent = 0;
        while (magnitude != decimal.Truncate(magnitude))
        {
            magnitude *= 10;
            exponent--;
        }
        while (magnitude % 10 == 0)
        {
            magnitude /= 10;
            exponent++;
        }
        switch ((exponent % 3 + 3) % 3)
        {
            case 1:
                magnitude *= 10;
                exponent--;
                break;
            case 2:
                magnitude *= 100;
                exponent -= 2;
                break;
        }
        var suffix = (notation, exponent) switch
        {
            (Notation.DecimalSI, -9) => "n",
            (Notation.DecimalSI, -6) => "u",
            (Notation.DecimalSI, -3) => "m",
            (_, 0) => "",
            (Notation.DecimalSI, 3) => "k",
            (Notation.DecimalSI, 6) => "M",
            (Notation.DecimalSI, 9) => "G",
            (Notation.DecimalSI, 12) => "T",
            (Notation.DecimalSI, 15) => "P",
            (Notation.DecimalSI, 18) => "E",
            _ => "e" + exponent.ToString(CultureInfo.InvariantCulture),
        };
        return sign + magnitude.ToString("0", CultureInfo.InvariantCulture) + suffix;
    }

    private static decimal PowerOfTen(int exponent)
    {
        var value = 1m;
        for (var i = 0; i < Math.Abs(exponent); i++) value *= 10;
        return exponent < 0 ? 1 / value : value;
    }
}
