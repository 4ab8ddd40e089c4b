using System.Text.Json.Nodes;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;

namespace Apiserver.Kube.Registry.Core.Namespaces;

/// <summary>
/// <c>namespaces/finalize</c>: the one way to change a namespace's <c>spec.finalizers</c> (PUT only, as
/// kube-apiserver serves it). Once the last finalizer is gone, deleting the namespace removes it.
/// </summary>
public sealed class NamespaceFinalizeStore(GenericStore namespaces) : ISubresourceStorage, IUpdater
{
    /// <inheritdoc/>
    public string Subresource => "finalize";

    /// <inheritdoc/>
    public ResourceNames Names => namespaces.Names;

    /// <inheritdoc/>
    public Task<UpdateResult> UpdateAsync(RequestContext context, string name, JsonObject obj, UpdateOptions options, CancellationToken cancellationToken) =>
        namespaces.UpdateSubresourceAsync(context, name, obj, options, (stored, requested) =>
        {
            var result = (JsonObject)stored.DeepClone();
            var finalizers = (requested["spec"] as JsonObject)?["finalizers"]?.DeepClone() ?? new JsonArray();
            result["spec"] = new JsonObject { ["finalizers"] = finalizers };
            return result;
        }, cancellationToken);
}
