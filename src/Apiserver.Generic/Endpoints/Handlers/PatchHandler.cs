using System.Text.Json.Nodes;
using Apiserver.Generic.Admission;
using Apiserver.Generic.Api;
using Apiserver.Generic.Patch;
using Apiserver.Generic.Registry.Rest;
using NJsonSchema;

namespace Apiserver.Generic.Endpoints.Handlers;

/// <summary>
/// PATCH of one object: JSON patch, merge patch, (built-in kinds) strategic merge patch, or
/// server-side apply, applied to the stored object and written back conditionally. Apply creates
/// a missing object; the others are Update operations of the request's field manager.
/// </summary>
internal static class PatchHandler
{
    private const int Attempts = 5;

    public static async Task HandleAsync(HandlerScope scope, IPatcher patcher)
    {
        var http = scope.Http;
        var mediaType = (http.Request.ContentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        var fieldManager = (patcher as IFieldManaged)?.FieldManager;
        var isApply = mediaType == ApplyRequest.MediaType && fieldManager is not null;
        var apply = isApply ? null : PatchFunction(mediaType, patcher);
        var dryRun = QueryOptions.DryRun(http.Request.Query);
        QueryOptions.FieldValidation(http.Request.Query);
        var options = ApplyRequest.Of(http.Request, isApply);
        var patch = await RequestBody.ReadJsonAsync(http, acceptedMediaType: mediaType)
            ?? throw StatusException.BadRequest("the patch body is empty");
        var names = patcher.Names;
        var name = scope.Info.Name;
        var context = scope.Context;
        var config = isApply ? ApplyRequest.Config(patch, names.Kind) : null;

        for (var attempt = 1; ; attempt++)
        {
            var current = isApply ? await TryGetAsync(scope, patcher) : await patcher.GetAsync(context, name, new GetOptions(), http.RequestAborted);
            var currentVersion = current?.GetResourceVersion() ?? "";
            var patched = config is not null
                ? options.ApplyTo(fieldManager!, current, config, names.Kind, scope.Info.Subresource)
                : apply!(current, patch) as JsonObject ?? throw new StatusException(422, StatusReason.Invalid, "the patched object must be a JSON object");
            SchemaDecoding.Apply(http, patched, patcher, names.Kind);
            if (patched.GetName() != name)
            {
                throw StatusException.BadRequest($"the name of the object ({patched.GetName()}) does not match the name on the URL ({name})");
            }
            // A patch that names a resourceVersion is a precondition; otherwise it applies to what was read.
            var conditional = patched.GetResourceVersion() != currentVersion;
            if (!conditional && current is not null)
            {
                patched.Metadata()["resourceVersion"] = currentVersion;
            }
            try
            {
                if (current is null)
                {
                    await CreateAsync(scope, patched, dryRun, options.Manager);
                    return;
                }
                await scope.Admission.AdmitAsync(new AdmissionAttributes(
                    AdmissionOperation.Update, names.Kind, names.GroupResource, scope.Info.Subresource, scope.Info.Namespace, name, patched, current, context.User, dryRun),
                    http.RequestAborted);
                var updateOptions = new UpdateOptions(dryRun, options.Manager) { Subresource = scope.Info.Subresource, Applied = isApply };
                var result = await patcher.UpdateAsync(context, name, patched, updateOptions, http.RequestAborted);
                await scope.WriteAsync(200, result.Object);
                return;
            }
            catch (StatusException e) when (e.Code == 409 && e.Reason is StatusReason.Conflict or StatusReason.AlreadyExists && e.Details?.Causes is null
                && !conditional && attempt < Attempts)
            {
                // Changed (or created) between our read and write: patch the new version.
            }
        }
    }

    // Apply on a missing object creates it (not through a subresource).
    private static async Task<JsonObject?> TryGetAsync(HandlerScope scope, IPatcher patcher)
    {
        try
        {
            return await patcher.GetAsync(scope.Context, scope.Info.Name, new GetOptions(), scope.Http.RequestAborted);
        }
        catch (StatusException e) when (e.Code == 404 && scope.Info.Subresource.Length == 0 && scope.Storage is ICreater)
        {
            return null;
        }
    }

    private static async Task CreateAsync(HandlerScope scope, JsonObject obj, bool dryRun, string manager)
    {
        var creater = (ICreater)scope.Storage;
        var names = creater.Names;
        obj.Metadata().Remove("resourceVersion");
        var context = scope.Context;
        await scope.Admission.AdmitAsync(new AdmissionAttributes(
            AdmissionOperation.Create, names.Kind, names.GroupResource, "", scope.Info.Namespace, obj.GetName(), obj, null, context.User, dryRun),
            scope.Http.RequestAborted);
        var created = await creater.CreateAsync(context, obj, new CreateOptions(dryRun, manager) { Applied = true }, scope.Http.RequestAborted);
        await scope.WriteAsync(201, created);
    }

    // Strategic merge patch needs the list semantics of a typed kind's schema; kube answers 415
    // for it on custom resources, listing the types they accept.
    private static Func<JsonNode?, JsonNode?, JsonNode?> PatchFunction(string mediaType, IPatcher patcher) => mediaType switch
    {
        "application/json-patch+json" => JsonPatch.Apply,
        "application/merge-patch+json" => MergePatch.Apply,
        "application/strategic-merge-patch+json" when TypedSchema(patcher) is { } schema => (original, patch) => StrategicMergePatch.Apply(original, patch, schema),
        "application/strategic-merge-patch+json" => throw new StatusException(415, StatusReason.UnsupportedMediaType,
            $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json{ApplyType(patcher)}"),
        _ => throw new StatusException(415, StatusReason.UnsupportedMediaType,
            $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json{(TypedSchema(patcher) is null ? "" : ", application/strategic-merge-patch+json")}{ApplyType(patcher)} (got \"{mediaType}\")"),
    };

    private static string ApplyType(IPatcher patcher) => (patcher as IFieldManaged)?.FieldManager is not null ? ", " + ApplyRequest.MediaType : "";

    // Typed kinds (the built-in ones) merge by their schema's patch strategies; custom resources are untyped.
    private static JsonSchema? TypedSchema(IPatcher patcher) =>
        patcher is ISchemaProvider { Typed: true, Schema: { } schema } ? schema : null;
}
