using Apiserver.Generic.Registry.Rest;

namespace Apiserver.Generic.Endpoints.Handlers;

/// <summary>GET of a collection.</summary>
internal static class ListHandler
{
    public static async Task HandleAsync(HandlerScope scope, ILister lister)
    {
        var options = QueryOptions.List(scope.Http.Request.Query);
        ListOptionsValidation.Validate(options, watch: false);
        var format = scope.Negotiate(isList: true);
        if (lister is IStreamingLister streaming && format.MediaType == Negotiation.JsonMediaType && format.Shape != ResponseShape.Table)
        {
            // A list can be large: write it item by item instead of building it in memory.
            var stream = await streaming.ListStreamAsync(scope.Context, options, scope.Http.RequestAborted);
            if (format.Shape == ResponseShape.PartialObjectMetadata)
            {
                var apiVersion = $"meta.k8s.io/{format.MetaVersion}";
                stream = stream with { Kind = "PartialObjectMetadataList", ApiVersion = apiVersion };
                await Responses.WriteListStreamAsync(scope.Http, stream, item => PartialObjectMetadata.From(item, format.MetaVersion));
                return;
            }
            await Responses.WriteListStreamAsync(scope.Http, stream);
            return;
        }
        var list = await lister.ListAsync(scope.Context, options, scope.Http.RequestAborted);
        await scope.WriteAsync(200, list);
    }
}
