using System.Net;
using Apiserver.Generic.Api;
using Apiserver.Generic.Endpoints.Handlers;
using Apiserver.Generic.Registry.Rest;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Forwarder;

namespace Apiserver.Generic.Endpoints.Connect;

/// <summary>
/// Serves a connect subresource (kube's <c>ConnectResource</c> with its upgrade-aware proxy): the
/// storage validates the request and names a location, and the request is forwarded there with
/// YARP, streamed both ways; an HTTP/1.1 upgrade (SPDY, WebSocket) becomes a raw byte pipe after the
/// target's 101.
/// </summary>
internal static class ConnectHandler
{
    // HTTP/1.1 to the target: upgrades (SPDY, WebSocket) need it, and kubelets serve it.
    // Streams (logs -f, exec sessions) may be quiet for long, as kube sets no idle limit of its own.
    private static readonly ForwarderRequestConfig RequestConfig = new()
    {
        Version = HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        ActivityTimeout = TimeSpan.FromHours(4),
    };

    public static async Task HandleAsync(HandlerScope scope, IConnecter connecter)
    {
        var http = scope.Http;
        if (!connecter.ConnectMethods.Contains(http.Request.Method, StringComparer.OrdinalIgnoreCase))
        {
            throw StatusException.MethodNotAllowed();
        }
        var rest = PathAfterSubresource(http.Request.Path.Value ?? "", scope.Info);
        var target = await connecter.ConnectAsync(scope.Context, scope.Info.Name, new ConnectRequest(http.Request.Method, http.Request.Query, rest, http.Request.QueryString.Value ?? ""), http.RequestAborted);
        if (target is null)
        {
            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentType = "text/plain";
            return;
        }
        if (target.UpgradeRequired && !IsUpgradeRequest(http))
        {
            throw StatusException.BadRequest("Upgrade request required");
        }
        // As kube's proxy: a GET of a location with no path is redirected to the same with a slash,
        // so that relative links of the target's pages resolve under the proxy path.
        if (rest.Length == 0 && target.Location.AbsolutePath == "/" && (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)))
        {
            http.Response.StatusCode = StatusCodes.Status301MovedPermanently;
            http.Response.Headers.Location = http.Request.Path.Value + "/" + http.Request.QueryString.Value;
            return;
        }
        var forwarder = http.RequestServices.GetRequiredService<IHttpForwarder>();
        var error = await forwarder.SendAsync(http, target.Location.GetLeftPart(UriPartial.Authority), target.Invoker, RequestConfig, new ConnectTransformer(target));
        if (error != ForwarderError.None && !http.Response.HasStarted)
        {
            var cause = http.Features.Get<IForwarderErrorFeature>()?.Exception;
            await Responses.WriteStatusAsync(http, StatusException.ServiceUnavailable(
                $"error trying to reach {target.Location.GetLeftPart(UriPartial.Authority)}: {cause?.GetBaseException().Message ?? error.ToString()}"));
        }
    }

    /// <summary>
    /// kube's <c>httpstream.IsUpgradeRequest</c>: a <c>Connection</c> header naming <c>Upgrade</c>; or a
    /// WebSocket over HTTP/2 (extended CONNECT), which YARP carries on to the target as an HTTP/1.1 upgrade.
    /// </summary>
    private static bool IsUpgradeRequest(HttpContext http) =>
        http.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true }
        || http.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true }
        || http.Request.Headers.Connection.Any(v => v is not null && v.Split(',').Any(t => t.Trim().Equals("upgrade", StringComparison.OrdinalIgnoreCase)));

    /// <summary>What follows <c>…/{name}/{subresource}</c> in the request's path, slashes kept.</summary>
    private static string PathAfterSubresource(string path, RequestInfo info)
    {
        var marker = $"/{info.Resource}/{info.Name}/{info.Subresource}";
        var at = path.IndexOf(marker, StringComparison.Ordinal);
        return at < 0 ? "" : path[(at + marker.Length)..];
    }
}
