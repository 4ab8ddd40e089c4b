namespace Apiserver.Generic.Endpoints.Discovery;

/// <summary>One resource as discovery reports it (<c>metav1.APIResource</c>).</summary>
/// <param name="Name">The plural name, or <c>name/subresource</c>.</param>
/// <param name="SingularName">The singular name.</param>
/// <param name="Namespaced">Whether objects live in a namespace.</param>
/// <param name="Kind">The kind.</param>
/// <param name="Verbs">The verbs served, sorted.</param>
/// <param name="ShortNames">Short names.</param>
/// <param name="Categories">Categories.</param>
/// <param name="SchemaSource">The kind's structural schema, read when OpenAPI needs it (not part of the discovery document).</param>
/// <param name="KindGroup">The group of <paramref name="Kind"/> when it is not the listed group version's (<c>autoscaling</c> for <c>deployments/scale</c>).</param>
/// <param name="KindVersion">The version of <paramref name="Kind"/>, likewise.</param>
/// <param name="Connect">For a connect subresource (<c>pods/exec</c>, <c>services/proxy</c>), what it passes on; null otherwise (for OpenAPI, not part of the discovery document).</param>
public sealed record ApiResourceDiscovery(string Name, string SingularName, bool Namespaced, string Kind, IReadOnlyList<string> Verbs, IReadOnlyList<string> ShortNames, IReadOnlyList<string> Categories,
    Func<NJsonSchema.JsonSchema?>? SchemaSource = null, string? KindGroup = null, string? KindVersion = null, ConnectDiscovery? Connect = null)
{
    /// <summary>The kind's structural schema (built on first use for kinds that build it lazily).</summary>
    public NJsonSchema.JsonSchema? Schema => SchemaSource?.Invoke();
}

/// <summary>What a connect subresource passes on to the server behind it.</summary>
/// <param name="Methods">The HTTP methods.</param>
/// <param name="TakesPath">Whether a path may follow the subresource (the proxies).</param>
public sealed record ConnectDiscovery(IReadOnlyList<string> Methods, bool TakesPath);

/// <summary>The resources of one group version.</summary>
/// <param name="Version">The version, e.g. <c>v1</c>.</param>
/// <param name="Resources">Its resources.</param>
public sealed record ApiVersionDiscovery(string Version, IReadOnlyList<ApiResourceDiscovery> Resources);

/// <summary>An API group as discovery reports it; the first version is the preferred one.</summary>
/// <param name="Name">The group name; empty for the core group (served under <c>/api</c>).</param>
/// <param name="Versions">Its versions, preferred first.</param>
public sealed record ApiGroupDiscovery(string Name, IReadOnlyList<ApiVersionDiscovery> Versions);
