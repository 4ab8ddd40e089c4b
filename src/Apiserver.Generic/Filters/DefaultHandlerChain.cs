using Apiserver.Generic.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Apiserver.Generic.Filters;

/// <summary>
/// The one place the filter chain is assembled, outermost first, in kube-apiserver's order.
/// Only the front server of a chain runs it; delegates are reached past it.
/// </summary>
public static class DefaultHandlerChain
{
    /// <summary>Adds the filters to <paramref name="app"/>, then <paramref name="handler"/> as the end of the pipeline.</summary>
    public static void Build(IApplicationBuilder app, CompletedConfig config, RequestDelegate handler)
    {
        // 1. Outermost, so that a failure anywhere below becomes a Status instead of a dropped connection.
        app.UseMiddleware<PanicRecoveryMiddleware>();
        // 2. Before anything that decides by verb, resource or namespace (authorization, routing).
        app.UseMiddleware<RequestInfoMiddleware>();
        // Before anything that may warn (admission, storage, decoding).
        app.UseMiddleware<WarningRecorderMiddleware>();
        // 3. Authentication sets the user that authorization (and later audit and admission) read.
        app.UseMiddleware<AuthenticationMiddleware>(config);
        // 4. Impersonation asks the authorizer whether the authenticated user may act as another;
        //    everything after it (authorization, admission) sees the impersonated user.
        app.UseMiddleware<ImpersonationMiddleware>(config);
        // 5. Authorization needs both the request info and the user.
        app.UseMiddleware<AuthorizationMiddleware>(config);
        app.Run(handler);
    }
}
