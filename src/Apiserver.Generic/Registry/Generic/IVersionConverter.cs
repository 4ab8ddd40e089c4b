using System.Text.Json.Nodes;

namespace Apiserver.Generic.Registry.Generic;

/// <summary>
/// Converts the objects of one resource between a version it is served in and the version it is
/// stored in (kube-apiserver's conversion functions, for one pair of versions). Both directions take
/// and return whole objects; <c>kind</c> and <c>apiVersion</c> are the caller's to set, and list items
/// arrive without them. A converter may change its argument and return it.
/// </summary>
public interface IVersionConverter
{
    /// <summary>An object of the served version as the storage version holds it.</summary>
    /// <exception cref="Api.StatusException">400 or 422 when the object cannot be represented (a client mistake).</exception>
    JsonObject ToStorage(JsonObject served);

    /// <summary>A stored object as the served version shows it.</summary>
    JsonObject FromStorage(JsonObject stored);

    /// <summary>
    /// Rules only a create in this version must meet, checked on the served form before conversion
    /// (events.k8s.io/v1 requires what core/v1 leaves optional); none by default.
    /// </summary>
    void ValidateCreate(JsonObject served, List<Api.FieldError> errors) { }
}
