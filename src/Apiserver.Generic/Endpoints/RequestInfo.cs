namespace Apiserver.Generic.Endpoints;

/// <summary>
/// What a request asks for, parsed from its path and method (<c>request.RequestInfo</c>):
/// <c>/apis/apps/v1/namespaces/ns/deployments/web/scale</c> is verb get, group apps, version v1,
/// namespace ns, resource deployments, name web, subresource scale. Set on every request by the
/// request-info filter as an <c>HttpContext</c> feature.
/// </summary>
public sealed record RequestInfo
{
    /// <summary>Whether the path names a resource (else it is a plain path such as <c>/healthz</c> or <c>/apis</c>).</summary>
    public bool IsResourceRequest { get; init; }
    /// <summary>The request path.</summary>
    public string Path { get; init; } = "";
    /// <summary>The verb: get, list, watch, create, update, patch, delete, deletecollection; for plain paths the HTTP method in lower case.</summary>
    public string Verb { get; init; } = "";
    /// <summary><c>api</c> or <c>apis</c>.</summary>
    public string ApiPrefix { get; init; } = "";
    /// <summary>The API group; empty for the core group.</summary>
    public string ApiGroup { get; init; } = "";
    /// <summary>The API version.</summary>
    public string ApiVersion { get; init; } = "";
    /// <summary>The namespace.</summary>
    public string Namespace { get; init; } = "";
    /// <summary>The resource.</summary>
    public string Resource { get; init; } = "";
    /// <summary>The subresource.</summary>
    public string Subresource { get; init; } = "";
    /// <summary>The object name.</summary>
    public string Name { get; init; } = "";
    /// <summary>Path segments past the subresource (proxy paths).</summary>
    public IReadOnlyList<string> Parts { get; init; } = [];
}
