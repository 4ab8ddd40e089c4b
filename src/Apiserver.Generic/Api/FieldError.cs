using System.Text.Json;
using System.Text.Json.Nodes;

namespace Apiserver.Generic.Api;

/// <summary>The kinds of field error, with the cause reasons kube-apiserver reports for them.</summary>
public enum FieldErrorType
{
    /// <summary>A required field is missing.</summary>
    Required,
    /// <summary>A value is malformed or out of range.</summary>
    Invalid,
    /// <summary>A value is not one of the supported ones.</summary>
    NotSupported,
    /// <summary>A value repeats one that must be unique.</summary>
    Duplicate,
    /// <summary>The field may not be set, or not changed.</summary>
    Forbidden,
    /// <summary>A value is longer than allowed.</summary>
    TooLong,
    /// <summary>A value names something that does not exist.</summary>
    NotFound,
}

/// <summary>
/// One validation failure of one field. Rendered as kube-apiserver renders it:
/// <c>metadata.name: Invalid value: "Foo": a lowercase RFC 1123 subdomain must …</c>.
/// </summary>
/// <param name="Type">The kind of failure.</param>
/// <param name="Field">The JSON path of the field, e.g. <c>metadata.name</c>.</param>
/// <param name="BadValue">The offending value, when it is shown (not for Required or Forbidden).</param>
/// <param name="Detail">Why the value is wrong.</param>
public sealed record FieldError(FieldErrorType Type, string Field, JsonNode? BadValue, string Detail)
{
    /// <summary>A required field is missing.</summary>
    public static FieldError Required(string field, string detail = "") => new(FieldErrorType.Required, field, null, detail);

    /// <summary>A field's value is not acceptable.</summary>
    public static FieldError Invalid(string field, JsonNode? value, string detail) => new(FieldErrorType.Invalid, field, value, detail);

    /// <summary>A field's value is not acceptable (a string value).</summary>
    public static FieldError Invalid(string field, string? value, string detail) => new(FieldErrorType.Invalid, field, value is null ? null : JsonValue.Create(value), detail);

    /// <summary>A field may not be set or changed.</summary>
    public static FieldError Forbidden(string field, string detail) => new(FieldErrorType.Forbidden, field, null, detail);

    /// <summary>A field's value is not one of <paramref name="supported"/>.</summary>
    public static FieldError NotSupported(string field, string? value, IEnumerable<string> supported) =>
        new(FieldErrorType.NotSupported, field, value is null ? null : JsonValue.Create(value),
            "supported values: " + string.Join(", ", supported.Select(s => $"\"{s}\"")));

    /// <summary>A field was changed that may not change once set.</summary>
    public static FieldError Immutable(string field, JsonNode? value) => Invalid(field, value, "field is immutable");

    /// <summary>The <c>reason</c> of the matching <c>StatusCause</c>.</summary>
    public string CauseReason => Type switch
    {
        FieldErrorType.Required => "FieldValueRequired",
        FieldErrorType.Invalid => "FieldValueInvalid",
        FieldErrorType.NotSupported => "FieldValueNotSupported",
        FieldErrorType.Duplicate => "FieldValueDuplicate",
        FieldErrorType.Forbidden => "FieldValueForbidden",
        FieldErrorType.TooLong => "FieldValueTooLong",
        FieldErrorType.NotFound => "FieldValueNotFound",
        _ => "FieldValueInvalid",
    };

    /// <summary>The error without its field: <c>Invalid value: "Foo": …</c>.</summary>
    public string Message
    {
        get
        {
            var text = Type switch
            {
                FieldErrorType.Required => "Required value",
                FieldErrorType.Invalid => "Invalid value",
                FieldErrorType.NotSupported => "Unsupported value",
                FieldErrorType.Duplicate => "Duplicate value",
                FieldErrorType.Forbidden => "Forbidden",
                FieldErrorType.TooLong => "Too long",
                FieldErrorType.NotFound => "Not found",
                _ => "Invalid value",
            };
            var showsValue = Type is FieldErrorType.Invalid or FieldErrorType.NotSupported or FieldErrorType.Duplicate or FieldErrorType.NotFound;
            if (showsValue)
            {
                text += ": " + (BadValue is null ? "null" : BadValue.ToJsonString(JsonOptions.Compact));
            }
            return Detail.Length == 0 ? text : $"{text}: {Detail}";
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Field}: {Message}";
}
