using Apiserver.Generic.Registry.Rest;

namespace Apiserver.Generic.Endpoints.Handlers;

/// <summary>GET of a collection.</summary>
internal static class ListHandler
{
    public static async Task HandleAsync(HandlerScope scope, ILister lister)
    {
        var options = QueryOptions.List(scope.Http.Request.Query);
        ListOptionsValidation.Validate(options, watch: false);
        var list = await lister.ListAsync(scope.Context, options, scope.Http.RequestAborted);
        await scope.WriteAsync(200, list);
    }
}
