using Apiserver.Generic.Api;
using Apiserver.Generic.Authentication;
using Apiserver.Generic.Endpoints;
using Apiserver.Generic.Server;
using Microsoft.AspNetCore.Http;

namespace Apiserver.Generic.Filters;

/// <summary>
/// Asks the authenticators in order; the first that recognises a credential decides. The user is
/// set as the <see cref="UserInfo"/> feature; without one the request ends with 401.
/// </summary>
public sealed class AuthenticationMiddleware(RequestDelegate next, CompletedConfig config)
{
    /// <summary>Runs the rest of the chain.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        foreach (var authenticator in config.Authentication.Authenticators)
        {
            var result = await authenticator.AuthenticateAsync(context, context.RequestAborted);
            if (!result.Recognized)
            {
                continue;
            }
            if (result.User is null)
            {
                break;
            }
            context.Features.Set(result.User);
            // Credentials stop here: nothing behind the filter (a proxied delegate, say) may see them.
            context.Request.Headers.Authorization = default;
            await next(context);
            return;
        }
        await Responses.WriteStatusAsync(context, StatusException.Unauthorized());
    }
}
