using Apiserver.Generic.Admission;
using Apiserver.Generic.Api;
using Apiserver.Generic.Endpoints.Connect;
using Apiserver.Generic.Endpoints.Discovery;
using Apiserver.Generic.Endpoints.Handlers;
using Apiserver.Generic.Registry.Rest;
using Microsoft.AspNetCore.Http;

namespace Apiserver.Generic.Endpoints;

/// <summary>
/// One installed resource: dispatches each verb to its handler when the storage implements the
/// matching capability, and answers 405 otherwise. Discovery reports exactly <see cref="Verbs"/>.
/// </summary>
internal sealed class ResourceEndpoint(IRestStorage storage)
{
    public IRestStorage Storage { get; } = storage;

    /// <summary>The verbs served, sorted as discovery lists them.</summary>
    public IReadOnlyList<string> Verbs { get; } = VerbsOf(storage);

    public ApiResourceDiscovery Discovery => new(
        Storage is ISubresourceStorage sub ? $"{Storage.Names.Plural}/{sub.Subresource}" : Storage.Names.Plural,
        Storage is ISubresourceStorage ? "" : Storage.Names.Singular, // kube lists subresources without a singular name.
        Storage.Names.Namespaced,
        Storage.Names.Kind.Kind,
        Verbs,
        (Storage as IShortNamesProvider)?.ShortNames ?? [],
        (Storage as ICategoriesProvider)?.Categories ?? [],
        Storage is ISchemaProvider provider ? () => provider.Schema : null,
        Storage.Names.Kind.Group,
        Storage.Names.Kind.Version,
        Storage is IConnecter connecter ? new ConnectDiscovery(connecter.ConnectMethods, connecter.TakesPath) : null);

    public Task HandleAsync(HttpContext http, RequestInfo info, AdmissionChain admission)
    {
        if (Storage is ISubresourceStorage && info.Name.Length == 0)
        {
            throw StatusException.PathNotFound();
        }
        if (!Storage.Names.Namespaced && info.Namespace.Length > 0 && info.Resource != "namespaces")
        {
            throw StatusException.PathNotFound();
        }
        var scope = new HandlerScope(http, info, Storage, admission);
        if (Storage is IConnecter connecter)
        {
            // Every method it serves goes to the target; the verb was for authorization.
            return ConnectHandler.HandleAsync(scope, connecter);
        }
        return (info.Verb, Storage) switch
        {
            ("get", IGetter g) => GetHandler.HandleAsync(scope, g),
            ("list", ILister l) => ListHandler.HandleAsync(scope, l),
            ("watch", IWatcher w) => WatchHandler.HandleAsync(scope, w),
            ("create", ICreater c) when info.Name.Length == 0 => CreateHandler.HandleAsync(scope, c),
            ("create", INamedCreater c) when info.Name.Length > 0 => CreateHandler.HandleNamedAsync(scope, c),
            ("update", IUpdater u) => UpdateHandler.HandleAsync(scope, u),
            ("patch", IPatcher p) => PatchHandler.HandleAsync(scope, p),
            ("delete", IGracefulDeleter d) => DeleteHandler.HandleAsync(scope, d),
            ("deletecollection", ICollectionDeleter c) when c.CollectionDeletionAllowed => DeleteCollectionHandler.HandleAsync(scope, c),
            _ => throw StatusException.MethodNotAllowed(),
        };
    }

    private static IReadOnlyList<string> VerbsOf(IRestStorage storage)
    {
        var verbs = new List<string>();
        if (storage is IConnecter connecter)
        {
            // kube's installer lists a connecter's methods by their verbs (HEAD and OPTIONS go unlisted).
            verbs.AddRange(connecter.ConnectMethods.Select(m => m.ToUpperInvariant() switch
            {
                "GET" => "get",
                "POST" => "create",
                "PUT" => "update",
                "PATCH" => "patch",
                "DELETE" => "delete",
                _ => "",
            }).Where(v => v.Length > 0).Distinct().Order(StringComparer.Ordinal));
            return verbs;
        }
        if (storage is ICreater or INamedCreater) verbs.Add("create");
        if (storage is IGracefulDeleter) verbs.Add("delete");
        if (storage is ICollectionDeleter { CollectionDeletionAllowed: true }) verbs.Add("deletecollection");
        if (storage is IGetter) verbs.Add("get");
        if (storage is ILister) verbs.Add("list");
        if (storage is IPatcher) verbs.Add("patch");
        if (storage is IUpdater) verbs.Add("update");
        if (storage is IWatcher) verbs.Add("watch");
        return verbs;
    }
}
