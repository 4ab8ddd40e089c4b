using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Rest;

namespace Apiserver.Generic.Registry.Generic;

/// <summary>
/// The <c>status</c> subresource of a <see cref="GenericStore"/> (or of a version it is served in): reads the object, and writes only its
/// <c>status</c>; spec and metadata in the request are ignored, as kube-apiserver ignores them.
/// </summary>
public sealed class StatusStore(ISubresourceParent store) : ISubresourceStorage, IPatcher, ISchemaProvider, IProtobufSchemaProvider, IFieldManaged
{
    /// <inheritdoc/>
    FieldManagement.FieldManager? IFieldManaged.FieldManager => (store as IFieldManaged)?.FieldManager;

    /// <inheritdoc/>
    public string Subresource => "status";

    /// <inheritdoc/>
    public ResourceNames Names => store.Names;

    /// <inheritdoc/>
    public NJsonSchema.JsonSchema? Schema => store.Schema;

    /// <inheritdoc/>
    public bool Typed => store.Typed;

    /// <inheritdoc/>
    public Apiserver.Generic.Serialization.Protobuf.ProtoMessage? ProtobufMessage => store.ProtobufMessage;

    /// <inheritdoc/>
    public Task<JsonObject> GetAsync(RequestContext context, string name, GetOptions options, CancellationToken cancellationToken) =>
        store.GetAsync(context, name, options, cancellationToken);

    /// <inheritdoc/>
    public Task<UpdateResult> UpdateAsync(RequestContext context, string name, JsonObject obj, UpdateOptions options, CancellationToken cancellationToken) =>
        store.UpdateSubresourceAsync(context, name, obj, options, TakeStatus, cancellationToken);

    private static JsonObject TakeStatus(JsonObject stored, JsonObject requested)
    {
        var result = (JsonObject)stored.DeepClone();
        if (requested["status"] is { } status)
        {
            result["status"] = status.DeepClone();
        }
        else
        {
            result.Remove("status");
        }
        return result;
    }
}
