using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.FieldManagement;
using Microsoft.AspNetCore.Http;

namespace Apiserver.Generic.Endpoints.Handlers;

/// <summary>
/// What a PATCH request asks of the field manager: its manager and, for server-side apply
/// (<c>application/apply-patch+yaml</c>), <c>force</c> and the applied configuration, checked as
/// kube's <c>ValidatePatchOptions</c> and apply manager check them.
/// </summary>
internal sealed record ApplyRequest(string Manager, bool Force)
{
    /// <summary>The media type of server-side apply.</summary>
    public const string MediaType = "application/apply-patch+yaml";

    /// <summary>The options of a patch; 422 (<c>PatchOptions</c>) when they do not fit the patch type.</summary>
    public static ApplyRequest Of(HttpRequest request, bool apply)
    {
        var errors = new List<FieldError>();
        var force = request.Query["force"].ToString();
        if (!apply && request.Query.ContainsKey("force"))
        {
            errors.Add(FieldError.Forbidden("force", "may not be specified for non-apply patch"));
        }
        if (apply && FieldManagerOption.Requested(request).Length == 0)
        {
            // kubectl sends "kubectl"; controllers have to name themselves.
            errors.Add(FieldError.Required("fieldManager", "is required for apply patch"));
        }
        if (errors.Count > 0)
        {
            throw FieldManagerOption.Invalid("PatchOptions", errors);
        }
        return new ApplyRequest(FieldManagerOption.Resolve(request, "PatchOptions"), force is "true" or "True" or "1");
    }

    /// <summary>The applied configuration, checked against the kind the endpoint serves.</summary>
    public static JsonObject Config(JsonNode? body, GroupVersionKind kind)
    {
        if (body is not JsonObject config)
        {
            throw StatusException.BadRequest("error decoding YAML: the applied configuration must be an object");
        }
        var apiVersion = config["apiVersion"] is JsonValue v && v.TryGetValue<string>(out var a) ? a : "";
        if (apiVersion != kind.ApiVersion)
        {
            throw StatusException.BadRequest($"Incorrect version specified in apply patch. Specified patch version: {apiVersion}, expected: {kind.ApiVersion}");
        }
        var configKind = config["kind"] is JsonValue k && k.TryGetValue<string>(out var s) ? s : "";
        if (configKind != kind.Kind)
        {
            throw StatusException.BadRequest($"Incorrect kind specified in apply patch. Specified patch kind: {configKind}, expected: {kind.Kind}");
        }
        if (config["metadata"] is { } meta && meta is not JsonObject)
        {
            throw StatusException.BadRequest("metadata must be a JSON object");
        }
        return config;
    }

    /// <summary>The object that results from applying <paramref name="config"/> to <paramref name="current"/> (null: missing).</summary>
    public JsonObject ApplyTo(FieldManager fields, JsonObject? current, JsonObject config, GroupVersionKind kind, string subresource) =>
        fields.Apply(current, config, Manager, kind.ApiVersion, subresource, Force, DateTimeOffset.UtcNow);
}
