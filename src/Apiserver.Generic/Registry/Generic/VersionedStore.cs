using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Rest;

namespace Apiserver.Generic.Registry.Generic;

/// <summary>
/// A stored resource served in another version: every verb of the resource's one
/// <see cref="GenericStore"/> (same keys, resource versions and watch), with requests converted to the
/// storage version before the store's rules run and every object it returns (get, list, watch events,
/// deletes, tables) converted to the served version. Patches are applied to the served version's
/// form, with its schema, and the result converted like an update.
/// </summary>
/// <remarks>
/// Admission sees the served version on the way in (the handlers admit before the store) and the
/// storage version in the store's validating step; field selectors select on the stored form.
/// </remarks>
public sealed class VersionedStore(GenericStore store, ServedVersion version) :
    IGetter, IStreamingLister, ICreater, IUpdater, IPatcher, IGracefulDeleter, ICollectionDeleter, IWatcher, ITableConvertor, IShortNamesProvider, ICategoriesProvider, ISubresourceParent
{
    /// <summary>The store of the storage version underneath.</summary>
    public GenericStore Store { get; } = store;

    /// <summary>The version served.</summary>
    public ServedVersion Version { get; } = version;

    /// <inheritdoc/>
    public ResourceNames Names => Version.Names;

    /// <inheritdoc/>
    public IReadOnlyList<string> ShortNames => Version.ShortNames;

    /// <inheritdoc/>
    public IReadOnlyList<string> Categories => Version.Categories;

    /// <inheritdoc/>
    public NJsonSchema.JsonSchema? Schema => Version.Schema;

    /// <inheritdoc/>
    public bool Typed => Version.Typed;

    /// <inheritdoc/>
    public Apiserver.Generic.Serialization.Protobuf.ProtoMessage? ProtobufMessage => Version.Protobuf;

    /// <inheritdoc/>
    public bool CollectionDeletionAllowed => Store.CollectionDeletionAllowed;

    private GroupVersionKind StorageKind => Store.Names.Kind;

    /// <inheritdoc/>
    public async Task<JsonObject> GetAsync(RequestContext context, string name, GetOptions options, CancellationToken cancellationToken) =>
        FromStorage(await Store.GetAsync(context, name, options, cancellationToken));

    /// <inheritdoc/>
    public async Task<JsonObject> ListAsync(RequestContext context, ListOptions options, CancellationToken cancellationToken) =>
        ConvertList(await Store.ListAsync(context, options, cancellationToken));

    /// <inheritdoc/>
    public async Task<ListStream> ListStreamAsync(RequestContext context, ListOptions options, CancellationToken cancellationToken)
    {
        var stream = await Store.ListStreamAsync(context, options, cancellationToken);
        return new ListStream(Names.Kind.Kind + "List", Names.Kind.ApiVersion, stream.Metadata, Items(stream.Items, cancellationToken));
    }

    private async IAsyncEnumerable<ObjectJson> Items(IAsyncEnumerable<ObjectJson> items, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in items.WithCancellation(cancellationToken))
        {
            // The stored bytes are the storage version's: each item is converted from its node.
            yield return Version.Converter.FromStorage(Owned(item));
        }
    }

    /// <inheritdoc/>
    public async Task<JsonObject> CreateAsync(RequestContext context, JsonObject obj, CreateOptions options, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        Version.Converter.ValidateCreate(obj, errors);
        if (errors.Count > 0)
        {
            throw StatusException.Invalid(Names.Kind, obj.GetName(), errors);
        }
        return FromStorage(await Store.CreateAsync(context, ToStorage(obj), options, cancellationToken));
    }

    /// <inheritdoc/>
    public async Task<UpdateResult> UpdateAsync(RequestContext context, string name, JsonObject obj, UpdateOptions options, CancellationToken cancellationToken)
    {
        var result = await Store.UpdateAsync(context, name, ToStorage(obj), options, cancellationToken);
        return result with { Object = FromStorage(result.Object) };
    }

    /// <inheritdoc/>
    public Task<UpdateResult> UpdateSubresourceAsync(RequestContext context, string name, JsonObject obj, UpdateOptions options, Func<JsonObject, JsonObject, JsonObject> merge, CancellationToken cancellationToken) =>
        UpdateSubresourceAsync(context, name, obj, options, merge, null, cancellationToken);

    /// <inheritdoc/>
    public async Task<UpdateResult> UpdateSubresourceAsync(RequestContext context, string name, JsonObject obj, UpdateOptions options,
        Func<JsonObject, JsonObject, JsonObject> merge, Action<JsonObject, JsonObject, List<Api.FieldError>>? validate, CancellationToken cancellationToken)
    {
        var result = await Store.UpdateSubresourceAsync(context, name, ToStorage(obj), options, merge, validate, cancellationToken);
        return result with { Object = FromStorage(result.Object) };
    }

    /// <inheritdoc/>
    public async Task<DeleteResult> DeleteAsync(RequestContext context, string name, DeleteOptions options, CancellationToken cancellationToken)
    {
        var result = await Store.DeleteAsync(context, name, options, cancellationToken);
        return result with { Object = FromStorage(result.Object) };
    }

    /// <inheritdoc/>
    public async Task<JsonObject> DeleteCollectionAsync(RequestContext context, DeleteOptions options, ListOptions listOptions, CancellationToken cancellationToken) =>
        ConvertList(await Store.DeleteCollectionAsync(context, options, listOptions, cancellationToken));

    /// <inheritdoc/>
    /// <remarks>Bad options throw here, from the store, before the stream starts.</remarks>
    public IAsyncEnumerable<WatchObjectEvent> WatchAsync(RequestContext context, ListOptions options, CancellationToken cancellationToken) =>
        Events(Store.WatchAsync(context, options, cancellationToken), cancellationToken);

    private async IAsyncEnumerable<WatchObjectEvent> Events(IAsyncEnumerable<WatchObjectEvent> events, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var e in events.WithCancellation(cancellationToken))
        {
            yield return e.Type switch
            {
                "ERROR" => e,
                "BOOKMARK" => e with { Object = Stamp(Owned(e.Object), Names.Kind) },
                _ => e with { Object = FromStorage(Owned(e.Object)) },
            };
        }
    }

    /// <inheritdoc/>
    public JsonObject ConvertToTable(JsonObject objectOrList, TableOptions options) =>
        TableRenderer.Render(Version.Columns, Names.Kind, objectOrList, options);

    /// <summary>A node this view may change: parsed afresh from bytes, or a copy of a node that may be shared by other watchers.</summary>
    private static JsonObject Owned(ObjectJson obj) => obj.Utf8 is null ? (JsonObject)obj.Node.DeepClone() : obj.Node;

    private JsonObject ToStorage(JsonObject served) => Stamp(Version.Converter.ToStorage(served), StorageKind);

    private JsonObject FromStorage(JsonObject stored)
    {
        var hadType = stored["kind"] is not null;
        var served = Version.Converter.FromStorage(stored);
        if (hadType)
        {
            return Stamp(served, Names.Kind);
        }
        served.Remove("kind");
        served.Remove("apiVersion");
        return served;
    }

    private JsonObject ConvertList(JsonObject list)
    {
        var items = new JsonArray();
        foreach (var item in (list["items"] as JsonArray ?? []).OfType<JsonObject>().ToList())
        {
            item.Parent!.AsArray().Remove(item);
            items.Add(FromStorage(item));
        }
        var result = Stamp(list, new GroupVersionKind(Names.Kind.Group, Names.Kind.Version, Names.Kind.Kind + "List"));
        result["items"] = items;
        return result;
    }

    /// <summary>The object led by <paramref name="kind"/>'s kind and apiVersion, as kube writes them.</summary>
    private static JsonObject Stamp(JsonObject obj, GroupVersionKind kind)
    {
        var result = new JsonObject { ["kind"] = kind.Kind, ["apiVersion"] = kind.ApiVersion };
        foreach (var (key, value) in obj.ToList())
        {
            obj.Remove(key);
            if (key is not ("kind" or "apiVersion"))
            {
                result[key] = value;
            }
        }
        return result;
    }
}
