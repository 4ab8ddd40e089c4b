using System.Text.Json.Nodes;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Kube.Registry.Apps;
using static Apiserver.Kube.Registry.Core.Services.ServiceFields;

namespace Apiserver.Kube.Registry.Core.Services;

/// <summary>The <c>kubectl get services</c> columns, as kube's <c>printService</c>.</summary>
internal static class ServiceColumns
{
    public static IReadOnlyList<TableColumn> All { get; } =
    [
        TableColumn.NameColumn,
        new("Type", "string", "The type of the service.", obj => Type(obj)),
        new("Cluster-IP", "string", "The IP address of the service.", obj => ClusterIps(obj) is [var ip, ..] ? ip : "<none>"),
        new("External-IP", "string", "The external IP address of the service.", ExternalIp),
        new("Port(s)", "string", "The ports of the service.", PortsCell),
        TableColumn.AgeColumn,
        new("Selector", "string", "Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify. Only applies to types ClusterIP, NodePort, and LoadBalancer. Ignored if type is ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/",
            obj => CoreFormat.Labels(Spec(obj)["selector"]), Priority: 1),
    ];

    private static JsonNode ExternalIp(JsonObject svc)
    {
        var externalIps = (Spec(svc)["externalIPs"] as JsonArray ?? []).Select(ip => ip?.ToString() ?? "").ToList();
        switch (Type(svc))
        {
            case ExternalName:
                return Spec(svc)["externalName"]?.ToString() ?? "";
            case LoadBalancer:
                var ingress = CoreFormat.Items(svc["status"]?["loadBalancer"]?["ingress"])
                    .Select(i => i["ip"]?.ToString() is { Length: > 0 } ip ? ip : i["hostname"]?.ToString() ?? "")
                    .Where(s => s.Length > 0);
                var all = ingress.Concat(externalIps).ToList();
                return all.Count > 0 ? string.Join(",", all) : "<pending>";
            default:
                return externalIps.Count > 0 ? string.Join(",", externalIps) : "<none>";
        }
    }

    private static JsonNode PortsCell(JsonObject svc)
    {
        var ports = Ports(svc).Select(p =>
        {
            var port = WorkloadValidation.Integer(p["port"]) ?? 0;
            var protocol = p["protocol"]?.ToString() ?? "TCP";
            return WorkloadValidation.Integer(p["nodePort"]) is { } node and > 0 ? $"{port}:{node}/{protocol}" : $"{port}/{protocol}";
        }).ToList();
        return ports.Count > 0 ? string.Join(",", ports) : "<none>";
    }
}
