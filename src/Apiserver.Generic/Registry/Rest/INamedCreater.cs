using System.Text.Json.Nodes;

namespace Apiserver.Generic.Registry.Rest;

/// <summary>
/// Serves <c>create</c> on a named object's subresource (POST <c>serviceaccounts/&lt;name&gt;/token</c>,
/// kube's <c>rest.NamedCreater</c>): the object named in the path is what the request acts on.
/// </summary>
public interface INamedCreater : IRestStorage
{
    /// <summary>Acts on the object <paramref name="name"/> with <paramref name="obj"/> and returns the answer.</summary>
    Task<JsonObject> CreateAsync(RequestContext context, string name, JsonObject obj, CreateOptions options, CancellationToken cancellationToken);
}
