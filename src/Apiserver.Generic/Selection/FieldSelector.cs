using Apiserver.Generic.Api;

namespace Apiserver.Generic.Selection;

/// <summary>A parsed field selector: <c>f=v</c>, <c>f==v</c> and <c>f!=v</c> terms joined by commas.</summary>
public sealed class FieldSelector
{
    private readonly IReadOnlyList<(string Field, string Value, bool Equal)> _terms;

    private FieldSelector(IReadOnlyList<(string, string, bool)> terms) => _terms = terms;

    /// <summary>The selector that matches everything.</summary>
    public static FieldSelector Everything { get; } = new([]);

    /// <summary>Whether this selector matches everything.</summary>
    public bool IsEverything => _terms.Count == 0;

    /// <summary>The fields the selector uses.</summary>
    public IEnumerable<string> Fields => _terms.Select(t => t.Field);

    /// <summary>The value a term requires of <paramref name="field"/> with <c>=</c>, if one does.</summary>
    public string? RequiredValue(string field) =>
        _terms.Where(t => t.Field == field && t.Equal).Select(t => t.Value).FirstOrDefault();

    /// <summary>Parses a selector; a malformed one is a 400 <c>StatusException</c>.</summary>
    public static FieldSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }
        var terms = new List<(string, string, bool)>();
        foreach (var part in SplitUnescaped(text, ','))
        {
            if (part.Length == 0)
            {
                continue; // Empty terms ("a=b,") are skipped, as kube-apiserver skips them.
            }
            var (field, value, equal) = part.IndexOf("!=", StringComparison.Ordinal) is var ne and >= 0
                ? (part[..ne], part[(ne + 2)..], false)
                : part.IndexOf("==", StringComparison.Ordinal) is var ee and >= 0
                    ? (part[..ee], part[(ee + 2)..], true)
                    : part.IndexOf('=') is var e and >= 0
                        ? (part[..e], part[(e + 1)..], true)
                        : throw StatusException.BadRequest($"invalid field selector: '{part}' is not a valid field selector: it must be of the form field=value, field==value or field!=value");
            terms.Add((field.Trim(), Unescape(value.Trim(), text), equal));
        }
        return new FieldSelector(terms);
    }

    /// <summary>Whether the object's fields (read through <paramref name="fieldValue"/>) satisfy every term.</summary>
    public bool Matches(Func<string, string?> fieldValue)
    {
        foreach (var (field, value, equal) in _terms)
        {
            if ((fieldValue(field) == value) != equal)
            {
                return false;
            }
        }
        return true;
    }

    private static IEnumerable<string> SplitUnescaped(string text, char separator)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == separator)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }
        yield return text[start..];
    }

    /// <summary>Undoes <c>\\</c>, <c>\,</c> and <c>\=</c>; any other escape, or a bare <c>=</c> or <c>,</c>, is a 400.</summary>
    private static string Unescape(string value, string selector)
    {
        var result = new System.Text.StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\\')
            {
                if (i + 1 >= value.Length || value[i + 1] is not ('\\' or ',' or '='))
                {
                    throw StatusException.BadRequest($"invalid field selector: '{selector}': invalid escape sequence in value \"{value}\"");
                }
                result.Append(value[++i]);
            }
            else if (c is '=' or ',')
            {
                throw StatusException.BadRequest($"invalid field selector: '{selector}': invalid value \"{value}\": '{c}' must be escaped");
            }
            else
            {
                result.Append(c);
            }
        }
        return result.ToString();
    }
}
