using Apiserver.Generic.Registry.Rest;

namespace Apiserver.Generic.Registry.Generic;

/// <summary>
/// One more version a stored resource is served in (its storage version is its
/// <see cref="ResourceDefinition"/>'s): the names and kind of that version, how its objects convert
/// to and from the storage version, and what discovery, OpenAPI, decoding and <c>kubectl get</c> use
/// for it. Served by a <see cref="VersionedStore"/> over the resource's one <see cref="GenericStore"/>.
/// </summary>
/// <param name="Names">The resource as this version names it (group, version and kind of its objects).</param>
/// <param name="Converter">The conversion between this version and the storage version.</param>
public sealed record ServedVersion(ResourceNames Names, IVersionConverter Converter)
{
    /// <summary>The structural schema of this version's kind (pruning, defaults, strategic merge patch, OpenAPI).</summary>
    public NJsonSchema.JsonSchema? Schema { get; init; }

    /// <summary>Whether this version's kind is typed (see <see cref="ResourceDefinition.Typed"/>).</summary>
    public bool Typed { get; init; }

    /// <summary>This version's protobuf message, when clients may send it as protobuf.</summary>
    public Apiserver.Generic.Serialization.Protobuf.ProtoMessage? Protobuf { get; init; }

    /// <summary>The <c>kubectl get</c> columns of this version.</summary>
    public IReadOnlyList<TableColumn> Columns { get; init; } = TableColumn.Default;

    /// <summary>Short names reported in discovery.</summary>
    public IReadOnlyList<string> ShortNames { get; init; } = [];

    /// <summary>Categories reported in discovery.</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];
}
