using System.Text.Json.Nodes;

namespace Apiserver.Generic.Registry.Generic;

/// <summary>
/// The <c>status</c> subresource of a <see cref="GenericStore"/> (or of a version it is served in): reads the object, and writes only its
/// <c>status</c>; spec and metadata in the request are ignored, as kube-apiserver ignores them.
/// </summary>
public sealed class StatusStore(ISubresourceParent store) : SubresourceStore(store, "status", TakeStatus)
{
    /// <summary>The stored object with the request's status (a status subresource of its own rules starts from it).</summary>
    public static JsonObject TakeStatus(JsonObject stored, JsonObject requested)
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
