using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Serialization.Protobuf;

namespace Apiserver.Generic.Endpoints.Handlers;

/// <summary>DELETE of one object.</summary>
internal static class DeleteHandler
{
    public static async Task HandleAsync(HandlerScope scope, IGracefulDeleter deleter)
    {
        var body = await RequestBody.ReadJsonAsync(scope.Http, MetaV1Messages.DeleteOptions);
        var options = QueryOptions.Delete(scope.Http.Request.Query, body);
        var result = await deleter.DeleteAsync(scope.Context, scope.Info.Name, options, scope.Http.RequestAborted);
        if (!result.Deleted || result.ReturnObject)
        {
            // A pending deletion answers with the object as now stored (kube answers 200 here too).
            await scope.WriteAsync(200, result.Object);
            return;
        }
        await Responses.WriteObjectAsync(scope.Http, 200, Status.Success(new StatusDetails(
            Name: scope.Info.Name, Group: deleter.Names.Kind.Group, Kind: deleter.Names.Plural, Uid: result.Object.GetUid())));
    }
}
