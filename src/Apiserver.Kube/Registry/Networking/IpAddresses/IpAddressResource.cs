using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Validation;
using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Networking.IpAddresses;

/// <summary>
/// The <c>ipaddresses</c> resource of networking.k8s.io/v1 (cluster-scoped, GA in 1.33). As kube's
/// <c>ValidateIPAddress</c>: the name is an IP address in canonical form, and a parent reference
/// with a resource and a name (and a valid group and namespace when given) is required and never changes.
/// </summary>
public static class IpAddressResource
{
    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("networking.k8s.io", "v1", "IPAddress"), "ipaddresses", "ipaddress", Namespaced: false),
        new Strategy())
    {
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1IPAddress)),
        Typed = true,
        ShortNames = ["ip"],
        // kube's printer declares no AGE column for IP addresses.
        Columns =
        [
            TableColumn.NameColumn,
            new("ParentRef", "string", "ParentRef references the resource that an IPAddress is attached to. An IPAddress must reference a parent object.", ParentRef),
        ],
    };

    // kube's printer: group-qualified resource, then the namespace when set, then the name.
    private static JsonNode ParentRef(JsonObject obj)
    {
        if (obj["spec"]?["parentRef"] is not JsonObject parent)
        {
            return "<none>";
        }
        var resource = parent["resource"]?.ToString() ?? "";
        var group = parent["group"]?.ToString() ?? "";
        var text = (group.Length == 0 ? resource : $"{resource}.{group}").ToLowerInvariant();
        if (parent["namespace"]?.ToString() is { Length: > 0 } ns)
        {
            text += "/" + ns;
        }
        return $"{text}/{parent["name"]}";
    }

    private sealed class Strategy : IRestStrategy
    {
        public IReadOnlyList<string> ValidateName(string name) => IpFormats.ValidateIp(name);

        public void Validate(JsonObject obj, List<FieldError> errors)
        {
            const string path = "spec.parentRef";
            if (obj["spec"]?["parentRef"] is not JsonObject parent)
            {
                errors.Add(FieldError.Required(path));
                return;
            }
            // The core group of Services is empty, so the group itself cannot be required.
            if (parent["group"]?.ToString() is { Length: > 0 } group)
            {
                errors.AddRange(NameValidation.IsDns1123Subdomain(group).Select(m => FieldError.Invalid($"{path}.group", group, m)));
            }
            foreach (var field in new[] { "resource", "name" })
            {
                var value = parent[field]?.ToString() ?? "";
                if (value.Length == 0)
                {
                    errors.Add(FieldError.Required($"{path}.{field}"));
                }
                else
                {
                    errors.AddRange(NameValidation.IsValidPathSegmentName(value).Select(m => FieldError.Invalid($"{path}.{field}", value, m)));
                }
            }
            if (parent["namespace"]?.ToString() is { Length: > 0 } ns)
            {
                errors.AddRange(NameValidation.IsValidPathSegmentName(ns).Select(m => FieldError.Invalid($"{path}.namespace", ns, m)));
            }
        }

        public void ValidateUpdate(JsonObject obj, JsonObject old, List<FieldError> errors)
        {
            Validate(obj, errors);
            var parent = obj["spec"]?["parentRef"];
            if (!JsonNode.DeepEquals(parent, old["spec"]?["parentRef"]))
            {
                errors.Add(FieldError.Immutable("spec.parentRef", parent?.DeepClone()));
            }
        }
    }
}
