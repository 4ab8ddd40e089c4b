using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Rest;

namespace Apiserver.Generic.Registry.Generic;

/// <summary>Everything a <see cref="GenericStore"/> needs to serve one resource.</summary>
/// <param name="Names">The resource's names and scope.</param>
/// <param name="Strategy">Its create, update, delete and validation rules.</param>
public sealed record ResourceDefinition(ResourceNames Names, IRestStrategy Strategy)
{
    /// <summary>Short names reported in discovery.</summary>
    public IReadOnlyList<string> ShortNames { get; init; } = [];

    /// <summary>Categories reported in discovery (e.g. <c>all</c>).</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>The <c>kubectl get</c> columns.</summary>
    public IReadOnlyList<TableColumn> Columns { get; init; } = TableColumn.Default;

    /// <summary>
    /// The storage key root below the prefix: the plural name by default
    /// (<c>/registry/configmaps/…</c>); group-qualified for custom resources.
    /// </summary>
    public string? KeyRoot { get; init; }

    /// <summary>
    /// The structural schema of the kind: unknown fields are pruned and reported per
    /// <c>fieldValidation</c>, types checked, defaults applied; and OpenAPI publishes it. Null accepts any JSON.
    /// </summary>
    public NJsonSchema.JsonSchema? Schema
    {
        get => _schema ??= _schemaFactory?.Invoke();
        init => _schema = value;
    }

    /// <summary>
    /// Builds <see cref="Schema"/> when it is first needed instead: a server with many kinds (the
    /// built-in ones, generated from the client's models) then pays for the schemas of the kinds in
    /// use, not of every kind at start-up. It must return the same schema each time.
    /// </summary>
    public Func<NJsonSchema.JsonSchema>? SchemaFactory
    {
        init => _schemaFactory = value;
    }

    private NJsonSchema.JsonSchema? _schema;
    private readonly Func<NJsonSchema.JsonSchema>? _schemaFactory;

    /// <summary>
    /// Whether the kind is typed, as kube-apiserver's compiled kinds are: strategic merge patch is
    /// accepted (on <see cref="Schema"/>'s patch strategies and merge keys) and type errors in a write
    /// answer 400 as decoding errors. Every built-in kind sets it; false by default, as for custom
    /// resources, which answer 415 to strategic merge patch. Independent of <see cref="Protobuf"/>.
    /// </summary>
    public bool Typed { get; init; }

    /// <summary>The protobuf message of the kind, when clients may send it as protobuf (built-in types).</summary>
    public Apiserver.Generic.Serialization.Protobuf.ProtoMessage? Protobuf { get; init; }

    /// <summary>
    /// Whether the resource has a <c>status</c> subresource: then main-resource writes ignore
    /// <c>status</c>, and status writes (<see cref="StatusStore"/>) change nothing else.
    /// </summary>
    public bool StatusSubresource { get; init; }

    /// <summary>Whether <c>metadata.generation</c> starts at 1 and grows with every change outside metadata and status.</summary>
    public bool TracksGeneration { get; init; }

    /// <summary>Whether <c>deletecollection</c> is served (kube-apiserver refuses it for namespaces).</summary>
    public bool AllowDeleteCollection { get; init; } = true;

    /// <summary>Whether a completed delete answers with the object (else with a <c>Status</c> Success).</summary>
    public bool ReturnDeletedObject { get; init; }

    /// <summary>A convenience: the kind.</summary>
    public GroupVersionKind Kind => Names.Kind;
}
