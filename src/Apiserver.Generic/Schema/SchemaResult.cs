using Apiserver.Generic.Api;

namespace Apiserver.Generic.Schema;

/// <summary>What applying a schema to an object found.</summary>
/// <param name="UnknownFields">The paths of fields the schema does not declare (they were removed).</param>
/// <param name="Errors">Values of the wrong type or out of the schema's bounds.</param>
public sealed record SchemaResult(IReadOnlyList<string> UnknownFields, IReadOnlyList<FieldError> Errors);
