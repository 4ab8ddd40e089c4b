using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Registry.Apps;
using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Networking.NetworkPolicies;

/// <summary>
/// The <c>networkpolicies</c> resource of networking.k8s.io/v1. Defaults as
/// <c>SetDefaults_NetworkPolicy</c>: ports' protocol TCP, and policyTypes Ingress (plus Egress when
/// there are egress rules) when unset; policyTypes must be Ingress or Egress, at most two.
/// </summary>
public static class NetworkPolicyResource
{
    private static readonly string[] PolicyTypes = ["Ingress", "Egress"];
    private static readonly string[] Protocols = ["SCTP", "TCP", "UDP"];

    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("networking.k8s.io", "v1", "NetworkPolicy"), "networkpolicies", "networkpolicy", Namespaced: true),
        new Strategy())
    {
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1NetworkPolicy)),
        Typed = true,
        Protobuf = NetworkingV1Messages.NetworkPolicy,
        ShortNames = ["netpol"],
        TracksGeneration = true,
        Columns =
        [
            TableColumn.NameColumn,
            new("Pod-Selector", "string", "Selects the pods to which this NetworkPolicy object applies. The array of rules is applied to any pods selected by this field. An empty selector matches all pods in this namespace.",
                obj => LabelSelectors.Format(obj["spec"]?["podSelector"] as JsonObject) is { Length: > 0 } s ? s : "<none>"),
            TableColumn.AgeColumn,
        ],
    };

    private sealed class Strategy : IRestStrategy
    {
        public void PrepareForCreate(JsonObject obj) => Default(obj);

        public void PrepareForUpdate(JsonObject obj, JsonObject old) => Default(obj);

        public void Validate(JsonObject obj, List<FieldError> errors)
        {
            var spec = obj["spec"] as JsonObject ?? [];
            var types = spec["policyTypes"] as JsonArray ?? [];
            for (var i = 0; i < types.Count; i++)
            {
                var type = types[i]?.ToString() ?? "";
                if (!PolicyTypes.Contains(type))
                {
                    errors.Add(FieldError.NotSupported($"spec.policyTypes[{i}]", type, PolicyTypes));
                }
            }
            if (types.Count > 2)
            {
                errors.Add(FieldError.Invalid("spec.policyTypes", types.DeepClone(), "may not specify more than two policyTypes"));
            }
            foreach (var list in new[] { "ingress", "egress" })
            {
                var rules = spec[list] as JsonArray ?? [];
                for (var r = 0; r < rules.Count; r++)
                {
                    var ports = rules[r]?["ports"] as JsonArray ?? [];
                    for (var p = 0; p < ports.Count; p++)
                    {
                        if (ports[p]?["protocol"]?.ToString() is { } protocol && !Protocols.Contains(protocol))
                        {
                            errors.Add(FieldError.NotSupported($"spec.{list}[{r}].ports[{p}].protocol", protocol, Protocols));
                        }
                    }
                }
            }
        }

        private static void Default(JsonObject obj)
        {
            if (obj["spec"] is not JsonObject spec)
            {
                spec = [];
                obj["spec"] = spec;
            }
            spec["podSelector"] ??= new JsonObject();
            foreach (var list in new[] { "ingress", "egress" })
            {
                foreach (var rule in (spec[list] as JsonArray ?? []).OfType<JsonObject>())
                {
                    foreach (var port in (rule["ports"] as JsonArray ?? []).OfType<JsonObject>())
                    {
                        port["protocol"] ??= "TCP";
                    }
                }
            }
            if ((spec["policyTypes"] as JsonArray)?.Count is null or 0)
            {
                var types = new JsonArray("Ingress");
                if ((spec["egress"] as JsonArray)?.Count > 0)
                {
                    types.Add("Egress");
                }
                spec["policyTypes"] = types;
            }
        }
    }
}
