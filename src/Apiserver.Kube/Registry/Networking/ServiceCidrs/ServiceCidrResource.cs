using System.Net.Sockets;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Networking.ServiceCidrs;

/// <summary>
/// The <c>servicecidrs</c> resource of networking.k8s.io/v1 (cluster-scoped, GA in 1.33), with a
/// <c>status</c> subresource. As kube's <c>ValidateServiceCIDR</c>: one or two CIDRs in canonical
/// form, two only when they are one of each IP family. The CIDRs never change, except that a
/// single-family range may gain a CIDR of the other family (kube 1.33's dual-stack upgrade).
/// </summary>
public static class ServiceCidrResource
{
    private const string Cidrs = "spec.cidrs";

    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("networking.k8s.io", "v1", "ServiceCIDR"), "servicecidrs", "servicecidr", Namespaced: false),
        new Strategy())
    {
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1ServiceCIDR)),
        Typed = true,
        StatusSubresource = true,
        Columns =
        [
            TableColumn.NameColumn,
            new("CIDRs", "string", "CIDRs defines the IP blocks in CIDR notation (e.g. \"192.168.0.0/24\" or \"2001:db8::/64\") from which to assign service cluster IPs. Max of two CIDRs is allowed, one of each IP family. This field is immutable.",
                obj => string.Join(",", CidrsOf(obj))),
            TableColumn.AgeColumn,
        ],
    };

    private static List<string> CidrsOf(JsonObject obj) =>
        [.. (obj["spec"]?["cidrs"] as JsonArray ?? []).Select(c => c?.ToString() ?? "")];

    private sealed class Strategy : IRestStrategy
    {
        public void Validate(JsonObject obj, List<FieldError> errors)
        {
            var cidrs = CidrsOf(obj);
            if (cidrs.Count == 0)
            {
                errors.Add(FieldError.Required(Cidrs, "at least one CIDR required"));
                return;
            }
            if (cidrs.Count > 2)
            {
                errors.Add(FieldError.Invalid(Cidrs, obj["spec"]?.DeepClone(), "may only hold up to 2 values"));
                return;
            }
            if (cidrs.Count == 2 && !IsDualStack(cidrs[0], cidrs[1]))
            {
                errors.Add(FieldError.Invalid(Cidrs, obj["spec"]?.DeepClone(), "may specify no more than one IP for each IP family, i.e 192.168.0.0/24 and 2001:db8::/64"));
                return;
            }
            for (var i = 0; i < cidrs.Count; i++)
            {
                errors.AddRange(IpFormats.ValidateCidr(cidrs[i]).Select(m => FieldError.Invalid($"{Cidrs}[{i}]", cidrs[i], m)));
            }
        }

        public void ValidateUpdate(JsonObject obj, JsonObject old, List<FieldError> errors)
        {
            var (now, before) = (CidrsOf(obj), CidrsOf(old));
            if (now.Count == before.Count)
            {
                for (var i = 0; i < now.Count; i++)
                {
                    if (now[i] != before[i])
                    {
                        errors.Add(FieldError.Immutable($"{Cidrs}[{i}]", now[i]));
                    }
                }
            }
            else if (before.Count == 1 && now.Count == 2)
            {
                // Upgrading to dual-stack: the existing CIDR stays, the added one must be valid.
                if (now[0] != before[0])
                {
                    errors.Add(FieldError.Immutable($"{Cidrs}[0]", now[0]));
                }
                Validate(obj, errors);
            }
            else
            {
                errors.Add(FieldError.Immutable(Cidrs, obj["spec"]?["cidrs"]?.DeepClone()));
            }
        }

        private static bool IsDualStack(string a, string b) =>
            IpFormats.CidrFamily(a) is { } first && IpFormats.CidrFamily(b) is { } second && first != second
            && first is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6;
    }
}
