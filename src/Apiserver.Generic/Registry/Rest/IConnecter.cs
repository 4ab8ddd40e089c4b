using Microsoft.AspNetCore.Http;

namespace Apiserver.Generic.Registry.Rest;

/// <summary>
/// A subresource that is served by another server (kube's <c>rest.Connecter</c>): <c>pods/exec</c>,
/// <c>pods/log</c>, <c>services/proxy</c>, … The storage checks the request's options against the
/// object and says where to send it; the endpoint forwards the request there, HTTP/1.1 upgrades
/// (SPDY, WebSocket) included. Discovery lists the verbs of <see cref="ConnectMethods"/>.
/// </summary>
public interface IConnecter : ISubresourceStorage
{
    /// <summary>The HTTP methods served (<c>GET</c>, <c>POST</c>, …); any other is a 405.</summary>
    IReadOnlyList<string> ConnectMethods { get; }

    /// <summary>Whether the request may name a path past the subresource (<c>…/proxy/healthz</c>), as kube's proxies take one.</summary>
    bool TakesPath => false;

    /// <summary>
    /// Validates the request against the object named <paramref name="name"/> and returns where to
    /// forward it; throws a <c>StatusException</c> (400 for bad options, 404 for no object) otherwise.
    /// Null means there is nothing to connect to yet, answered with an empty 200 (kube's location
    /// streamer without a location: the log of a pod that has no node).
    /// </summary>
    Task<ConnectTarget?> ConnectAsync(RequestContext context, string name, ConnectRequest request, CancellationToken cancellationToken);
}

/// <summary>A request to a connect subresource, as its storage sees it.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Query">The request's query.</param>
/// <param name="Path">
/// What follows the subresource in the request's path, with its leading and trailing slashes
/// (<c>/healthz</c> for <c>…/pods/web/proxy/healthz</c>); empty when nothing does.
/// </param>
/// <param name="QueryString">The query as sent, with its <c>?</c> (empty when there is none), for proxies that pass it on.</param>
public sealed record ConnectRequest(string Method, IQueryCollection Query, string Path, string QueryString);

/// <summary>Where a connect request goes.</summary>
/// <param name="Location">The full address, path and query included, the request is sent to.</param>
/// <param name="Invoker">The HTTP client (and its TLS settings) to send it with.</param>
public sealed record ConnectTarget(Uri Location, HttpMessageInvoker Invoker)
{
    /// <summary>Whether only an HTTP/1.1 upgrade (SPDY, WebSocket) is served; any other request is a 400, as kube answers it.</summary>
    public bool UpgradeRequired { get; init; }

    /// <summary>
    /// Whether an answer of the target outside 2xx becomes a <c>Status</c> of the same code carrying its
    /// body as the message (kube's streamed <c>pods/log</c>), rather than being passed through as it is.
    /// </summary>
    public bool CheckResponse { get; init; }

    /// <summary>The content type the answer is given, replacing the target's (<c>text/plain</c> for logs); null keeps the target's.</summary>
    public string? ContentType { get; init; }
}
