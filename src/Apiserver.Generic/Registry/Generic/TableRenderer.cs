using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Rest;

namespace Apiserver.Generic.Registry.Generic;

/// <summary>
/// Objects as a <c>meta.k8s.io/v1 Table</c> (what <c>kubectl get</c> prints): one row per object with
/// the resource's columns, and the object, its metadata or nothing per <c>includeObject</c>.
/// </summary>
public static class TableRenderer
{
    /// <summary>Renders one object or a list object of <paramref name="kind"/> with <paramref name="columns"/>.</summary>
    public static JsonObject Render(IReadOnlyList<TableColumn> columns, GroupVersionKind kind, JsonObject objectOrList, TableOptions options)
    {
        var isList = objectOrList["items"] is JsonArray;
        var items = isList ? ((JsonArray)objectOrList["items"]!).OfType<JsonObject>() : [objectOrList];
        var rows = new JsonArray();
        foreach (var item in items)
        {
            var cells = new JsonArray();
            foreach (var column in columns)
            {
                cells.Add(column.Cell(item));
            }
            var row = new JsonObject { ["cells"] = cells };
            switch (options.IncludeObject)
            {
                case "Object":
                    var full = (JsonObject)item.DeepClone();
                    full["kind"] = kind.Kind;
                    full["apiVersion"] = kind.ApiVersion;
                    row["object"] = full;
                    break;
                case "None":
                    break;
                default:
                    row["object"] = new JsonObject
                    {
                        ["kind"] = "PartialObjectMetadata",
                        ["apiVersion"] = "meta.k8s.io/v1",
                        ["metadata"] = item.Metadata().DeepClone(),
                    };
                    break;
            }
            rows.Add(row);
        }

        var meta = new JsonObject();
        var source = isList ? objectOrList["metadata"] as JsonObject : null;
        meta["resourceVersion"] = isList ? source?["resourceVersion"]?.DeepClone() : objectOrList.GetResourceVersion();
        if (source?["continue"] is { } cont) meta["continue"] = cont.DeepClone();
        if (source?["remainingItemCount"] is { } remaining) meta["remainingItemCount"] = remaining.DeepClone();

        var table = new JsonObject { ["kind"] = "Table", ["apiVersion"] = "meta.k8s.io/v1", ["metadata"] = meta };
        if (!options.NoHeaders)
        {
            var definitions = new JsonArray();
            foreach (var c in columns)
            {
                definitions.Add(new JsonObject { ["name"] = c.Name, ["type"] = c.Type, ["format"] = c.Format, ["description"] = c.Description, ["priority"] = c.Priority });
            }
            table["columnDefinitions"] = definitions;
        }
        table["rows"] = rows;
        return table;
    }
}
