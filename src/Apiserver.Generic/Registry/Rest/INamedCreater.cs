using System.Text.Json.Nodes;

namespace Apiserver.Generic.Registry.Rest;

/// <summary>
/// Serves <c>create</c> on a subresource of a named object: a POST to the object's own path
/// (<c>pods/binding</c>, <c>pods/eviction</c>), as kube's <c>rest.NamedCreater</c>.
/// </summary>
public interface INamedCreater : ISubresourceStorage
{
    /// <summary>Acts on the object named <paramref name="name"/> with the posted <paramref name="obj"/>; returns what to answer with (201).</summary>
    Task<JsonObject> CreateAsync(RequestContext context, string name, JsonObject obj, CreateOptions options, CancellationToken cancellationToken);
}
