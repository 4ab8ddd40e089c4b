using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Apiserver.Generic.Api;
using Apiserver.Generic.Validation;

namespace Apiserver.Kube.Registry.Networking.Ingresses;

/// <summary>
/// kube's <c>ValidateIngressSpec</c> (the main rules): a default backend or rules; hosts that are
/// (wildcard) DNS names, not IPs; HTTP paths with a supported pathType, absolute and free of
/// <c>//</c>, <c>/./</c>, <c>/../</c>; backends naming exactly one of a service (with a port name or
/// number) and a resource; TLS hosts and secret names; a class name, not also the legacy annotation.
/// </summary>
internal static partial class IngressValidation
{
    private const string ClassAnnotation = "kubernetes.io/ingress.class";
    private static readonly string[] PathTypes = ["Exact", "ImplementationSpecific", "Prefix"];
    private static readonly string[] InvalidSequences = ["//", "/./", "/../", "%2f", "%2F"];
    private static readonly string[] InvalidSuffixes = ["/..", "/."];

    /// <summary>The rules; <paramref name="create"/> adds the create-only one (class name beside the legacy annotation).</summary>
    public static void Validate(JsonObject obj, bool create, List<FieldError> errors)
    {
        var spec = obj["spec"] as JsonObject ?? [];
        var rules = spec["rules"] as JsonArray ?? [];
        if (rules.Count == 0 && spec["defaultBackend"] is null)
        {
            errors.Add(FieldError.Invalid("spec", "null", "either `defaultBackend` or `rules` must be specified"));
        }
        if (spec["defaultBackend"] is JsonObject defaultBackend)
        {
            Backend(defaultBackend, "spec.defaultBackend", errors);
        }
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i] as JsonObject ?? [];
            if (rule["host"]?.ToString() is { Length: > 0 } host)
            {
                Host(host, $"spec.rules[{i}].host", errors);
            }
            if (rule["http"] is JsonObject http)
            {
                var paths = http["paths"] as JsonArray ?? [];
                if (paths.Count == 0)
                {
                    errors.Add(FieldError.Required($"spec.rules[{i}].http.paths"));
                }
                for (var j = 0; j < paths.Count; j++)
                {
                    Path(paths[j] as JsonObject ?? [], $"spec.rules[{i}].http.paths[{j}]", errors);
                }
            }
        }
        var tls = spec["tls"] as JsonArray ?? [];
        for (var i = 0; i < tls.Count; i++)
        {
            var hosts = tls[i]?["hosts"] as JsonArray ?? [];
            for (var j = 0; j < hosts.Count; j++)
            {
                Host(hosts[j]?.ToString() ?? "", $"spec.tls[{i}].hosts[{j}]", errors);
            }
            if (tls[i]?["secretName"]?.ToString() is { Length: > 0 } secret)
            {
                errors.AddRange(NameValidation.IsDns1123Subdomain(secret).Select(m => FieldError.Invalid($"spec.tls[{i}].secretName", secret, m)));
            }
        }
        if (spec["ingressClassName"]?.ToString() is { } className)
        {
            errors.AddRange(NameValidation.IsDns1123Subdomain(className).Select(m => FieldError.Invalid("spec.ingressClassName", className, m)));
            if (create && obj.Metadata()["annotations"]?[ClassAnnotation] is { } annotated)
            {
                errors.Add(FieldError.Invalid($"annotations.{ClassAnnotation}", annotated.ToString(), "can not be set when the class field is also set"));
            }
        }
    }

    private static void Host(string host, string path, List<FieldError> errors)
    {
        if (IPAddress.TryParse(host, out _))
        {
            errors.Add(FieldError.Invalid(path, host, "must be a DNS name, not an IP address"));
        }
        var problems = host.StartsWith("*.", StringComparison.Ordinal)
            ? NameValidation.IsDns1123Subdomain(host[2..]).Select(_ => "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
            : NameValidation.IsDns1123Subdomain(host);
        errors.AddRange(problems.Distinct().Select(m => FieldError.Invalid(path, host, m)));
    }

    private static void Path(JsonObject httpPath, string at, List<FieldError> errors)
    {
        var value = httpPath["path"]?.ToString() ?? "";
        switch (httpPath["pathType"]?.ToString())
        {
            case null:
                errors.Add(FieldError.Required($"{at}.pathType", "pathType must be specified"));
                return;
            case "Exact" or "Prefix":
                if (!value.StartsWith('/'))
                {
                    errors.Add(FieldError.Invalid($"{at}.path", value, "must be an absolute path"));
                }
                errors.AddRange(InvalidSequences.Where(value.Contains).Select(s => FieldError.Invalid($"{at}.path", value, $"must not contain '{s}'")));
                errors.AddRange(InvalidSuffixes.Where(s => value.EndsWith(s, StringComparison.Ordinal)).Select(s => FieldError.Invalid($"{at}.path", value, $"cannot end with '{s}'")));
                break;
            case "ImplementationSpecific":
                if (value.Length > 0 && !value.StartsWith('/'))
                {
                    errors.Add(FieldError.Invalid($"{at}.path", value, "must be an absolute path"));
                }
                break;
            case var other:
                errors.Add(FieldError.NotSupported($"{at}.pathType", other, PathTypes));
                break;
        }
        Backend(httpPath["backend"] as JsonObject ?? [], $"{at}.backend", errors);
    }

    private static void Backend(JsonObject backend, string at, List<FieldError> errors)
    {
        var service = backend["service"] as JsonObject;
        var resource = backend["resource"] as JsonObject;
        if (service is not null && resource is not null)
        {
            errors.Add(FieldError.Invalid(at, "", "cannot set both resource and service backends"));
            return;
        }
        if (resource is not null)
        {
            foreach (var field in new[] { "kind", "name" })
            {
                var value = resource[field]?.ToString() ?? "";
                if (value.Length == 0) errors.Add(FieldError.Required($"{at}.resource.{field}"));
                else errors.AddRange(NameValidation.IsValidPathSegmentName(value).Select(m => FieldError.Invalid($"{at}.resource.{field}", value, m)));
            }
            return;
        }
        if (service is null)
        {
            errors.Add(FieldError.Invalid(at, "", "resource or service backend is required"));
            return;
        }
        var name = service["name"]?.ToString() ?? "";
        if (name.Length == 0)
        {
            errors.Add(FieldError.Required($"{at}.service.name"));
        }
        else if (!Dns1035Label().IsMatch(name) || name.Length > 63)
        {
            errors.Add(FieldError.Invalid($"{at}.service.name", name, name.Length > 63 ? "must be no more than 63 characters"
                : "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"));
        }
        var portName = service["port"]?["name"]?.ToString() ?? "";
        var portNumber = service["port"]?["number"] is JsonValue n && n.TryGetValue<int>(out var number) ? number : 0;
        if (portName.Length > 0 && portNumber != 0)
        {
            errors.Add(FieldError.Invalid(at, "", "cannot set both port name & port number"));
        }
        else if (portName.Length > 0)
        {
            errors.AddRange(PortName(portName).Select(m => FieldError.Invalid($"{at}.service.port.name", portName, m)));
        }
        else if (portNumber != 0)
        {
            if (portNumber is < 1 or > 65535)
            {
                errors.Add(FieldError.Invalid($"{at}.service.port.number", JsonValue.Create(portNumber), "must be between 1 and 65535, inclusive"));
            }
        }
        else
        {
            errors.Add(FieldError.Required(at, "port name or number is required"));
        }
    }

    /// <summary>kube's <c>IsValidPortName</c> (an IANA service name).</summary>
    private static IEnumerable<string> PortName(string name)
    {
        if (name.Length > 15) yield return "must be no more than 15 characters";
        if (!PortNameCharacters().IsMatch(name)) yield return "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)";
        if (!name.Any(char.IsAsciiLetterLower)) yield return "must contain at least one letter (a-z)";
        if (name.Contains("--", StringComparison.Ordinal)) yield return "must not contain consecutive hyphens";
        if (name.StartsWith('-') || name.EndsWith('-')) yield return "must not begin or end with a hyphen";
    }

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1035Label();

    [GeneratedRegex("^[-a-z0-9]+$")]
    private static partial Regex PortNameCharacters();
}
