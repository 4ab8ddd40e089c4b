using Apiserver.Generic.Api;
using Apiserver.Generic.Endpoints;
using Apiserver.Generic.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Apiserver.Generic.Filters;

/// <summary>
/// The outermost filter: a failure nothing else handled becomes a logged 500 <c>Status</c> (or,
/// once the response has started, an aborted connection), never a torn-down server.
/// </summary>
public sealed class PanicRecoveryMiddleware(RequestDelegate next, ILogger<PanicRecoveryMiddleware> logger)
{
    /// <summary>Runs the rest of the chain.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (Failures.ToStatus(e) is { } failure && !context.Response.HasStarted)
        {
            await Responses.WriteStatusAsync(context, failure);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception e)
        {
            ServerLog.Unhandled(logger, context.Request.Method, context.Request.Path, e);
            if (context.Response.HasStarted)
            {
                context.Abort();
                return;
            }
            await Responses.WriteStatusAsync(context, StatusException.Internal("an error on the server (\"unknown\") has prevented the request from succeeding"));
        }
    }
}
