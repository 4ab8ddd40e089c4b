using System.Text.Encodings.Web;
using System.Text.Json;

namespace Apiserver.Generic.Api;

/// <summary>The serializer settings the server writes objects with.</summary>
public static class JsonOptions
{
    /// <summary>Compact JSON that keeps characters such as <c>&lt;</c> and non-ASCII text as they are, like Go's encoder with HTML escaping off.</summary>
    public static readonly JsonSerializerOptions Compact = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    /// <summary>Writer options matching <see cref="Compact"/>.</summary>
    public static readonly JsonWriterOptions Writer = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };
}
