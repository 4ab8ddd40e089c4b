using System.Text.Json.Nodes;
using Apiserver.Generic.Admission;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Rest;

namespace Apiserver.Generic.Endpoints.Handlers;

/// <summary>POST to a collection, or to a named object's subresource.</summary>
internal static class CreateHandler
{
    public static Task HandleAsync(HandlerScope scope, ICreater creater) =>
        HandleAsync(scope, creater, "", (context, obj, options) => creater.CreateAsync(context, obj, options, scope.Http.RequestAborted));

    public static Task HandleNamedAsync(HandlerScope scope, INamedCreater creater) =>
        HandleAsync(scope, creater, scope.Info.Name, (context, obj, options) => creater.CreateAsync(context, scope.Info.Name, obj, options, scope.Http.RequestAborted));

    private static async Task HandleAsync(HandlerScope scope, IRestStorage storage, string name, Func<RequestContext, JsonObject, CreateOptions, Task<JsonObject>> create)
    {
        var dryRun = QueryOptions.DryRun(scope.Http.Request.Query);
        QueryOptions.FieldValidation(scope.Http.Request.Query);
        var manager = FieldManagerOption.Resolve(scope.Http.Request, "CreateOptions");
        var names = storage.Names;
        var obj = await RequestBody.ReadObjectAsync(scope.Http, names.Kind, (storage as IProtobufSchemaProvider)?.ProtobufMessage);
        SchemaDecoding.Apply(scope.Http, obj, storage, names.Kind);
        var context = scope.Context;
        var attributes = new AdmissionAttributes(
            AdmissionOperation.Create, names.Kind, names.GroupResource, (storage as ISubresourceStorage)?.Subresource ?? "", scope.Info.Namespace, name.Length > 0 ? name : obj.GetName(), obj, null, context.User, dryRun);
        await scope.Admission.AdmitAsync(attributes, scope.Http.RequestAborted);
        if (storage is INamedCreater)
        {
            // An action on an object (a binding, an eviction, a token request) is validated as posted;
            // a store validates what it writes itself (kube's createValidation).
            await scope.Admission.ValidateAsync(attributes, scope.Http.RequestAborted);
        }
        var created = await create(context, obj, new CreateOptions(dryRun, manager));
        await scope.WriteAsync(201, created);
    }
}
