using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Schema;
using Microsoft.AspNetCore.Http;

namespace Apiserver.Generic.Endpoints;

/// <summary>
/// Applies a kind's schema to a decoded write: unknown fields are removed and, per the request's
/// <c>fieldValidation</c>, refused (Strict, 400), warned about (Warn, the default) or dropped
/// silently (Ignore). Type errors answer as kube-apiserver does: 400 for built-in kinds, which it
/// decodes into typed structs (a type error is a decoding error there), and 422 with one cause per
/// field for other kinds (custom resources). Built-in kinds also store quantities in kube's
/// canonical spelling.
/// </summary>
public static class SchemaDecoding
{
    /// <summary>Applies the schema of <paramref name="storage"/> (when it has one) to <paramref name="obj"/>, in place.</summary>
    public static void Apply(HttpContext context, JsonObject obj, IRestStorage storage, GroupVersionKind kind)
    {
        if (storage is not ISchemaProvider { Schema: { } schema } provider)
        {
            return;
        }
        var result = StructuralSchemaEngine.Apply(obj, schema, provider.Typed);
        if (result.UnknownFields.Count > 0)
        {
            switch (QueryOptions.FieldValidation(context.Request.Query))
            {
                case "Strict":
                    throw StatusException.BadRequest("strict decoding error: " + string.Join(", ", result.UnknownFields.Select(f => $"unknown field \"{f}\"")));
                case "Warn":
                    var warnings = context.Features.Get<IWarningSink>();
                    foreach (var field in result.UnknownFields)
                    {
                        warnings?.Add($"unknown field \"{field}\"");
                    }
                    break;
            }
        }
        if (result.Errors.Count > 0)
        {
            // A bad quantity reads as kube's decoder words it, without the field.
            var first = result.Errors[0] is { Detail: Quantity.FormatError } quantity ? quantity.Detail : result.Errors[0].ToString();
            throw provider.Typed
                ? StatusException.BadRequest($"{kind.Kind} in version \"{kind.Version}\" cannot be handled as a {kind.Kind}: {first}")
                : StatusException.Invalid(kind, obj.GetName(), result.Errors);
        }
    }
}
