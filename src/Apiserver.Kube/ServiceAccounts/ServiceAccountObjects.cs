using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Server;
using Apiserver.Kube.Registry.Core.Nodes;
using Apiserver.Kube.Registry.Core.Pods;
using Apiserver.Kube.Registry.Core.Secrets;
using Apiserver.Kube.Registry.Core.ServiceAccounts;

namespace Apiserver.Kube.ServiceAccounts;

/// <summary>Reads the objects tokens name (service accounts, pods, secrets, nodes) from storage.</summary>
public sealed class ServiceAccountObjects(StorageConfig storage)
{
    private readonly GenericStore _accounts = new(ServiceAccountResource.Definition, storage.Storage, storage.Prefix);
    private readonly GenericStore _pods = new(PodResource.Definition, storage.Storage, storage.Prefix);
    private readonly GenericStore _secrets = new(SecretResource.Definition, storage.Storage, storage.Prefix);
    private readonly GenericStore _nodes = new(NodeResource.Definition, storage.Storage, storage.Prefix);

    /// <summary>A service account; throws a 404 <see cref="StatusException"/> when missing.</summary>
    public Task<JsonObject> ServiceAccountAsync(string ns, string name, CancellationToken cancellationToken) =>
        _accounts.GetAsync(new RequestContext(ns), name, new GetOptions(), cancellationToken);

    /// <summary>A pod; throws a 404 <see cref="StatusException"/> when missing.</summary>
    public Task<JsonObject> PodAsync(string ns, string name, CancellationToken cancellationToken) =>
        _pods.GetAsync(new RequestContext(ns), name, new GetOptions(), cancellationToken);

    /// <summary>A secret; throws a 404 <see cref="StatusException"/> when missing.</summary>
    public Task<JsonObject> SecretAsync(string ns, string name, CancellationToken cancellationToken) =>
        _secrets.GetAsync(new RequestContext(ns), name, new GetOptions(), cancellationToken);

    /// <summary>A node; throws a 404 <see cref="StatusException"/> when missing.</summary>
    public Task<JsonObject> NodeAsync(string name, CancellationToken cancellationToken) =>
        _nodes.GetAsync(new RequestContext(""), name, new GetOptions(), cancellationToken);

    /// <summary>
    /// A service account, pod, secret or node as kube-apiserver's token authenticator reads it: from
    /// the watch cache, then from storage when the cache has not seen it yet. Null when it does not exist.
    /// </summary>
    public Task<JsonObject?> RecentAsync(TokenObject kind, string ns, string name, CancellationToken cancellationToken) => kind switch
    {
        TokenObject.ServiceAccount => _accounts.GetRecentAsync(ns, name, cancellationToken),
        TokenObject.Pod => _pods.GetRecentAsync(ns, name, cancellationToken),
        TokenObject.Secret => _secrets.GetRecentAsync(ns, name, cancellationToken),
        _ => _nodes.GetRecentAsync("", name, cancellationToken),
    };

    /// <summary>The object <paramref name="get"/> reads, or null when it does not exist.</summary>
    public static async Task<JsonObject?> FindAsync(Func<Task<JsonObject>> get)
    {
        try
        {
            return await get();
        }
        catch (StatusException e) when (e.Code == 404)
        {
            return null;
        }
    }
}

/// <summary>The kinds of object a service-account token names.</summary>
public enum TokenObject
{
    /// <summary>The token's service account.</summary>
    ServiceAccount,

    /// <summary>The pod it is bound to.</summary>
    Pod,

    /// <summary>The (legacy) secret it is bound to.</summary>
    Secret,

    /// <summary>The node it is bound to.</summary>
    Node,
}
