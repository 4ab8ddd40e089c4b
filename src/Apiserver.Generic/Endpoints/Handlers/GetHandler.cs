using Apiserver.Generic.Registry.Rest;

namespace Apiserver.Generic.Endpoints.Handlers;

/// <summary>GET of one object.</summary>
internal static class GetHandler
{
    public static async Task HandleAsync(HandlerScope scope, IGetter getter)
    {
        var options = new GetOptions(scope.Http.Request.Query["resourceVersion"].ToString());
        var obj = await getter.GetAsync(scope.Context, scope.Info.Name, options, scope.Http.RequestAborted);
        await scope.WriteAsync(200, obj);
    }
}
