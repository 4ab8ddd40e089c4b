using Apiserver.Generic.Api;
using Apiserver.Generic.Authentication;
using Apiserver.Generic.Authorization;
using Apiserver.Generic.Endpoints;
using Apiserver.Generic.Server;
using Microsoft.AspNetCore.Http;

namespace Apiserver.Generic.Filters;

/// <summary>Asks the authorizer whether the user may make the request; anything but Allow ends it with 403.</summary>
public sealed class AuthorizationMiddleware(RequestDelegate next, CompletedConfig config)
{
    /// <summary>Runs the rest of the chain.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        // Both features are set by earlier filters; DefaultHandlerChain orders them so.
        var info = context.Features.Get<RequestInfo>() ?? throw new InvalidOperationException("the request-info filter must run before authorization");
        var user = context.Features.Get<UserInfo>() ?? throw new InvalidOperationException("the authentication filter must run before authorization");
        var attributes = new AuthorizationAttributes(user, info.Verb, info.IsResourceRequest, info.ApiGroup, info.Namespace, info.Resource, info.Subresource, info.Name, info.Path);
        var (decision, reason) = await config.Authorization.Authorizer.AuthorizeAsync(attributes, context.RequestAborted);
        if (decision == Decision.Allow)
        {
            await next(context);
            return;
        }
        await Responses.WriteStatusAsync(context, Forbidden(attributes, reason));
    }

    /// <summary>kube's <c>responsewriters.Forbidden</c>: what the user may not do, and the authorizer's reason.</summary>
    internal static StatusException Forbidden(AuthorizationAttributes a, string reason)
    {
        var why = reason.Length > 0 ? $": {reason}" : "";
        if (!a.IsResourceRequest)
        {
            return new StatusException(403, StatusReason.Forbidden, $"forbidden: User \"{a.User.Name}\" cannot {a.Verb} path \"{a.Path}\"{why}");
        }
        var resource = a.Subresource.Length > 0 ? $"{a.Resource}/{a.Subresource}" : a.Resource;
        var scope = a.Namespace.Length > 0 ? $" in the namespace \"{a.Namespace}\"" : " at the cluster scope";
        return StatusException.Forbidden(new GroupResource(a.ApiGroup, a.Resource), a.Name,
            $"User \"{a.User.Name}\" cannot {a.Verb} resource \"{resource}\" in API group \"{a.ApiGroup}\"{scope}{why}");
    }
}
