using Apiserver.Generic.Endpoints;
using Apiserver.Generic.Registry.Rest;
using Microsoft.AspNetCore.Http;

namespace Apiserver.Generic.Filters;

/// <summary>Gives the request a <see cref="WarningRecorder"/>, as the <see cref="IWarningSink"/> feature handlers and storage add to.</summary>
public sealed class WarningRecorderMiddleware(RequestDelegate next)
{
    /// <summary>Runs the rest of the chain.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        context.Features.Set<IWarningSink>(new WarningRecorder(context.Response));
        return next(context);
    }
}
