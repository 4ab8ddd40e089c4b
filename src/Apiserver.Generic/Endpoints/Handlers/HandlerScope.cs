using System.Text.Json.Nodes;
using Apiserver.Generic.Admission;
using Apiserver.Generic.Authentication;
using Apiserver.Generic.Registry.Rest;
using Microsoft.AspNetCore.Http;

namespace Apiserver.Generic.Endpoints.Handlers;

/// <summary>What every verb handler works with: the request, what it asks for, and the resource's storage.</summary>
/// <param name="Http">The HTTP exchange.</param>
/// <param name="Info">The parsed request.</param>
/// <param name="Storage">The resource's storage.</param>
/// <param name="Admission">The admission chain of the server.</param>
internal sealed record HandlerScope(HttpContext Http, RequestInfo Info, IRestStorage Storage, AdmissionChain Admission)
{
    public RequestContext Context => new(Info.Namespace, Http.Features.Get<UserInfo>(), Admission, Http.Features.Get<IWarningSink>());

    /// <summary>Writes one object or list, as a Table when the client asks for one and the storage can render it.</summary>
    public Task WriteAsync(int statusCode, JsonObject obj)
    {
        var table = Storage as ITableConvertor;
        if (Negotiation.Choose(Http.Request, table is not null) == ResponseShape.Table)
        {
            obj = table!.ConvertToTable(obj, TableOptionsOf(Http.Request));
        }
        return Responses.WriteObjectAsync(Http, statusCode, obj);
    }

    public static TableOptions TableOptionsOf(HttpRequest request) =>
        new(IncludeObject: request.Query["includeObject"].ToString() is { Length: > 0 } include ? include : "Metadata");
}
