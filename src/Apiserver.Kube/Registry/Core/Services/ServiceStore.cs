using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Serialization.Protobuf;
using Apiserver.Kube.Registry.Core.Services.Allocation;
using ListOptions = Apiserver.Generic.Registry.Rest.ListOptions;

namespace Apiserver.Kube.Registry.Core.Services;

/// <summary>
/// The REST storage of services: the generic store, with cluster IPs and node ports allocated
/// before a write and given back when it fails, when an update drops them, and on delete (kube's
/// <c>pkg/registry/core/service/storage</c>). Like kube, it serves no <c>deletecollection</c>.
/// </summary>
internal sealed class ServiceStore(GenericStore store, ServiceAllocators allocators) :
    IGetter, IStreamingLister, ICreater, IPatcher, IGracefulDeleter, IWatcher, ITableConvertor, IShortNamesProvider, ICategoriesProvider, IProtobufSchemaProvider, ISchemaProvider
{
    /// <summary>The generic store underneath (for the status subresource).</summary>
    public GenericStore Store => store;

    public ResourceNames Names => store.Names;

    public IReadOnlyList<string> ShortNames => store.ShortNames;

    public IReadOnlyList<string> Categories => store.Categories;

    public ProtoMessage? ProtobufMessage => store.ProtobufMessage;

    public NJsonSchema.JsonSchema? Schema => store.Schema;

    public Task<JsonObject> GetAsync(RequestContext context, string name, GetOptions options, CancellationToken cancellationToken) =>
        store.GetAsync(context, name, options, cancellationToken);

    public Task<JsonObject> ListAsync(RequestContext context, ListOptions options, CancellationToken cancellationToken) =>
        store.ListAsync(context, options, cancellationToken);

    public Task<ListStream> ListStreamAsync(RequestContext context, ListOptions options, CancellationToken cancellationToken) =>
        store.ListStreamAsync(context, options, cancellationToken);

    public IAsyncEnumerable<WatchObjectEvent> WatchAsync(RequestContext context, ListOptions options, CancellationToken cancellationToken) =>
        store.WatchAsync(context, options, cancellationToken);

    public JsonObject ConvertToTable(JsonObject objectOrList, TableOptions options) => store.ConvertToTable(objectOrList, options);

    public async Task<JsonObject> CreateAsync(RequestContext context, JsonObject obj, CreateOptions options, CancellationToken cancellationToken)
    {
        ServiceDefaults.Apply(obj);
        ThrowIfInvalid(obj, errors => ServiceValidation.Validate(obj, errors));
        var allocation = new ServiceAllocation(allocators);
        try
        {
            await allocation.AllocateAsync(obj, null, cancellationToken);
            var created = await store.CreateAsync(context, obj, options, cancellationToken);
            if (options.DryRun)
            {
                await allocation.RollbackAsync();
            }
            return created;
        }
        catch
        {
            await allocation.RollbackAsync();
            throw;
        }
    }

    public async Task<UpdateResult> UpdateAsync(RequestContext context, string name, JsonObject obj, UpdateOptions options, CancellationToken cancellationToken)
    {
        JsonObject old;
        try
        {
            old = await store.GetAsync(context, name, new GetOptions(), cancellationToken);
        }
        catch (StatusException e) when (e.Code == 404)
        {
            return await store.UpdateAsync(context, name, obj, options, cancellationToken); // Answers kube's 404.
        }
        ServiceDefaults.Apply(obj);
        ServiceDefaults.CarryOver(obj, old);
        ThrowIfInvalid(obj, errors => ServiceValidation.ValidateUpdate(obj, old, errors));
        var allocation = new ServiceAllocation(allocators);
        try
        {
            await allocation.AllocateAsync(obj, old, cancellationToken);
            var result = await store.UpdateAsync(context, name, obj, options, cancellationToken);
            if (options.DryRun)
            {
                await allocation.RollbackAsync();
            }
            else
            {
                await ServiceAllocation.ReleaseUnusedAsync(allocators, old, result.Object, cancellationToken);
            }
            return result;
        }
        catch
        {
            await allocation.RollbackAsync();
            throw;
        }
    }

    public async Task<DeleteResult> DeleteAsync(RequestContext context, string name, DeleteOptions options, CancellationToken cancellationToken)
    {
        var result = await store.DeleteAsync(context, name, options, cancellationToken);
        if (result.Deleted && !options.DryRun)
        {
            await ServiceAllocation.ReleaseUnusedAsync(allocators, result.Object, null, CancellationToken.None);
        }
        return result;
    }

    private static void ThrowIfInvalid(JsonObject obj, Action<List<FieldError>> validate)
    {
        var errors = new List<FieldError>();
        validate(errors);
        if (errors.Count > 0)
        {
            throw StatusException.Invalid(ServiceResource.Definition.Kind, obj.GetName(), errors);
        }
    }
}
