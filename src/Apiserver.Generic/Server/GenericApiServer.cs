using Apiserver.Generic.Api;
using Apiserver.Generic.Endpoints;
using Apiserver.Generic.Endpoints.Discovery;
using Microsoft.AspNetCore.Http;

namespace Apiserver.Generic.Server;

/// <summary>
/// A server of the chain: it serves the API groups installed on it and hands every other request
/// to its delegate. Built by <see cref="CompletedConfig.New"/>; the outermost one is run through
/// <see cref="PrepareRun"/>.
/// </summary>
public sealed class GenericApiServer : IDelegationTarget
{
    private readonly object _writeLock = new();
    private readonly List<PostStartHook> _hooks = [];
    private readonly List<HealthCheck> _checks = [];
    private readonly List<Action> _openApiPreparations = [];
    private volatile RouteTable _routes = RouteTable.Empty;

    internal GenericApiServer(string name, CompletedConfig config, IDelegationTarget next)
    {
        Name = name;
        Config = config;
        Delegate = next;
        UnprotectedHandler = HandleAsync;
    }

    /// <summary>The server's name (e.g. <c>kube-apiserver</c>).</summary>
    public string Name { get; }

    /// <summary>The configuration it was built from.</summary>
    public CompletedConfig Config { get; }

    /// <summary>The server behind this one.</summary>
    public IDelegationTarget Delegate { get; }

    /// <inheritdoc/>
    public RequestDelegate UnprotectedHandler { get; }

    /// <inheritdoc/>
    public IReadOnlyList<PostStartHook> PostStartHooks
    {
        get { lock (_writeLock) return [.. Delegate.PostStartHooks, .. _hooks]; }
    }

    /// <inheritdoc/>
    public IReadOnlyList<HealthCheck> HealthChecks
    {
        get { lock (_writeLock) return [.. _checks, .. Delegate.HealthChecks]; }
    }

    /// <inheritdoc/>
    public IReadOnlyList<ApiGroupDiscovery> DiscoveryGroups => [.. _routes.Groups, .. Delegate.DiscoveryGroups];

    /// <summary>Serves the resources of <paramref name="group"/>, replacing any earlier installation of it.</summary>
    public void InstallApiGroup(ApiGroupInfo group)
    {
        var versions = group.Versions
            .Select(v => (v.Version, (IReadOnlyList<ResourceEndpoint>)[.. v.Resources.Select(r => new ResourceEndpoint(r))]))
            .ToList();
        lock (_writeLock)
        {
            _routes = _routes.With(group.Group, versions);
        }
    }

    /// <summary>Stops serving <paramref name="group"/> (as when its last custom resource definition is deleted).</summary>
    public void RemoveApiGroup(string group)
    {
        lock (_writeLock)
        {
            _routes = _routes.Without(group);
        }
    }

    /// <summary>Adds work to run once the server listens; names must be unique along the chain.</summary>
    public void AddPostStartHook(string name, Func<CancellationToken, Task> run)
    {
        lock (_writeLock)
        {
            if (PostStartHooks.Any(h => h.Name == name))
            {
                throw new InvalidOperationException($"a post-start hook named \"{name}\" is registered already");
            }
            _hooks.Add(new PostStartHook(name, run));
        }
    }

    /// <summary>Adds a health check.</summary>
    public void AddHealthCheck(HealthCheck check)
    {
        lock (_writeLock)
        {
            _checks.Add(check);
        }
    }

    /// <inheritdoc/>
    public void OnStarted() => Delegate.OnStarted();

    /// <summary>Adds work to run before the OpenAPI documents are first built (and before each rebuild).</summary>
    public void AddOpenApiPreparation(Action prepare)
    {
        lock (_writeLock)
        {
            _openApiPreparations.Add(prepare);
        }
    }

    /// <inheritdoc/>
    public void PrepareOpenApi()
    {
        Action[] preparations;
        lock (_writeLock)
        {
            preparations = [.. _openApiPreparations];
        }
        foreach (var prepare in preparations)
        {
            prepare();
        }
        Delegate.PrepareOpenApi();
    }

    /// <summary>Prepares the server to run as the front of the chain.</summary>
    public PreparedApiServer PrepareRun() => new(this);

    private Task HandleAsync(HttpContext context)
    {
        var info = context.Features.Get<RequestInfo>() ?? RequestInfoResolver.Resolve(context.Request);
        if (info.IsResourceRequest && _routes.Find(info) is { } endpoint)
        {
            return Failures.RunAsync(context, () => endpoint.HandleAsync(context, info, Config.Admission));
        }
        return Delegate.UnprotectedHandler(context);
    }
}
