using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Registry.Apps;
using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Core.Endpoints;

/// <summary>
/// The <c>endpoints</c> resource of core/v1. Ports' protocol defaults to TCP; addresses need an IP
/// and ports a number in range, as kube's <c>ValidateEndpoints</c> says.
/// </summary>
public static class EndpointsResource
{
    private static readonly string[] Protocols = ["SCTP", "TCP", "UDP"];

    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("", "v1", "Endpoints"), "endpoints", "endpoints", Namespaced: true),
        new Strategy())
    {
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1Endpoints)),
        Typed = true,
        ShortNames = ["ep"],
        Columns =
        [
            TableColumn.NameColumn,
            new("Endpoints", "string", "Endpoints of the Endpoints", Format),
            TableColumn.AgeColumn,
        ],
    };

    /// <summary>kube's <c>formatEndpoints</c>: up to three <c>ip:port</c> pairs, then <c> + N more...</c>; <c>&lt;none&gt;</c> when empty.</summary>
    private static JsonNode Format(JsonObject obj)
    {
        const int max = 3;
        var list = new List<string>();
        var count = 0;
        foreach (var subset in CoreFormat.Items(obj["subsets"]))
        {
            var ports = CoreFormat.Items(subset["ports"]).ToList();
            foreach (var address in CoreFormat.Items(subset["addresses"]))
            {
                var ip = address["ip"]?.ToString() ?? "";
                if (ports.Count == 0)
                {
                    if (list.Count < max) list.Add(ip);
                    count++;
                    continue;
                }
                foreach (var port in ports)
                {
                    if (list.Count < max) list.Add($"{ip}:{port["port"]}");
                    count++;
                }
            }
        }
        var text = string.Join(",", list);
        if (count > list.Count)
        {
            text += $" + {count - list.Count} more...";
        }
        return text.Length == 0 ? "<none>" : text;
    }

    private sealed class Strategy : IRestStrategy
    {
        public void PrepareForCreate(JsonObject obj) => Default(obj);

        public void PrepareForUpdate(JsonObject obj, JsonObject old) => Default(obj);

        private static void Default(JsonObject obj)
        {
            foreach (var subset in CoreFormat.Items(obj["subsets"]))
            {
                foreach (var port in CoreFormat.Items(subset["ports"]))
                {
                    port["protocol"] ??= "TCP";
                }
            }
        }

        public void Validate(JsonObject obj, List<FieldError> errors)
        {
            foreach (var (subset, i) in CoreFormat.Items(obj["subsets"]).Select((s, i) => (s, i)))
            {
                foreach (var list in new[] { "addresses", "notReadyAddresses" })
                {
                    foreach (var (address, j) in CoreFormat.Items(subset[list]).Select((a, j) => (a, j)))
                    {
                        var ip = address["ip"]?.ToString() ?? "";
                        if (ip.Length == 0)
                        {
                            errors.Add(FieldError.Required($"subsets[{i}].{list}[{j}].ip"));
                        }
                        else if (!System.Net.IPAddress.TryParse(ip, out _))
                        {
                            errors.Add(FieldError.Invalid($"subsets[{i}].{list}[{j}].ip", ip, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
                        }
                    }
                }
                foreach (var (port, j) in CoreFormat.Items(subset["ports"]).Select((p, j) => (p, j)))
                {
                    var number = WorkloadValidation.Integer(port["port"]) ?? 0;
                    if (number is < 1 or > 65535)
                    {
                        errors.Add(FieldError.Invalid($"subsets[{i}].ports[{j}].port", JsonValue.Create(number), "must be between 1 and 65535, inclusive"));
                    }
                    var protocol = port["protocol"]?.ToString() ?? "";
                    if (!Protocols.Contains(protocol))
                    {
                        errors.Add(FieldError.NotSupported($"subsets[{i}].ports[{j}].protocol", protocol, Protocols));
                    }
                }
            }
        }
    }
}
