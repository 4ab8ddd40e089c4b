using System.Globalization;
using System.Text;
using Apiserver.Generic.Api;
using Microsoft.AspNetCore.Http;

namespace Apiserver.Generic.Endpoints;

/// <summary>
/// The manager a write is recorded under: the <c>fieldManager</c> query parameter, or else what
/// kube derives from the User-Agent (the text before its first '/', printable characters only, at
/// most 128 bytes), so <c>kubectl/v1.32 (linux)</c> writes as <c>kubectl</c>.
/// </summary>
internal static class FieldManagerOption
{
    /// <summary>kube's <c>FieldManagerMaxLength</c>.</summary>
    public const int MaxLength = 128;

    /// <summary>
    /// The manager of the request; a <c>fieldManager</c> too long or with unprintable characters is a
    /// 422 naming <paramref name="optionsKind"/> (CreateOptions, UpdateOptions, PatchOptions).
    /// </summary>
    public static string Resolve(HttpRequest request, string optionsKind)
    {
        var requested = Requested(request);
        if (requested.Length == 0)
        {
            return FromUserAgent(request.Headers.UserAgent.ToString());
        }
        var errors = new List<FieldError>();
        if (Encoding.UTF8.GetByteCount(requested) > MaxLength)
        {
            errors.Add(new FieldError(FieldErrorType.TooLong, "fieldManager", null, $"may not be more than {MaxLength} bytes"));
        }
        var position = 0;
        foreach (var rune in requested.EnumerateRunes())
        {
            if (!IsPrintable(rune))
            {
                errors.Add(FieldError.Invalid("fieldManager", requested, $"invalid character U+{rune.Value:X4} (at position {position})"));
            }
            position += rune.Utf8SequenceLength;
        }
        if (errors.Count > 0)
        {
            throw Invalid(optionsKind, errors);
        }
        return requested;
    }

    /// <summary>The <c>fieldManager</c> query parameter as sent (empty when absent).</summary>
    public static string Requested(HttpRequest request) => request.Query["fieldManager"].ToString();

    /// <summary>kube's <c>prefixFromUserAgent</c>.</summary>
    public static string FromUserAgent(string userAgent)
    {
        var prefix = userAgent.Split('/')[0];
        var result = new StringBuilder();
        var bytes = 0;
        foreach (var rune in prefix.EnumerateRunes())
        {
            if (!IsPrintable(rune)) continue;
            if (bytes + rune.Utf8SequenceLength > MaxLength) break;
            bytes += rune.Utf8SequenceLength;
            result.Append(rune.ToString());
        }
        return result.ToString();
    }

    /// <summary>A 422 about the options of a request (<c>PatchOptions.meta.k8s.io "" is invalid: …</c>).</summary>
    public static StatusException Invalid(string optionsKind, IReadOnlyList<FieldError> errors) =>
        StatusException.Invalid(new GroupVersionKind("meta.k8s.io", "v1", optionsKind), "", errors);

    // Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
    private static bool IsPrintable(Rune rune) => rune.Value == ' ' || Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
            or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
            or UnicodeCategory.SpaceSeparator => false,
        _ => true,
    };
}
