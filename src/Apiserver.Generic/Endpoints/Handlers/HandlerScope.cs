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

    /// <summary>Writes one object or list in the negotiated form: itself, a Table, or its metadata only; JSON or YAML.</summary>
    public Task WriteAsync(int statusCode, JsonObject obj)
    {
        var format = Negotiate(isList: obj["items"] is JsonArray);
        return Responses.WriteObjectAsync(Http, statusCode, Shape(obj, format, TableOptionsOf(Http.Request)), format.MediaType);
    }

    /// <summary>The response format the client asked for (406 when none can be served).</summary>
    public ResponseFormat Negotiate(bool isList, bool streaming = false) =>
        Negotiation.Choose(Http.Request, Storage is ITableConvertor, isList, streaming);

    /// <summary>An object or list in the negotiated shape.</summary>
    public JsonObject Shape(JsonObject obj, ResponseFormat format, TableOptions tableOptions)
    {
        switch (format.Shape)
        {
            case ResponseShape.Table:
                var table = ((ITableConvertor)Storage).ConvertToTable(obj, tableOptions);
                table["apiVersion"] = $"meta.k8s.io/{format.MetaVersion}";
                return table;
            case ResponseShape.PartialObjectMetadata:
                return PartialObjectMetadata.From(obj, format.MetaVersion);
            default:
                return obj;
        }
    }

    public static TableOptions TableOptionsOf(HttpRequest request) =>
        new(IncludeObject: request.Query["includeObject"].ToString() is { Length: > 0 } include ? include : "Metadata");
}
