using System.Text.Json.Nodes;
using Apiserver.Kube.Registry.Apps;
using static Apiserver.Kube.Registry.Core.Services.ServiceFields;

namespace Apiserver.Kube.Registry.Core.Services;

/// <summary>kube's <c>SetDefaults_Service</c> and the strategy's <c>dropTypeDependentFields</c>.</summary>
internal static class ServiceDefaults
{
    /// <summary>The defaults of a service spec (idempotent).</summary>
    public static void Apply(JsonObject svc)
    {
        var spec = svc["spec"] as JsonObject;
        if (spec is null)
        {
            svc["spec"] = spec = [];
        }
        spec["type"] ??= ClusterIP;
        spec["sessionAffinity"] ??= None;
        if (spec["sessionAffinity"]?.ToString() == "ClientIP")
        {
            var config = spec.ObjectField("sessionAffinityConfig").ObjectField("clientIP");
            config["timeoutSeconds"] ??= 10800;
        }
        foreach (var port in Ports(svc))
        {
            port["protocol"] ??= "TCP";
            if (port["targetPort"] is null || (port["targetPort"] is JsonValue t && WorkloadValidation.Integer(t) == 0))
            {
                port["targetPort"] = port["port"]?.DeepClone();
            }
        }
        var type = Type(svc);
        if (type != ExternalName)
        {
            spec["internalTrafficPolicy"] ??= "Cluster";
        }
        if (type is NodePort or LoadBalancer)
        {
            spec["externalTrafficPolicy"] ??= "Cluster";
        }
        if (type == LoadBalancer)
        {
            spec["allocateLoadBalancerNodePorts"] ??= true;
        }
        // A clusterIPs list without clusterIP names its first as the primary.
        if (spec["clusterIP"] is null && spec["clusterIPs"] is JsonArray { Count: > 0 } ips)
        {
            spec["clusterIP"] = ips[0]?.DeepClone();
        }
    }

    /// <summary>
    /// On update, kube's <c>patchAllocatedValues</c> and <c>dropTypeDependentFields</c>: an update that
    /// leaves out the allocated cluster IPs or node ports keeps them, and a type change drops what the
    /// new type cannot have when the client left it as it was.
    /// </summary>
    public static void CarryOver(JsonObject svc, JsonObject old)
    {
        var spec = Spec(svc);
        var oldSpec = Spec(old);
        if (NeedsClusterIp(old) && NeedsClusterIp(svc) && ClusterIps(svc).Count == 0)
        {
            foreach (var field in new[] { "clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy" })
            {
                if (oldSpec[field] is { } value) spec[field] ??= value.DeepClone();
            }
        }
        if (NeedsNodePorts(old) && NeedsNodePorts(svc))
        {
            var oldPorts = Ports(old).ToList();
            foreach (var port in Ports(svc).Where(p => (WorkloadValidation.Integer(p["nodePort"]) ?? 0) == 0))
            {
                var match = oldPorts.FirstOrDefault(o => JsonNode.DeepEquals(o["port"], port["port"]) && JsonNode.DeepEquals(o["protocol"], port["protocol"]));
                if (match?["nodePort"] is { } nodePort) port["nodePort"] = nodePort.DeepClone();
            }
        }
        if (NeedsClusterIp(old) && !NeedsClusterIp(svc) && ClusterIps(svc).SequenceEqual(ClusterIps(old)))
        {
            foreach (var field in new[] { "clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy", "internalTrafficPolicy" })
            {
                spec.Remove(field);
            }
        }
        if (NeedsNodePorts(old) && !NeedsNodePorts(svc) && NodePortsOf(svc).SequenceEqual(NodePortsOf(old)))
        {
            foreach (var port in Ports(svc)) port.Remove("nodePort");
        }
        if (Type(svc) is not (NodePort or LoadBalancer) && JsonNode.DeepEquals(spec["externalTrafficPolicy"], oldSpec["externalTrafficPolicy"]))
        {
            spec.Remove("externalTrafficPolicy");
        }
        if (Type(svc) != LoadBalancer && JsonNode.DeepEquals(spec["allocateLoadBalancerNodePorts"], oldSpec["allocateLoadBalancerNodePorts"]))
        {
            spec.Remove("allocateLoadBalancerNodePorts");
        }
    }

    private static IEnumerable<long> NodePortsOf(JsonObject svc) => Ports(svc).Select(p => WorkloadValidation.Integer(p["nodePort"]) ?? 0);
}
