using Apiserver.Generic.Api;
using Apiserver.Generic.Authentication;
using Apiserver.Generic.Authorization;
using Apiserver.Generic.Endpoints;
using Apiserver.Generic.Server;
using Microsoft.AspNetCore.Http;

namespace Apiserver.Generic.Filters;

/// <summary>
/// kube's <c>WithImpersonation</c>: a request carrying <c>Impersonate-User</c> (and optionally
/// <c>Impersonate-Group</c>, <c>Impersonate-Uid</c>, <c>Impersonate-Extra-&lt;key&gt;</c>) is served
/// as that user, once the authenticated user is allowed the <c>impersonate</c> verb on every
/// part of the identity: <c>users</c>, <c>groups</c>, <c>serviceaccounts</c> (core group),
/// <c>uids</c> and <c>userextras/&lt;key&gt;</c> (authentication.k8s.io).
/// </summary>
public sealed class ImpersonationMiddleware(RequestDelegate next, CompletedConfig config)
{
    /// <summary>The header naming the user to act as.</summary>
    public const string UserHeader = "Impersonate-User";
    /// <summary>The header, repeatable, naming a group to act as.</summary>
    public const string GroupHeader = "Impersonate-Group";
    /// <summary>The header naming the uid to act as.</summary>
    public const string UidHeader = "Impersonate-Uid";
    /// <summary>The prefix of headers naming extra attributes (the rest of the name, percent-decoded, is the key).</summary>
    public const string ExtraHeaderPrefix = "Impersonate-Extra-";

    private const string ServiceAccountUserPrefix = "system:serviceaccount:";

    /// <summary>Runs the rest of the chain.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var headers = context.Request.Headers;
        var requests = ImpersonationRequests(headers);
        if (requests.Count == 0)
        {
            await next(context);
            return;
        }
        var requestor = context.Features.Get<UserInfo>() ?? throw new InvalidOperationException("the authentication filter must run before impersonation");
        if (!requests.Any(r => r.Kind is "User" or "ServiceAccount"))
        {
            // kube answers this with an internal error; it is the client's mistake, so 400 here.
            await Responses.WriteStatusAsync(context, StatusException.BadRequest(
                $"requested [{string.Join(" ", requests.Select(r => r.ToString()))}] without impersonating a user"));
            return;
        }

        // Groups given are the authority; otherwise a service account has its fixed ones.
        var groupsSpecified = headers[GroupHeader].Count > 0;
        var name = "";
        var uid = "";
        var groups = new List<string>();
        var extra = new Dictionary<string, List<string>>();
        foreach (var request in requests)
        {
            var (group, resource, subresource) = ("", "", "");
            switch (request.Kind)
            {
                case "ServiceAccount":
                    resource = "serviceaccounts";
                    name = $"{ServiceAccountUserPrefix}{request.Namespace}:{request.Name}";
                    if (!groupsSpecified)
                    {
                        groups.AddRange(["system:serviceaccounts", $"system:serviceaccounts:{request.Namespace}"]);
                    }
                    break;
                case "User":
                    resource = "users";
                    name = request.Name;
                    break;
                case "Group":
                    resource = "groups";
                    groups.Add(request.Name);
                    break;
                case "UserExtra":
                    (group, resource, subresource) = ("authentication.k8s.io", "userextras", request.ExtraKey);
                    if (!extra.TryGetValue(request.ExtraKey, out var values))
                    {
                        extra[request.ExtraKey] = values = [];
                    }
                    values.Add(request.Name);
                    break;
                case "UID":
                    (group, resource) = ("authentication.k8s.io", "uids");
                    uid = request.Name;
                    break;
            }
            var attributes = new AuthorizationAttributes(requestor, "impersonate", true, group, request.Namespace, resource, subresource, request.Name, context.Request.Path.Value ?? "");
            var (decision, reason) = await config.Authorization.Authorizer.AuthorizeAsync(attributes, context.RequestAborted);
            if (decision != Decision.Allow)
            {
                await Responses.WriteStatusAsync(context, AuthorizationMiddleware.Forbidden(attributes, reason));
                return;
            }
        }

        // kube adds system:authenticated (or system:unauthenticated for the anonymous user) unless a
        // group of either kind was asked for explicitly.
        if (name != AuthenticationMiddleware.Anonymous.Name)
        {
            if (!groups.Contains(UserInfo.AuthenticatedGroup) && !groups.Contains(UserInfo.UnauthenticatedGroup))
            {
                groups.Add(UserInfo.AuthenticatedGroup);
            }
        }
        else if (!groups.Contains(UserInfo.UnauthenticatedGroup))
        {
            groups.Add(UserInfo.UnauthenticatedGroup);
        }
        context.Features.Set(new UserInfo(name, uid, groups, extra.Count > 0 ? extra.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)e.Value) : null));

        // Nothing further down (a proxied delegate, say) may see the headers.
        foreach (var header in headers.Keys.Where(IsImpersonationHeader).ToList())
        {
            headers.Remove(header);
        }
        await next(context);
    }

    private static bool IsImpersonationHeader(string header) =>
        header.Equals(UserHeader, StringComparison.OrdinalIgnoreCase)
        || header.Equals(GroupHeader, StringComparison.OrdinalIgnoreCase)
        || header.Equals(UidHeader, StringComparison.OrdinalIgnoreCase)
        || header.StartsWith(ExtraHeaderPrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>kube's <c>buildImpersonationRequests</c>: one request per part of the identity, in header order.</summary>
    private static List<ImpersonationRequest> ImpersonationRequests(IHeaderDictionary headers)
    {
        var requests = new List<ImpersonationRequest>();
        if (headers[UserHeader].FirstOrDefault() is { Length: > 0 } user)
        {
            requests.Add(SplitServiceAccount(user) is var (ns, sa)
                ? new ImpersonationRequest("ServiceAccount", sa, ns)
                : new ImpersonationRequest("User", user));
        }
        foreach (var group in headers[GroupHeader])
        {
            requests.Add(new ImpersonationRequest("Group", group ?? ""));
        }
        foreach (var (header, values) in headers)
        {
            if (!header.StartsWith(ExtraHeaderPrefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var key = HeaderKeys.ExtraKey(header[ExtraHeaderPrefix.Length..]);
            requests.AddRange(values.Select(v => new ImpersonationRequest("UserExtra", v ?? "", ExtraKey: key)));
        }
        if (headers[UidHeader].FirstOrDefault() is { Length: > 0 } uid)
        {
            requests.Add(new ImpersonationRequest("UID", uid));
        }
        return requests;
    }

    /// <summary>kube's <c>serviceaccount.SplitUsername</c>: the namespace and name of <c>system:serviceaccount:&lt;ns&gt;:&lt;name&gt;</c>.</summary>
    private static (string Namespace, string Name)? SplitServiceAccount(string user)
    {
        if (!user.StartsWith(ServiceAccountUserPrefix, StringComparison.Ordinal))
        {
            return null;
        }
        var parts = user[ServiceAccountUserPrefix.Length..].Split(':');
        return parts is [{ Length: > 0 } ns, { Length: > 0 } name] ? (ns, name) : null;
    }

    private sealed record ImpersonationRequest(string Kind, string Name, string Namespace = "", string ExtraKey = "")
    {
        public override string ToString() => $"{{{Kind} {Namespace} {Name} {ExtraKey}}}";
    }
}
