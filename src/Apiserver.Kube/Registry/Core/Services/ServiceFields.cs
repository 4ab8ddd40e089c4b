using System.Text.Json.Nodes;
using Apiserver.Kube.Registry.Apps;

namespace Apiserver.Kube.Registry.Core.Services;

/// <summary>Reading a service's spec as kube's service helpers do (<c>needsClusterIP</c>, <c>needsNodePort</c>).</summary>
internal static class ServiceFields
{
    public const string ClusterIP = "ClusterIP", NodePort = "NodePort", LoadBalancer = "LoadBalancer", ExternalName = "ExternalName", None = "None";

    public static JsonObject Spec(JsonObject svc) => svc["spec"] as JsonObject ?? [];

    public static string Type(JsonObject svc) => Spec(svc)["type"]?.ToString() ?? ClusterIP;

    /// <summary>Whether the service gets a cluster IP field at all (every type but ExternalName).</summary>
    public static bool NeedsClusterIp(JsonObject svc) => Type(svc) != ExternalName;

    /// <summary>Whether the service is headless (<c>clusterIP: None</c>).</summary>
    public static bool IsHeadless(JsonObject svc) => Spec(svc)["clusterIP"]?.ToString() == None;

    /// <summary>Whether its ports get node ports: NodePort, and LoadBalancer unless <c>allocateLoadBalancerNodePorts</c> is false.</summary>
    public static bool NeedsNodePorts(JsonObject svc) => Type(svc) switch
    {
        NodePort => true,
        LoadBalancer => Spec(svc)["allocateLoadBalancerNodePorts"] is not JsonValue v || !v.TryGetValue<bool>(out var allocate) || allocate,
        _ => false,
    };

    /// <summary>The cluster IPs, primary first (<c>clusterIPs</c>, else <c>clusterIP</c>).</summary>
    public static IReadOnlyList<string> ClusterIps(JsonObject svc)
    {
        var spec = Spec(svc);
        if (spec["clusterIPs"] is JsonArray { Count: > 0 } ips)
        {
            return [.. ips.Select(ip => ip?.ToString() ?? "")];
        }
        return spec["clusterIP"]?.ToString() is { Length: > 0 } ip ? [ip] : [];
    }

    public static IEnumerable<JsonObject> Ports(JsonObject svc) => (Spec(svc)["ports"] as JsonArray ?? []).OfType<JsonObject>();

    /// <summary>The node ports set on the ports (0 and absent skipped), distinct.</summary>
    public static IReadOnlySet<long> NodePorts(JsonObject svc)
    {
        var ports = Ports(svc).Select(p => WorkloadValidation.Integer(p["nodePort"]) ?? 0).Where(p => p != 0).ToHashSet();
        if (WorkloadValidation.Integer(Spec(svc)["healthCheckNodePort"]) is { } health and not 0)
        {
            ports.Add(health);
        }
        return ports;
    }
}
