using Apiserver.Generic.Endpoints;
using Microsoft.AspNetCore.Http;

namespace Apiserver.Generic.Filters;

/// <summary>Parses what the request asks for and sets it as the <see cref="RequestInfo"/> feature for later filters and handlers.</summary>
public sealed class RequestInfoMiddleware(RequestDelegate next)
{
    /// <summary>Runs the rest of the chain.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        RequestBody.RaiseServerLimit(context);
        context.Features.Set(RequestInfoResolver.Resolve(context.Request));
        return next(context);
    }
}
