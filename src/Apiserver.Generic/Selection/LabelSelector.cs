using Apiserver.Generic.Api;

namespace Apiserver.Generic.Selection;

/// <summary>
/// A parsed label selector in Kubernetes syntax: <c>a=b</c>, <c>a==b</c>, <c>a!=b</c>,
/// <c>a in (x,y)</c>, <c>a notin (x,y)</c>, <c>a</c>, <c>!a</c>, and the integer comparisons
/// <c>a&gt;1</c> and <c>a&lt;5</c>, joined by commas (all must hold).
/// </summary>
public sealed class LabelSelector
{
    private enum Op { Equals, NotEquals, In, NotIn, Exists, DoesNotExist, GreaterThan, LessThan }

    private sealed record Requirement(string Key, Op Op, IReadOnlyList<string> Values);

    private readonly IReadOnlyList<Requirement> _requirements;

    private LabelSelector(IReadOnlyList<Requirement> requirements) => _requirements = requirements;

    /// <summary>The selector that matches everything.</summary>
    public static LabelSelector Everything { get; } = new([]);

    /// <summary>Whether this selector matches everything.</summary>
    public bool IsEverything => _requirements.Count == 0;

    /// <summary>Parses a selector; a malformed one is a 400 <c>StatusException</c>.</summary>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }
        var requirements = new List<Requirement>();
        var pos = 0;
        while (true)
        {
            requirements.Add(ParseRequirement(text, ref pos));
            SkipSpaces(text, ref pos);
            if (pos >= text.Length)
            {
                break;
            }
            if (text[pos] != ',')
            {
                throw Malformed(text, $"unexpected \"{text[pos]}\" at position {pos}");
            }
            pos++;
        }
        return new LabelSelector(requirements);
    }

    /// <summary>Whether <paramref name="labels"/> satisfy every requirement.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var r in _requirements)
        {
            var has = labels.TryGetValue(r.Key, out var value);
            var ok = r.Op switch
            {
                Op.Equals or Op.In => has && r.Values.Contains(value!),
                Op.NotEquals or Op.NotIn => !has || !r.Values.Contains(value!),
                Op.Exists => has,
                Op.GreaterThan => has && long.TryParse(value, out var g) && g > long.Parse(r.Values[0]),
                Op.LessThan => has && long.TryParse(value, out var l) && l < long.Parse(r.Values[0]),
                _ => !has,
            };
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }

    private static Requirement ParseRequirement(string text, ref int pos)
    {
        SkipSpaces(text, ref pos);
        if (pos < text.Length && text[pos] == '!')
        {
            pos++;
            return new Requirement(ReadKey(text, ref pos), Op.DoesNotExist, []);
        }
        var key = ReadKey(text, ref pos);
        SkipSpaces(text, ref pos);
        if (pos >= text.Length || text[pos] == ',')
        {
            return new Requirement(key, Op.Exists, []);
        }
        if (text[pos] is '>' or '<')
        {
            var comparison = text[pos] == '>' ? Op.GreaterThan : Op.LessThan;
            pos++;
            SkipSpaces(text, ref pos);
            var bound = ReadValue(text, ref pos);
            if (!long.TryParse(bound, out _))
            {
                throw Malformed(text, $"for 'Gt', 'Lt' operators, the value must be an integer, got \"{bound}\"");
            }
            return new Requirement(key, comparison, [bound]);
        }
        if (text[pos] == '=' || text[pos] == '!')
        {
            Op op;
            if (text[pos] == '!')
            {
                if (pos + 1 >= text.Length || text[pos + 1] != '=')
                {
                    throw Malformed(text, "expected \"!=\"");
                }
                op = Op.NotEquals;
                pos += 2;
            }
            else
            {
                op = Op.Equals;
                pos += pos + 1 < text.Length && text[pos + 1] == '=' ? 2 : 1;
            }
            SkipSpaces(text, ref pos);
            return new Requirement(key, op, [ReadValue(text, ref pos)]);
        }
        var word = ReadWord(text, ref pos);
        var setOp = word switch
        {
            "in" => Op.In,
            "notin" => Op.NotIn,
            _ => throw Malformed(text, $"found '{word}', expected: in, notin, =, ==, !=, gt, lt, or end of string"),
        };
        SkipSpaces(text, ref pos);
        if (pos >= text.Length || text[pos] != '(')
        {
            throw Malformed(text, "found end of string, expected: '('");
        }
        pos++;
        var values = new List<string>();
        while (true)
        {
            SkipSpaces(text, ref pos);
            values.Add(ReadValue(text, ref pos));
            SkipSpaces(text, ref pos);
            if (pos < text.Length && text[pos] == ',')
            {
                pos++;
                continue;
            }
            if (pos < text.Length && text[pos] == ')')
            {
                pos++;
                break;
            }
            throw Malformed(text, "expected ',' or ')'");
        }
        return new Requirement(key, setOp, values);
    }

    private static string ReadKey(string text, ref int pos)
    {
        var key = ReadWord(text, ref pos);
        if (key.Length == 0 || key.Length > 317)
        {
            throw Malformed(text, "a label key is required");
        }
        return key;
    }

    private static string ReadValue(string text, ref int pos) => ReadWord(text, ref pos);

    private static string ReadWord(string text, ref int pos)
    {
        var start = pos;
        while (pos < text.Length && (char.IsLetterOrDigit(text[pos]) || text[pos] is '-' or '_' or '.' or '/'))
        {
            pos++;
        }
        return text[start..pos];
    }

    private static void SkipSpaces(string text, ref int pos)
    {
        while (pos < text.Length && char.IsWhiteSpace(text[pos]))
        {
            pos++;
        }
    }

    private static StatusException Malformed(string text, string why) =>
        StatusException.BadRequest($"unable to parse requirement: invalid label selector \"{text}\": {why}");
}
