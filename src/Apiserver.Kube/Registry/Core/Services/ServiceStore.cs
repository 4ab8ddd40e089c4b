using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Registry.Core.Services.Allocation;

namespace Apiserver.Kube.Registry.Core.Services;

/// <summary>
/// The REST storage of services: the generic store, with cluster IPs and node ports allocated
/// before a write and given back when it fails, when an update drops them, and on delete (kube's
/// <c>pkg/registry/core/service/storage</c>). Like kube, it serves no <c>deletecollection</c>
/// (the definition disallows it).
/// </summary>
internal sealed class ServiceStore(GenericStore store, ServiceAllocators allocators) : StoreDecorator(store)
{
    public override async Task<JsonObject> CreateAsync(RequestContext context, JsonObject obj, CreateOptions options, CancellationToken cancellationToken)
    {
        ServiceDefaults.Apply(obj);
        ThrowIfInvalid(obj, errors => ServiceValidation.Validate(obj, errors));
        // The IPAddresses allocated below name the service: it needs its name first.
        if (obj.GetName().Length == 0 && obj.GetMetaString("generateName") is { Length: > 0 } generateName)
        {
            obj.Metadata()["name"] = GenericStore.GenerateName(generateName);
        }
        var allocation = new ServiceAllocation(allocators, context.Namespace, options.DryRun);
        try
        {
            await allocation.AllocateAsync(obj, null, cancellationToken);
            var created = await base.CreateAsync(context, obj, options, cancellationToken);
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

    public override async Task<UpdateResult> UpdateAsync(RequestContext context, string name, JsonObject obj, UpdateOptions options, CancellationToken cancellationToken)
    {
        JsonObject old;
        try
        {
            old = await GetAsync(context, name, new GetOptions(), cancellationToken);
        }
        catch (StatusException e) when (e.Code == 404)
        {
            return await base.UpdateAsync(context, name, obj, options, cancellationToken); // Answers kube's 404.
        }
        ServiceDefaults.Apply(obj);
        ServiceDefaults.CarryOver(obj, old);
        ThrowIfInvalid(obj, errors => ServiceValidation.ValidateUpdate(obj, old, errors));
        var allocation = new ServiceAllocation(allocators, context.Namespace, options.DryRun);
        try
        {
            await allocation.AllocateAsync(obj, old, cancellationToken);
            var result = await base.UpdateAsync(context, name, obj, options, cancellationToken);
            if (options.DryRun)
            {
                await allocation.RollbackAsync();
            }
            else
            {
                // Removing the last finalizer of a service being deleted deletes it: it keeps nothing then.
                var meta = result.Object.Metadata();
                var deleted = meta["deletionTimestamp"] is not null && meta["finalizers"] is not JsonArray { Count: > 0 };
                await ServiceAllocation.ReleaseUnusedAsync(allocators, old, deleted ? null : result.Object, cancellationToken);
            }
            return result;
        }
        catch
        {
            await allocation.RollbackAsync();
            throw;
        }
    }

    public override async Task<DeleteResult> DeleteAsync(RequestContext context, string name, DeleteOptions options, CancellationToken cancellationToken)
    {
        var result = await base.DeleteAsync(context, name, options, cancellationToken);
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
