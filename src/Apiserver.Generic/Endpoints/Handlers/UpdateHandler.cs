using Apiserver.Generic.Admission;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Rest;

namespace Apiserver.Generic.Endpoints.Handlers;

/// <summary>PUT of one object.</summary>
internal static class UpdateHandler
{
    public static async Task HandleAsync(HandlerScope scope, IUpdater updater)
    {
        var dryRun = QueryOptions.DryRun(scope.Http.Request.Query);
        QueryOptions.FieldValidation(scope.Http.Request.Query);
        var manager = FieldManagerOption.Resolve(scope.Http.Request, "UpdateOptions");
        var names = updater.Names;
        var obj = await RequestBody.ReadObjectAsync(scope.Http, names.Kind, (updater as IProtobufSchemaProvider)?.ProtobufMessage);
        var name = scope.Info.Name;
        if (obj.GetName() is { Length: > 0 } bodyName && bodyName != name)
        {
            throw StatusException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }
        obj.Metadata()["name"] = name;
        SchemaDecoding.Apply(scope.Http, obj, updater, names.Kind);
        var context = scope.Context;
        await scope.Admission.AdmitAsync(new AdmissionAttributes(
            AdmissionOperation.Update, names.Kind, names.GroupResource, scope.Info.Subresource, scope.Info.Namespace, name, obj, null, context.User, dryRun),
            scope.Http.RequestAborted);
        var result = await updater.UpdateAsync(context, name, obj, new UpdateOptions(dryRun, manager) { Subresource = scope.Info.Subresource }, scope.Http.RequestAborted);
        await scope.WriteAsync(result.Created ? 201 : 200, result.Object);
    }
}
