using Apiserver.Generic.Admission;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Rest;

namespace Apiserver.Generic.Endpoints.Handlers;

/// <summary>POST to a collection.</summary>
internal static class CreateHandler
{
    public static async Task HandleAsync(HandlerScope scope, ICreater creater)
    {
        var dryRun = QueryOptions.DryRun(scope.Http.Request.Query);
        QueryOptions.FieldValidation(scope.Http.Request.Query);
        var manager = FieldManagerOption.Resolve(scope.Http.Request, "CreateOptions");
        var names = creater.Names;
        var obj = await RequestBody.ReadObjectAsync(scope.Http, names.Kind, (creater as IProtobufSchemaProvider)?.ProtobufMessage);
        SchemaDecoding.Apply(scope.Http, obj, (creater as ISchemaProvider)?.Schema, names.Kind, typed: creater is IProtobufSchemaProvider { ProtobufMessage: not null });
        var context = scope.Context;
        await scope.Admission.AdmitAsync(new AdmissionAttributes(
            AdmissionOperation.Create, names.Kind, names.GroupResource, "", scope.Info.Namespace, obj.GetName(), obj, null, context.User, dryRun),
            scope.Http.RequestAborted);
        var created = await creater.CreateAsync(context, obj, new CreateOptions(dryRun, manager), scope.Http.RequestAborted);
        await scope.WriteAsync(201, created);
    }
}
