using System.Text.Json;
using System.Text.Json.Nodes;
using Apiserver.Generic.Admission;
using Apiserver.Generic.Api;
using Apiserver.Generic.Patch;
using Apiserver.Generic.Registry.Rest;
using NJsonSchema;

namespace Apiserver.Generic.Endpoints.Handlers;

/// <summary>PATCH of one object: JSON patch, merge patch or (built-in kinds) strategic merge patch, applied to the stored object and written back conditionally.</summary>
internal static class PatchHandler
{
    private const int Attempts = 5;

    public static async Task HandleAsync(HandlerScope scope, IPatcher patcher)
    {
        var http = scope.Http;
        var mediaType = (http.Request.ContentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        var apply = PatchFunction(mediaType, patcher);
        var dryRun = QueryOptions.DryRun(http.Request.Query);
        QueryOptions.FieldValidation(http.Request.Query);
        var patch = await RequestBody.ReadJsonAsync(http, acceptedMediaType: mediaType)
            ?? throw StatusException.BadRequest("the patch body is empty");
        var names = patcher.Names;
        var name = scope.Info.Name;
        var context = scope.Context;

        for (var attempt = 1; ; attempt++)
        {
            var current = await patcher.GetAsync(context, name, new GetOptions(), http.RequestAborted);
            var currentVersion = current.GetResourceVersion();
            if (apply(current, patch) is not JsonObject patched)
            {
                throw new StatusException(422, StatusReason.Invalid, "the patched object must be a JSON object");
            }
            SchemaDecoding.Apply(http, patched, (patcher as ISchemaProvider)?.Schema, names.Kind, typed: patcher is IProtobufSchemaProvider { ProtobufMessage: not null });
            if (patched.GetName() != name)
            {
                throw StatusException.BadRequest($"the name of the object ({patched.GetName()}) does not match the name on the URL ({name})");
            }
            // A patch that names a resourceVersion is a precondition; otherwise it applies to what was read.
            var conditional = patched.GetResourceVersion() != currentVersion;
            if (!conditional)
            {
                patched.Metadata()["resourceVersion"] = currentVersion;
            }
            try
            {
                await scope.Admission.AdmitAsync(new AdmissionAttributes(
                    AdmissionOperation.Update, names.Kind, names.GroupResource, scope.Info.Subresource, scope.Info.Namespace, name, patched, current, context.User, dryRun),
                    http.RequestAborted);
                var result = await patcher.UpdateAsync(context, name, patched, new UpdateOptions(dryRun, http.Request.Query["fieldManager"]), http.RequestAborted);
                await scope.WriteAsync(200, result.Object);
                return;
            }
            catch (StatusException e) when (e.Code == 409 && e.Reason == StatusReason.Conflict && !conditional && attempt < Attempts)
            {
                // Changed between our read and write: patch the new version.
            }
        }
    }

    // Strategic merge patch needs the list semantics of a built-in kind's schema; kube answers 415
    // for it on custom resources, listing the types they accept.
    private static Func<JsonNode?, JsonNode?, JsonNode?> PatchFunction(string mediaType, IPatcher patcher) => mediaType switch
    {
        "application/json-patch+json" => JsonPatch.Apply,
        "application/merge-patch+json" => MergePatch.Apply,
        "application/strategic-merge-patch+json" when BuiltInSchema(patcher) is { } schema => (original, patch) => StrategicMergePatch.Apply(original, patch, schema),
        "application/strategic-merge-patch+json" => throw new StatusException(415, StatusReason.UnsupportedMediaType,
            "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"),
        _ => throw new StatusException(415, StatusReason.UnsupportedMediaType,
            $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json{(BuiltInSchema(patcher) is null ? "" : ", application/strategic-merge-patch+json")} (got \"{mediaType}\")"),
    };

    // Built-in kinds are those with a protobuf message; custom resources have a schema but none.
    private static JsonSchema? BuiltInSchema(IPatcher patcher) =>
        patcher is IProtobufSchemaProvider { ProtobufMessage: not null } && patcher is ISchemaProvider { Schema: { } schema } ? schema : null;
}
