using System.Text.Json.Nodes;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Serialization.Protobuf;
using ListOptions = Apiserver.Generic.Registry.Rest.ListOptions;

namespace Apiserver.Kube.Registry;

/// <summary>
/// A resource's storage that is the generic store with some writes wrapped (kube's
/// <c>BeginCreate</c>/<c>AfterDelete</c> hooks): every verb goes to the store unless a subclass
/// overrides it. Collection deletion is served when the resource's definition allows it.
/// </summary>
internal abstract class StoreDecorator(GenericStore store) :
    IGetter, IStreamingLister, ICreater, IPatcher, IGracefulDeleter, ICollectionDeleter, IWatcher, ITableConvertor, IShortNamesProvider, ICategoriesProvider, IProtobufSchemaProvider, ISchemaProvider
{
    /// <summary>The generic store underneath (for subresources).</summary>
    public GenericStore Store => store;

    public ResourceNames Names => store.Names;

    public IReadOnlyList<string> ShortNames => store.ShortNames;

    public IReadOnlyList<string> Categories => store.Categories;

    public ProtoMessage? ProtobufMessage => store.ProtobufMessage;

    public NJsonSchema.JsonSchema? Schema => store.Schema;

    public bool Typed => store.Typed;

    public bool CollectionDeletionAllowed => store.CollectionDeletionAllowed;

    public Task<JsonObject> GetAsync(RequestContext context, string name, GetOptions options, CancellationToken cancellationToken) =>
        store.GetAsync(context, name, options, cancellationToken);

    public Task<JsonObject> ListAsync(RequestContext context, ListOptions options, CancellationToken cancellationToken) =>
        store.ListAsync(context, options, cancellationToken);

    public Task<ListStream> ListStreamAsync(RequestContext context, ListOptions options, CancellationToken cancellationToken) =>
        store.ListStreamAsync(context, options, cancellationToken);

    public IAsyncEnumerable<WatchObjectEvent> WatchAsync(RequestContext context, ListOptions options, CancellationToken cancellationToken) =>
        store.WatchAsync(context, options, cancellationToken);

    public JsonObject ConvertToTable(JsonObject objectOrList, TableOptions options) => store.ConvertToTable(objectOrList, options);

    public virtual Task<JsonObject> CreateAsync(RequestContext context, JsonObject obj, CreateOptions options, CancellationToken cancellationToken) =>
        store.CreateAsync(context, obj, options, cancellationToken);

    public virtual Task<UpdateResult> UpdateAsync(RequestContext context, string name, JsonObject obj, UpdateOptions options, CancellationToken cancellationToken) =>
        store.UpdateAsync(context, name, obj, options, cancellationToken);

    public virtual Task<DeleteResult> DeleteAsync(RequestContext context, string name, DeleteOptions options, CancellationToken cancellationToken) =>
        store.DeleteAsync(context, name, options, cancellationToken);

    public Task<JsonObject> DeleteCollectionAsync(RequestContext context, DeleteOptions options, ListOptions listOptions, CancellationToken cancellationToken) =>
        store.DeleteCollectionAsync(context, options, listOptions, cancellationToken);
}
