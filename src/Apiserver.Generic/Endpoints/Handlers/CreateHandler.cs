using System.Text.Json.Nodes;
using Apiserver.Generic.Admission;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Rest;

namespace Apiserver.Generic.Endpoints.Handlers;

/// <summary>POST to a collection, or to a subresource of a named object.</summary>
internal static class CreateHandler
{
    public static async Task HandleAsync(HandlerScope scope, ICreater creater)
    {
        var (obj, options) = await ReadAndAdmitAsync(scope, creater, "", name: null);
        var created = await creater.CreateAsync(scope.Context, obj, options, scope.Http.RequestAborted);
        await scope.WriteAsync(201, created);
    }

    /// <summary>POST to a subresource of a named object (<c>pods/x/binding</c>): the object's name comes from the path.</summary>
    public static async Task HandleNamedAsync(HandlerScope scope, INamedCreater creater)
    {
        var (obj, options) = await ReadAndAdmitAsync(scope, creater, creater.Subresource, scope.Info.Name);
        var result = await creater.CreateAsync(scope.Context, scope.Info.Name, obj, options, scope.Http.RequestAborted);
        await scope.WriteAsync(201, result);
    }

    /// <summary>Decodes the body as the storage's kind and runs mutating admission on it.</summary>
    private static async Task<(JsonObject Object, CreateOptions Options)> ReadAndAdmitAsync(HandlerScope scope, IRestStorage storage, string subresource, string? name)
    {
        var dryRun = QueryOptions.DryRun(scope.Http.Request.Query);
        QueryOptions.FieldValidation(scope.Http.Request.Query);
        var names = storage.Names;
        var obj = await RequestBody.ReadObjectAsync(scope.Http, names.Kind, (storage as IProtobufSchemaProvider)?.ProtobufMessage);
        SchemaDecoding.Apply(scope.Http, obj, (storage as ISchemaProvider)?.Schema, names.Kind, typed: storage is IProtobufSchemaProvider { ProtobufMessage: not null });
        var context = scope.Context;
        await scope.Admission.AdmitAsync(new AdmissionAttributes(
            AdmissionOperation.Create, names.Kind, names.GroupResource, subresource, scope.Info.Namespace, name ?? obj.GetName(), obj, null, context.User, dryRun),
            scope.Http.RequestAborted);
        return (obj, new CreateOptions(dryRun, scope.Http.Request.Query["fieldManager"]));
    }
}
