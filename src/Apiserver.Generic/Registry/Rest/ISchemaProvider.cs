using NJsonSchema;

namespace Apiserver.Generic.Registry.Rest;

/// <summary>A storage whose objects have a structural schema, applied to every write and published in OpenAPI.</summary>
public interface ISchemaProvider
{
    /// <summary>The schema of the resource's kind, or null.</summary>
    JsonSchema? Schema { get; }
}
