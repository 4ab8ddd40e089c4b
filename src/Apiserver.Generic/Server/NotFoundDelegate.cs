using Apiserver.Generic.Api;
using Apiserver.Generic.Endpoints;
using Apiserver.Generic.Endpoints.Discovery;
using Microsoft.AspNetCore.Http;

namespace Apiserver.Generic.Server;

/// <summary>
/// The end of the chain: answers a <c>Status</c> 404 for what no server serves, or 503 with
/// <c>Retry-After</c> while the server is still starting, so that clients never cache a 404 for
/// a resource that is about to exist.
/// </summary>
public sealed class NotFoundDelegate : IDelegationTarget
{
    private volatile bool _started;

    /// <summary>Creates the delegate.</summary>
    public NotFoundDelegate() => UnprotectedHandler = HandleAsync;

    /// <inheritdoc/>
    public RequestDelegate UnprotectedHandler { get; }

    /// <inheritdoc/>
    public IReadOnlyList<PostStartHook> PostStartHooks => [];

    /// <inheritdoc/>
    public IReadOnlyList<HealthCheck> HealthChecks => [];

    /// <inheritdoc/>
    public IReadOnlyList<ApiGroupDiscovery> DiscoveryGroups => [];

    /// <inheritdoc/>
    public void OnStarted() => _started = true;

    /// <inheritdoc/>
    public void PrepareOpenApi()
    {
    }

    private Task HandleAsync(HttpContext context) =>
        Responses.WriteStatusAsync(context, _started
            ? StatusException.PathNotFound()
            : StatusException.ServiceUnavailable("the server is currently unable to handle the request: it is still starting", retryAfterSeconds: 1));
}
