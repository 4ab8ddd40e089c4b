using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Networking.Ingresses;

/// <summary>
/// The <c>ingresses</c> resource of networking.k8s.io/v1, with a <c>status</c> subresource. v1 has no
/// defaults (every path must name its pathType); the status starts as an empty load balancer;
/// generation tracks spec changes; validation as <see cref="IngressValidation"/>.
/// </summary>
public static class IngressResource
{
    private const int AddressWidth = 16;

    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("networking.k8s.io", "v1", "Ingress"), "ingresses", "ingress", Namespaced: true),
        new Strategy())
    {
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1Ingress)),
        Typed = true,
        Protobuf = IngressMessages.Ingress,
        ShortNames = ["ing"],
        StatusSubresource = true,
        TracksGeneration = true,
        Columns =
        [
            TableColumn.NameColumn,
            new("Class", "string", "The name of the IngressClass resource that should be used for additional configuration", obj => obj["spec"]?["ingressClassName"]?.ToString() ?? "<none>"),
            new("Hosts", "string", "Hosts that incoming requests are matched against before the ingress rule", Hosts),
            new("Address", "string", "Address is a list containing ingress points for the load-balancer", Address),
            new("Ports", "string", "Ports of TLS configurations that open", obj => obj["spec"]?["tls"] is JsonArray { Count: > 0 } ? "80, 443" : "80"),
            TableColumn.AgeColumn,
        ],
    };

    // kube's formatHosts: up to three hosts, then how many rules remain.
    private static JsonNode Hosts(JsonObject obj)
    {
        var rules = (obj["spec"]?["rules"] as JsonArray ?? []).ToList();
        var hosts = rules.Select(r => r?["host"]?.ToString() ?? "").Take(3).Where(h => h.Length > 0).ToList();
        if (hosts.Count == 0)
        {
            return "*";
        }
        var shown = string.Join(",", hosts);
        return rules.Count > 3 ? $"{shown} + {rules.Count - 3} more..." : shown;
    }

    // kube's ingressLoadBalancerStatusStringer: the sorted, distinct IPs (else hostnames), cut to 16 characters.
    private static JsonNode Address(JsonObject obj)
    {
        var addresses = (obj["status"]?["loadBalancer"]?["ingress"] as JsonArray ?? [])
            .Select(i => i?["ip"]?.ToString() is { Length: > 0 } ip ? ip : i?["hostname"]?.ToString() ?? "")
            .Where(a => a.Length > 0).Distinct().Order(StringComparer.Ordinal);
        var text = string.Join(",", addresses);
        return text.Length > AddressWidth ? text[..(AddressWidth - 3)] + "..." : text;
    }

    private sealed class Strategy : IRestStrategy
    {
        public void PrepareForCreate(JsonObject obj) => obj["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };

        public void Validate(JsonObject obj, List<FieldError> errors) => IngressValidation.Validate(obj, create: true, errors);

        public void ValidateUpdate(JsonObject obj, JsonObject old, List<FieldError> errors) => IngressValidation.Validate(obj, create: false, errors);
    }
}
