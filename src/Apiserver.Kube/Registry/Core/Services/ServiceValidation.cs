using System.Net;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Validation;
using Apiserver.Kube.Registry.Apps;
using static Apiserver.Kube.Registry.Core.Services.ServiceFields;

namespace Apiserver.Kube.Registry.Core.Services;

/// <summary>The main rules of kube's <c>ValidateService</c> and <c>ValidateServiceUpdate</c>, with their messages.</summary>
internal static partial class ServiceValidation
{
    private static readonly string[] Types = [ClusterIP, ExternalName, LoadBalancer, NodePort];
    private static readonly string[] Protocols = ["SCTP", "TCP", "UDP"];
    private static readonly string[] Affinities = ["ClientIP", None];
    private static readonly string[] TrafficPolicies = ["Cluster", "Local"];
    private static readonly string[] IpFamilies = ["IPv4", "IPv6"];
    private static readonly string[] IpFamilyPolicies = ["PreferDualStack", "RequireDualStack", "SingleStack"];

    public static void Validate(JsonObject svc, List<FieldError> errors)
    {
        var spec = Spec(svc);
        var type = Type(svc);
        if (!Types.Contains(type))
        {
            errors.Add(FieldError.NotSupported("spec.type", type, Types));
        }
        ValidateClusterIps(svc, type, errors);
        if (type == ExternalName)
        {
            var name = spec["externalName"]?.ToString() ?? "";
            if (name.Length == 0)
            {
                errors.Add(FieldError.Required("spec.externalName"));
            }
            else if (NameValidation.IsDns1123Subdomain(name.TrimEnd('.')) is { Count: > 0 } problems)
            {
                errors.Add(FieldError.Invalid("spec.externalName", name, string.Join(", ", problems)));
            }
        }
        var ports = Ports(svc).ToList();
        if (ports.Count == 0 && !IsHeadless(svc) && type != ExternalName)
        {
            errors.Add(FieldError.Required("spec.ports"));
        }
        var names = new HashSet<string>();
        for (var i = 0; i < ports.Count; i++)
        {
            ValidatePort(ports[i], $"spec.ports[{i}]", ports.Count > 1, type, names, errors);
        }
        if (spec["sessionAffinity"]?.ToString() is { } affinity && !Affinities.Contains(affinity))
        {
            errors.Add(FieldError.NotSupported("spec.sessionAffinity", affinity, Affinities));
        }
        if (spec["externalTrafficPolicy"]?.ToString() is { } external)
        {
            if (type is not (NodePort or LoadBalancer))
            {
                errors.Add(FieldError.Invalid("spec.externalTrafficPolicy", external, "may only be set when `type` is 'NodePort' or 'LoadBalancer'"));
            }
            else if (!TrafficPolicies.Contains(external))
            {
                errors.Add(FieldError.NotSupported("spec.externalTrafficPolicy", external, TrafficPolicies));
            }
        }
        if (spec["internalTrafficPolicy"]?.ToString() is { } internalPolicy && !TrafficPolicies.Contains(internalPolicy))
        {
            errors.Add(FieldError.NotSupported("spec.internalTrafficPolicy", internalPolicy, TrafficPolicies));
        }
        if (spec["allocateLoadBalancerNodePorts"] is not null && type != LoadBalancer)
        {
            errors.Add(FieldError.Forbidden("spec.allocateLoadBalancerNodePorts", "may only be used when `type` is 'LoadBalancer'"));
        }
    }

    public static void ValidateUpdate(JsonObject svc, JsonObject old, List<FieldError> errors)
    {
        Validate(svc, errors);
        // Cluster IPs cannot change, unless the service changes to or from ExternalName; the secondary
        // one may be added, or released by a SingleStack policy.
        if (!NeedsClusterIp(svc) || !NeedsClusterIp(old) || (IsHeadless(svc) && IsHeadless(old)))
        {
            return;
        }
        var before = ClusterIps(old);
        var after = ClusterIps(svc);
        if (before.Count == after.Count)
        {
            for (var i = 0; i < before.Count; i++)
            {
                if (before[i] != after[i]) errors.Add(FieldError.Invalid($"spec.clusterIPs[{i}]", after[i], "may not change once set"));
            }
            return;
        }
        if (before.Count > 0 && after.Count > 0 && before[0] != after[0])
        {
            errors.Add(FieldError.Invalid("spec.clusterIPs[0]", after[0], "may not change once set"));
        }
        if (before.Count > after.Count && after.Count == 1 && Spec(svc)["ipFamilyPolicy"]?.ToString() != "SingleStack")
        {
            errors.Add(FieldError.Invalid("spec.ipFamilyPolicy", Spec(svc)["ipFamilyPolicy"]?.DeepClone(), "must be set to 'SingleStack' when releasing the secondary clusterIP"));
        }
    }

    private static void ValidateClusterIps(JsonObject svc, string type, List<FieldError> errors)
    {
        var spec = Spec(svc);
        var ips = ClusterIps(svc);
        if (type == ExternalName)
        {
            if (ips.Count > 0)
            {
                errors.Add(FieldError.Forbidden("spec.clusterIPs", "may not be set for ExternalName services"));
            }
            return;
        }
        if (spec["clusterIP"]?.ToString() is { Length: > 0 } primary && ips.Count > 0 && ips[0] != primary)
        {
            errors.Add(FieldError.Invalid("spec.clusterIPs", new JsonArray([.. ips.Select(ip => (JsonNode)ip)]), "first value must match `clusterIP`"));
        }
        var invalid = false;
        for (var i = 0; i < ips.Count; i++)
        {
            if (ips[i] == None && i == 0)
            {
                if (ips.Count > 1)
                {
                    invalid = true;
                    errors.Add(FieldError.Invalid("spec.clusterIPs", IpArray(ips), "'None' must be the first and only value"));
                }
                else if (type is NodePort or LoadBalancer)
                {
                    errors.Add(FieldError.Invalid($"spec.clusterIPs[{i}]", None, $"may not be set to 'None' for {type} services"));
                }
            }
            else if (!IPAddress.TryParse(ips[i], out _) || ips[i].Contains('%', StringComparison.Ordinal))
            {
                invalid = true;
                errors.Add(FieldError.Invalid($"spec.clusterIPs[{i}]", ips[i], "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
            }
        }
        if (ips.Count > 2)
        {
            errors.Add(FieldError.Invalid("spec.clusterIPs", IpArray(ips), "may only hold up to 2 values"));
        }
        else if (!invalid && ips.Count == 2 && ips[1] != None
            && Allocation.ServiceIpRange.FamilyNameOf(IPAddress.Parse(ips[0])) == Allocation.ServiceIpRange.FamilyNameOf(IPAddress.Parse(ips[1])))
        {
            errors.Add(FieldError.Invalid("spec.clusterIPs", IpArray(ips), "may specify no more than one IP for each IP family"));
        }
        var seen = new HashSet<string>();
        var families = (spec["ipFamilies"] as JsonArray ?? []).Select(f => f?.ToString() ?? "").ToList();
        for (var i = 0; i < families.Count; i++)
        {
            if (!IpFamilies.Contains(families[i]))
            {
                errors.Add(FieldError.NotSupported($"spec.ipFamilies[{i}]", families[i], IpFamilies));
            }
            if (!seen.Add(families[i]))
            {
                errors.Add(new FieldError(FieldErrorType.Duplicate, $"spec.ipFamilies[{i}]", JsonValue.Create(families[i]), ""));
            }
        }
        if (spec["ipFamilyPolicy"]?.ToString() is { } policy && !IpFamilyPolicies.Contains(policy))
        {
            errors.Add(FieldError.NotSupported("spec.ipFamilyPolicy", policy, IpFamilyPolicies));
        }
    }

    private static JsonArray IpArray(IEnumerable<string> ips) => new([.. ips.Select(ip => (JsonNode)ip)]);

    private static void ValidatePort(JsonObject port, string path, bool nameRequired, string type, HashSet<string> names, List<FieldError> errors)
    {
        var name = port["name"]?.ToString() ?? "";
        if (name.Length == 0)
        {
            if (nameRequired) errors.Add(FieldError.Required($"{path}.name"));
        }
        else if (NameValidation.IsDns1123Label(name) is { Count: > 0 } problems)
        {
            errors.Add(FieldError.Invalid($"{path}.name", name, string.Join(", ", problems)));
        }
        else if (!names.Add(name))
        {
            errors.Add(new FieldError(FieldErrorType.Duplicate, $"{path}.name", JsonValue.Create(name), ""));
        }
        var number = WorkloadValidation.Integer(port["port"]) ?? 0;
        if (number is < 1 or > 65535)
        {
            errors.Add(FieldError.Invalid($"{path}.port", JsonValue.Create(number), "must be between 1 and 65535, inclusive"));
        }
        var protocol = port["protocol"]?.ToString() ?? "";
        if (!Protocols.Contains(protocol))
        {
            errors.Add(FieldError.NotSupported($"{path}.protocol", protocol, Protocols));
        }
        if (port["targetPort"] is JsonValue target)
        {
            if (target.TryGetValue<string>(out var named))
            {
                if (!IsValidPortName(named))
                {
                    errors.Add(FieldError.Invalid($"{path}.targetPort", named, "must contain at least one letter (a-z), at most 15 characters, lowercase alphanumerics and '-'"));
                }
            }
            else if (WorkloadValidation.Integer(target) is not (>= 1 and <= 65535))
            {
                errors.Add(FieldError.Invalid($"{path}.targetPort", target.DeepClone(), "must be between 1 and 65535, inclusive"));
            }
        }
        var nodePort = WorkloadValidation.Integer(port["nodePort"]) ?? 0;
        if (nodePort != 0 && type == ClusterIP)
        {
            errors.Add(FieldError.Forbidden($"{path}.nodePort", "may not be used when `type` is 'ClusterIP'"));
        }
        else if (nodePort is < 0 or > 65535)
        {
            errors.Add(FieldError.Invalid($"{path}.nodePort", JsonValue.Create(nodePort), "must be between 1 and 65535, inclusive"));
        }
    }

    /// <summary>A service's name format, an RFC 1035 label: the problems, or none.</summary>
    public static IReadOnlyList<string> IsDns1035Label(string value)
    {
        var errors = new List<string>();
        if (value.Length > 63)
        {
            errors.Add("must be no more than 63 characters");
        }
        if (!Dns1035Label().IsMatch(value))
        {
            errors.Add("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')");
        }
        return errors;
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial System.Text.RegularExpressions.Regex Dns1035Label();

    // IANA service names: at most 15 lowercase alphanumerics and '-', at least one letter, no '--', no '-' at either end.
    private static bool IsValidPortName(string name) =>
        name.Length is > 0 and <= 15 && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
        && name.Any(char.IsAsciiLetterLower) && !name.StartsWith('-') && !name.EndsWith('-') && !name.Contains("--", StringComparison.Ordinal);
}
