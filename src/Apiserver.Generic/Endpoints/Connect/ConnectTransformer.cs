using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Rest;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Apiserver.Generic.Endpoints.Connect;

/// <summary>
/// Shapes a forwarded connect request as kube's upgrade-aware proxy does: the client's headers go
/// on (the authentication and impersonation filters removed <c>Authorization</c> and
/// <c>Impersonate-*</c> already), the client's address is appended to <c>X-Forwarded-For</c>, and
/// the request goes to the storage's location, path and query included.
/// </summary>
internal sealed class ConnectTransformer(ConnectTarget target) : HttpTransformer
{
    /// <summary>How much of a failed target's body becomes the Status message (kube reads 4 KiB of it).</summary>
    private const int MaxErrorBodyBytes = 4096;
    private const string ForwardedFor = "X-Forwarded-For";

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        proxyRequest.RequestUri = target.Location;
        if (httpContext.Connection.RemoteIpAddress is { } remote)
        {
            var prior = httpContext.Request.Headers[ForwardedFor].ToString();
            proxyRequest.Headers.Remove(ForwardedFor);
            proxyRequest.Headers.TryAddWithoutValidation(ForwardedFor, prior.Length > 0 ? $"{prior}, {remote}" : remote.ToString());
        }
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var proceed = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        if (proxyResponse is null)
        {
            return proceed;
        }
        var code = (int)proxyResponse.StatusCode;
        if (target.CheckResponse && code is < 200 or > 299)
        {
            var buffer = new byte[MaxErrorBodyBytes];
            await using var body = await proxyResponse.Content.ReadAsStreamAsync(cancellationToken);
            var read = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
            httpContext.Response.Headers.Clear();
            await Responses.WriteStatusAsync(httpContext, new StatusException(code, ReasonOf(code), System.Text.Encoding.UTF8.GetString(buffer, 0, read).Trim()));
            return false;
        }
        if (target.ContentType is { } contentType && code is >= 200 and <= 299)
        {
            httpContext.Response.ContentType = contentType;
        }
        return proceed;
    }

    /// <summary>The reason kube's <c>NewGenericServerResponse</c> gives a code.</summary>
    private static string ReasonOf(int code) => code switch
    {
        400 => StatusReason.BadRequest,
        401 => StatusReason.Unauthorized,
        403 => StatusReason.Forbidden,
        404 => StatusReason.NotFound,
        405 => StatusReason.MethodNotAllowed,
        406 => StatusReason.NotAcceptable,
        409 => StatusReason.Conflict,
        415 => StatusReason.UnsupportedMediaType,
        422 => StatusReason.Invalid,
        429 => StatusReason.TooManyRequests,
        503 => StatusReason.ServiceUnavailable,
        504 => StatusReason.Timeout,
        _ => StatusReason.InternalError,
    };
}
