using Apiserver.Generic.Api;
using Apiserver.Generic.Authentication;
using Apiserver.Generic.Endpoints;
using Apiserver.Generic.Server;
using Microsoft.AspNetCore.Http;

namespace Apiserver.Generic.Filters;

/// <summary>
/// Asks the authenticators in order; the first that recognises a credential decides. The user is
/// set as the <see cref="UserInfo"/> feature. An invalid credential ends the request with 401; none
/// at all too, unless anonymous requests are allowed (<see cref="AuthenticationConfig.Anonymous"/>).
/// </summary>
public sealed class AuthenticationMiddleware(RequestDelegate next, CompletedConfig config)
{
    /// <summary>The user of a request without credentials when anonymous requests are allowed.</summary>
    public static UserInfo Anonymous { get; } = new("system:anonymous", "", ["system:unauthenticated"]);

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
                await Responses.WriteStatusAsync(context, StatusException.Unauthorized());
                return;
            }
            context.Features.Set(result.User);
            // Credentials stop here: nothing behind the filter (a proxied delegate, say) may see them.
            context.Request.Headers.Authorization = default;
            await next(context);
            return;
        }
        // A credential nobody recognised (an unknown bearer token) is invalid, as kube's bearer-token
        // authenticator says: 401 rather than anonymous.
        if (!config.Authentication.Anonymous || context.Request.Headers.Authorization.Count > 0)
        {
            await Responses.WriteStatusAsync(context, StatusException.Unauthorized());
            return;
        }
        // No credential at all: kube's anonymous authenticator (the authorizer decides what it may do).
        context.Features.Set(Anonymous);
        await next(context);
    }
}
