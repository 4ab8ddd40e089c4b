using NJsonSchema;

namespace Apiserver.Generic.Registry.Rest;

/// <summary>A storage whose objects have a structural schema, applied to every write and published in OpenAPI.</summary>
public interface ISchemaProvider
{
    /// <summary>The schema of the resource's kind, or null.</summary>
    JsonSchema? Schema { get; }

    /// <summary>
    /// Whether the kind is served as kube-apiserver serves its compiled (typed) kinds rather than
    /// unstructured ones such as custom resources: strategic merge patch is accepted, following the
    /// schema's patch strategies and merge keys, and a value of the wrong type is a decoding error
    /// (400) instead of a field error (422). Unrelated to whether protobuf is accepted.
    /// </summary>
    bool Typed { get; }
}
