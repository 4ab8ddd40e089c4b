using System.Text.Json.Nodes;
using Apiserver.Generic.Api;

namespace Apiserver.Generic.Registry.Generic;

/// <summary>One column of a resource's <c>kubectl get</c> table, and how to compute its cell.</summary>
/// <param name="Name">The column header, e.g. <c>Data</c>.</param>
/// <param name="Type">The OpenAPI type of the cells: <c>string</c>, <c>integer</c>, <c>date</c>…</param>
/// <param name="Description">What the column shows.</param>
/// <param name="Cell">Computes the cell of one object.</param>
/// <param name="Format">The OpenAPI format, e.g. <c>name</c> for the name column.</param>
/// <param name="Priority">0 for default columns, higher for <c>-o wide</c> only.</param>
public sealed record TableColumn(string Name, string Type, string Description, Func<JsonObject, JsonNode?> Cell, string Format = "", int Priority = 0)
{
    /// <summary>The NAME column.</summary>
    public static TableColumn NameColumn { get; } = new(
        "Name", "string",
        "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names",
        obj => obj.GetName(), Format: "name");

    /// <summary>The AGE column: time since creation, as kubectl prints it (<c>5m</c>, <c>3d4h</c>).</summary>
    public static TableColumn AgeColumn { get; } = new(
        "Age", "string",
        "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
        obj => HumanDuration.Since(ObjectMeta.ParseTime(obj.Metadata()["creationTimestamp"])));

    /// <summary>The columns of a resource without printers of its own: NAME and CREATED AT.</summary>
    public static IReadOnlyList<TableColumn> Default { get; } =
    [
        NameColumn,
        new("Created At", "date", AgeColumn.Description, obj => obj.Metadata()["creationTimestamp"]?.DeepClone()),
    ];
}
