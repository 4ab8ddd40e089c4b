using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Rest;

namespace Apiserver.Generic.Registry.Generic;

/// <summary>
/// A subresource that is a part of its parent's object (<c>status</c>, a CSR's <c>approval</c>, a
/// pod's <c>ephemeralcontainers</c>): reads the object, and a write takes from the request only
/// what <paramref name="merge"/> says the subresource owns. <paramref name="validate"/>, when
/// given, stands in for the parent's update validation (a subresource with rules of its own).
/// </summary>
public class SubresourceStore(
    ISubresourceParent parent,
    string subresource,
    Func<JsonObject, JsonObject, JsonObject> merge,
    Action<JsonObject, JsonObject, List<FieldError>>? validate = null)
    : ISubresourceStorage, IPatcher, ISchemaProvider, IProtobufSchemaProvider, IFieldManaged
{
    /// <inheritdoc/>
    FieldManagement.FieldManager? IFieldManaged.FieldManager => (parent as IFieldManaged)?.FieldManager;

    /// <inheritdoc/>
    public string Subresource => subresource;

    /// <inheritdoc/>
    public ResourceNames Names => parent.Names;

    /// <inheritdoc/>
    public NJsonSchema.JsonSchema? Schema => parent.Schema;

    /// <inheritdoc/>
    public bool Typed => parent.Typed;

    /// <inheritdoc/>
    public Serialization.Protobuf.ProtoMessage? ProtobufMessage => parent.ProtobufMessage;

    /// <inheritdoc/>
    public Task<JsonObject> GetAsync(RequestContext context, string name, GetOptions options, CancellationToken cancellationToken) =>
        parent.GetAsync(context, name, options, cancellationToken);

    /// <inheritdoc/>
    public Task<UpdateResult> UpdateAsync(RequestContext context, string name, JsonObject obj, UpdateOptions options, CancellationToken cancellationToken) =>
        parent.UpdateSubresourceAsync(context, name, obj, options, merge, validate, cancellationToken);
}
