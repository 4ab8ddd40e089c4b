using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Serialization.Protobuf;

namespace Apiserver.Generic.Endpoints.Handlers;

/// <summary>DELETE of a collection: every object the list options select; answers with the list of them.</summary>
internal static class DeleteCollectionHandler
{
    public static async Task HandleAsync(HandlerScope scope, ICollectionDeleter deleter)
    {
        var query = scope.Http.Request.Query;
        var listOptions = QueryOptions.List(query);
        ListOptionsValidation.Validate(listOptions, watch: false);
        var body = await RequestBody.ReadJsonAsync(scope.Http, MetaV1Messages.DeleteOptions);
        var options = QueryOptions.Delete(query, body);
        var deleted = await deleter.DeleteCollectionAsync(scope.Context, options, listOptions, scope.Http.RequestAborted);
        await scope.WriteAsync(200, deleted);
    }
}
