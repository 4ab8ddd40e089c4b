using System.Text.Json.Nodes;
using Apiserver.Generic.Registry.Generic;

namespace Apiserver.Kube.Registry.Apps;

/// <summary>The <c>kubectl get</c> columns the workload kinds share (<c>pkg/printers/internalversion</c>).</summary>
public static class WorkloadColumns
{
    /// <summary>CONTAINERS (wide): the template's container names.</summary>
    public static TableColumn Containers { get; } = new("Containers", "string", "Names of each container in the template.",
        obj => string.Join(",", TemplateContainers(obj).Select(c => c["name"]?.ToString() ?? "")), Priority: 1);

    /// <summary>IMAGES (wide): the template's container images.</summary>
    public static TableColumn Images { get; } = new("Images", "string", "Images referenced by each container in the template.",
        obj => string.Join(",", TemplateContainers(obj).Select(c => c["image"]?.ToString() ?? "")), Priority: 1);

    /// <summary>SELECTOR (wide): the label selector, <c>&lt;none&gt;</c> when empty.</summary>
    public static TableColumn Selector { get; } = new("Selector", "string", "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.",
        obj => LabelSelectors.Format(obj["spec"]?["selector"] as JsonObject) is { Length: > 0 } s ? s : "<none>", Priority: 1);

    /// <summary>An integer column read from <c>status.&lt;field&gt;</c> (0 when absent).</summary>
    public static TableColumn Status(string name, string field, string description, string type = "integer") =>
        new(name, type, description, obj => WorkloadValidation.Integer(obj["status"]?[field]) ?? 0);

    /// <summary>The READY cell of deployments and stateful sets: ready replicas / desired replicas.</summary>
    public static JsonNode Ready(JsonObject obj) =>
        $"{WorkloadValidation.Integer(obj["status"]?["readyReplicas"]) ?? 0}/{WorkloadValidation.Integer(obj["spec"]?["replicas"]) ?? 0}";

    private static IEnumerable<JsonObject> TemplateContainers(JsonObject obj) =>
        (obj["spec"]?["template"]?["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>();
}
