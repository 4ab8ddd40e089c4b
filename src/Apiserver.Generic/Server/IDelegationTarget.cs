using Apiserver.Generic.Endpoints.Discovery;
using Microsoft.AspNetCore.Http;

namespace Apiserver.Generic.Server;

/// <summary>
/// What a server in the chain exposes to the server in front of it. The front server hands every
/// request it does not serve to <see cref="UnprotectedHandler"/> (past its own filters, which run
/// once, outermost), and merges the delegate's hooks, checks and discovery into its own.
/// </summary>
public interface IDelegationTarget
{
    /// <summary>Serves a request without any filters (they have run already in the front server).</summary>
    RequestDelegate UnprotectedHandler { get; }

    /// <summary>The post-start hooks of this server and every delegate behind it.</summary>
    IReadOnlyList<PostStartHook> PostStartHooks { get; }

    /// <summary>The health checks of this server and every delegate behind it.</summary>
    IReadOnlyList<HealthCheck> HealthChecks { get; }

    /// <summary>The API groups served by this server and every delegate behind it, now (the set may change at run time).</summary>
    IReadOnlyList<ApiGroupDiscovery> DiscoveryGroups { get; }

    /// <summary>
    /// Called by the running server once every post-start hook has finished; a server passes it on
    /// to its delegate. The not-found delegate answers 503 until then.
    /// </summary>
    void OnStarted();

    /// <summary>
    /// Called before the OpenAPI documents are built from <see cref="DiscoveryGroups"/>: a server
    /// completes what it leaves out until needed (the descriptions of its schemas, say), then passes
    /// it on to its delegate.
    /// </summary>
    void PrepareOpenApi();
}
