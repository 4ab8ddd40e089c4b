using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Validation;
using Apiserver.Kube.Registry.Apps;
using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Discovery.EndpointSlices;

/// <summary>
/// The <c>endpointslices</c> resource of discovery.k8s.io/v1. As <c>ValidateEndpointSlice</c>: a
/// supported <c>addressType</c> that never changes, endpoints with 1 to 100 addresses of that
/// type, ports with valid numbers and protocols. Ports default to protocol TCP and name "".
/// </summary>
public static class EndpointSliceResource
{
    // kube answers these limits as TooMany; this server has no such error type, so they are Invalid.
    private const int MaxAddresses = 100;
    private const int MaxPorts = 20000;
    private const int MaxEndpoints = 1000;
    private const int Listed = 3;
    private static readonly string[] AddressTypes = ["FQDN", "IPv4", "IPv6"];
    private static readonly string[] Protocols = ["SCTP", "TCP", "UDP"];

    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("discovery.k8s.io", "v1", "EndpointSlice"), "endpointslices", "endpointslice", Namespaced: true),
        new Strategy())
    {
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1EndpointSlice)),
        Typed = true,
        Protobuf = DiscoveryV1Messages.EndpointSlice,
        TracksGeneration = true,
        Columns =
        [
            TableColumn.NameColumn,
            new("AddressType", "string", "addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type.", obj => obj["addressType"]?.DeepClone() ?? ""),
            new("Ports", "string", "ports specifies the list of network ports exposed by each endpoint in this slice.",
                obj => ListWithMore([.. (obj["ports"] as JsonArray ?? []).Select(p => p?["port"]?.ToString() ?? (p?["name"]?.ToString() is { } n ? n : "*"))])),
            new("Endpoints", "string", "endpoints is a list of unique endpoints in this slice.",
                obj => ListWithMore([.. (obj["endpoints"] as JsonArray ?? []).SelectMany(e => e?["addresses"] as JsonArray ?? []).Select(a => a?.ToString() ?? "")])),
            TableColumn.AgeColumn,
        ],
    };

    // kubectl's listWithMoreString: the first three, then "+ N more...", or <unset>.
    private static JsonNode ListWithMore(IReadOnlyList<string> items)
    {
        var shown = string.Join(",", items.Take(Listed));
        if (items.Count > Listed)
        {
            return $"{shown} + {items.Count - Listed} more...";
        }
        return shown.Length == 0 ? "<unset>" : shown;
    }

    private sealed class Strategy : IRestStrategy
    {
        public void PrepareForCreate(JsonObject obj) => Default(obj);

        public void PrepareForUpdate(JsonObject obj, JsonObject old) => Default(obj);

        public void Validate(JsonObject obj, List<FieldError> errors)
        {
            var addressType = obj["addressType"]?.ToString() ?? "";
            if (addressType.Length == 0)
            {
                errors.Add(FieldError.Required("addressType"));
            }
            else if (!AddressTypes.Contains(addressType))
            {
                errors.Add(FieldError.NotSupported("addressType", addressType, AddressTypes));
            }
            ValidateEndpoints(obj["endpoints"] as JsonArray ?? [], addressType, errors);
            ValidatePorts(obj["ports"] as JsonArray ?? [], errors);
        }

        public void ValidateUpdate(JsonObject obj, JsonObject old, List<FieldError> errors)
        {
            Validate(obj, errors);
            if (!JsonNode.DeepEquals(obj["addressType"], old["addressType"]))
            {
                errors.Add(FieldError.Immutable("addressType", obj["addressType"]?.DeepClone()));
            }
        }

        private static void ValidateEndpoints(JsonArray endpoints, string addressType, List<FieldError> errors)
        {
            if (endpoints.Count > MaxEndpoints)
            {
                errors.Add(FieldError.Invalid("endpoints", JsonValue.Create(endpoints.Count), $"must have at most {MaxEndpoints} items"));
                return;
            }
            for (var i = 0; i < endpoints.Count; i++)
            {
                var path = $"endpoints[{i}].addresses";
                var addresses = endpoints[i]?["addresses"] as JsonArray ?? [];
                if (addresses.Count == 0)
                {
                    errors.Add(FieldError.Required(path, "must contain at least 1 address"));
                }
                else if (addresses.Count > MaxAddresses)
                {
                    errors.Add(FieldError.Invalid(path, JsonValue.Create(addresses.Count), $"must have at most {MaxAddresses} items"));
                    continue;
                }
                for (var a = 0; a < addresses.Count; a++)
                {
                    var address = addresses[a]?.ToString() ?? "";
                    if (AddressProblem(address, addressType) is { } problem)
                    {
                        errors.Add(FieldError.Invalid($"{path}[{a}]", address, problem));
                    }
                }
            }
        }

        private static string? AddressProblem(string address, string addressType) => addressType switch
        {
            "IPv4" => IPAddress.TryParse(address, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork && address.Count(c => c == '.') == 3 ? null : "must be a valid IPv4 address",
            "IPv6" => IPAddress.TryParse(address, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6 && !address.Contains('%') ? null : "must be a valid IPv6 address",
            "FQDN" => NameValidation.IsDns1123Subdomain(address).FirstOrDefault(),
            _ => null,
        };

        private static void ValidatePorts(JsonArray ports, List<FieldError> errors)
        {
            if (ports.Count > MaxPorts)
            {
                errors.Add(FieldError.Invalid("ports", JsonValue.Create(ports.Count), $"must have at most {MaxPorts} items"));
                return;
            }
            var names = new HashSet<string>();
            for (var i = 0; i < ports.Count; i++)
            {
                var path = $"ports[{i}]";
                if (ports[i] is not JsonObject port)
                {
                    continue;
                }
                var name = port["name"]?.ToString() ?? "";
                if (name.Length > 0)
                {
                    errors.AddRange(NameValidation.IsDns1123Label(name).Select(m => FieldError.Invalid($"{path}.name", name, m)));
                }
                if (!names.Add(name))
                {
                    errors.Add(new FieldError(FieldErrorType.Duplicate, $"{path}.name", JsonValue.Create(name), ""));
                }
                if (WorkloadValidation.Integer(port["port"]) is { } number && number is < 1 or > 65535)
                {
                    errors.Add(FieldError.Invalid($"{path}.port", JsonValue.Create(number), "must be between 1 and 65535, inclusive"));
                }
                var protocol = port["protocol"]?.ToString() ?? "";
                if (!Protocols.Contains(protocol))
                {
                    errors.Add(FieldError.NotSupported($"{path}.protocol", protocol, Protocols));
                }
            }
        }

        private static void Default(JsonObject obj)
        {
            foreach (var port in (obj["ports"] as JsonArray ?? []).OfType<JsonObject>())
            {
                port["name"] ??= "";
                port["protocol"] ??= "TCP";
            }
        }
    }
}
