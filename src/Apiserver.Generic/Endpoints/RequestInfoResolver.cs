using Microsoft.AspNetCore.Http;

namespace Apiserver.Generic.Endpoints;

/// <summary>Parses a request's path and method into a <see cref="RequestInfo"/>, the way kube-apiserver does.</summary>
public static class RequestInfoResolver
{
    // The subresources of a namespace that are not resource types of their own.
    private static readonly HashSet<string> NamespaceSubresources = ["status", "finalize"];

    /// <summary>Parses the request.</summary>
    public static RequestInfo Resolve(HttpRequest request) =>
        Resolve(request.Method, request.Path.Value ?? "/", request.Query.TryGetValue("watch", out var watch) ? watch.ToString() : null);

    /// <summary>Parses a method, a path and the <c>watch</c> query value (null when absent).</summary>
    public static RequestInfo Resolve(string method, string path, string? watchParameter = null)
    {
        var plain = new RequestInfo { Path = path, Verb = method.ToLowerInvariant() };
        var parts = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || (parts[0] != "api" && parts[0] != "apis"))
        {
            return plain;
        }
        var prefix = parts[0];
        var rest = parts.AsSpan(1);
        string group = "";
        if (prefix == "apis")
        {
            if (rest.Length < 1) return plain;
            group = rest[0];
            rest = rest[1..];
        }
        if (rest.Length < 1) return plain;
        var version = rest[0];
        rest = rest[1..];
        if (rest.Length < 1) return plain; // /api/v1 and /apis/g/v are discovery paths.

        var info = new RequestInfo { IsResourceRequest = true, Path = path, ApiPrefix = prefix, ApiGroup = group, ApiVersion = version };
        // The deprecated /api/v1/watch/… paths watch whatever follows, a named object included.
        var watchPath = rest[0] == "watch" && rest.Length > 1;
        if (watchPath)
        {
            rest = rest[1..];
        }
        var ns = "";
        if (rest[0] == "namespaces" && rest.Length > 1)
        {
            ns = rest[1];
            if (rest.Length > 2 && !NamespaceSubresources.Contains(rest[2]))
            {
                rest = rest[2..];
            }
        }
        var resource = rest[0];
        var name = rest.Length > 1 ? rest[1] : "";
        var subresource = rest.Length > 2 ? rest[2] : "";
        var extra = rest.Length > 3 ? rest[3..].ToArray() : [];

        var verb = method.ToUpperInvariant() switch
        {
            "POST" => "create",
            "GET" or "HEAD" => "get",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => "delete",
            _ => method.ToLowerInvariant(),
        };
        if (name.Length == 0)
        {
            verb = verb switch { "get" => "list", "delete" => "deletecollection", _ => verb };
        }
        // As kube-apiserver reads it: on a collection, any value but "false" or "0" (in any case) asks
        // for a watch; a GET of a named object stays a get.
        if (verb is "list" && watchParameter is not null && !watchParameter.Equals("false", StringComparison.OrdinalIgnoreCase) && watchParameter != "0")
        {
            verb = "watch";
        }
        if (watchPath && verb is "get" or "list")
        {
            verb = "watch";
        }
        return info with { Verb = verb, Namespace = ns, Resource = resource, Name = name, Subresource = subresource, Parts = extra };
    }
}
