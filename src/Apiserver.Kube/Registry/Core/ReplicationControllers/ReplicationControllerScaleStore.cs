using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Registry.Apps;

namespace Apiserver.Kube.Registry.Core.ReplicationControllers;

/// <summary>
/// The <c>scale</c> subresource of a replication controller: the workloads' <see cref="ScaleStore"/>,
/// with the Scale's <c>status.selector</c> written from the controller's selector map.
/// </summary>
public sealed class ReplicationControllerScaleStore(GenericStore store) : ISubresourceStorage, IPatcher, ISchemaProvider
{
    private readonly ScaleStore _scale = new(store);

    /// <inheritdoc/>
    public string Subresource => _scale.Subresource;

    /// <inheritdoc/>
    public NJsonSchema.JsonSchema? Schema => _scale.Schema;

    /// <inheritdoc/>
    public bool Typed => true;

    /// <inheritdoc/>
    public ResourceNames Names => _scale.Names;

    /// <inheritdoc/>
    public async Task<JsonObject> GetAsync(RequestContext context, string name, GetOptions options, CancellationToken cancellationToken) =>
        WithSelector(await store.GetAsync(context, name, options, cancellationToken));

    /// <inheritdoc/>
    public async Task<UpdateResult> UpdateAsync(RequestContext context, string name, JsonObject obj, UpdateOptions options, CancellationToken cancellationToken)
    {
        var result = await _scale.UpdateAsync(context, name, obj, options, cancellationToken);
        var rc = await store.GetAsync(context, name, new GetOptions(), cancellationToken);
        return result with { Object = SetSelector(result.Object, rc) };
    }

    private static JsonObject WithSelector(JsonObject rc) => SetSelector(ScaleStore.ToScale(rc), rc);

    private static JsonObject SetSelector(JsonObject scale, JsonObject rc)
    {
        if (ReplicationControllerResource.SelectorString(rc) is { Length: > 0 } selector && scale["status"] is JsonObject status)
        {
            status["selector"] = selector;
        }
        return scale;
    }
}
