using System.Text.Json.Nodes;
using Apiserver.Generic.Registry.Rest;

namespace Apiserver.Generic.Registry.Generic;

/// <summary>
/// The storage a subresource (<see cref="StatusStore"/>, a scale) is served over: it reads the object
/// and writes what the subresource owns of it. <see cref="GenericStore"/> is one; a
/// <see cref="VersionedStore"/> is one in its served version.
/// </summary>
public interface ISubresourceParent : IGetter, ISchemaProvider, IProtobufSchemaProvider
{
    /// <summary>
    /// An update through a subresource: <paramref name="merge"/> builds the object to store from the
    /// stored one and the request (both in storage form), taking from the request only what the
    /// subresource owns. Never creates; the main resource's update rules do not apply.
    /// </summary>
    Task<UpdateResult> UpdateSubresourceAsync(RequestContext context, string name, JsonObject obj, UpdateOptions options, Func<JsonObject, JsonObject, JsonObject> merge, CancellationToken cancellationToken);

    /// <summary>
    /// An update through a subresource with rules of its own: <paramref name="validate"/>, when
    /// given, stands in for the main resource's update validation.
    /// </summary>
    Task<UpdateResult> UpdateSubresourceAsync(RequestContext context, string name, JsonObject obj, UpdateOptions options,
        Func<JsonObject, JsonObject, JsonObject> merge, Action<JsonObject, JsonObject, List<Api.FieldError>>? validate, CancellationToken cancellationToken);
}
