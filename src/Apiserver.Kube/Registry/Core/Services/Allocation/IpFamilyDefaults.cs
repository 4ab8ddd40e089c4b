using System.Net;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using static Apiserver.Kube.Registry.Core.Services.ServiceFields;

namespace Apiserver.Kube.Registry.Core.Services.Allocation;

/// <summary>
/// kube's <c>initIPFamilyFields</c> (<c>pkg/registry/core/service/storage/alloc.go</c>): settles a
/// service's <c>ipFamilyPolicy</c> and <c>ipFamilies</c> against the families the cluster serves,
/// before its cluster IPs are allocated. Rejects, with kube's 422, what this cluster cannot give.
/// </summary>
internal sealed class IpFamilyDefaults(ServiceAllocators allocators)
{
    public const string SingleStack = "SingleStack", PreferDualStack = "PreferDualStack", RequireDualStack = "RequireDualStack";

    /// <summary>Fills in the policy and families of <paramref name="svc"/>; <paramref name="old"/> is the stored object on update.</summary>
    public void Apply(JsonObject svc, JsonObject? old)
    {
        var spec = Spec(svc);
        var families = Families(svc);
        var ips = ClusterIps(svc).ToList();
        // Downgrade on update: a SingleStack service that still carries the old secondary IP or family drops it.
        if (old is not null && spec["ipFamilyPolicy"]?.ToString() == SingleStack)
        {
            if (ips.Count > 1 && ips.SequenceEqual(ClusterIps(old)))
            {
                ips = [ips[0]];
                spec["clusterIPs"] = new JsonArray(ips[0]);
            }
            if (families.Count > 1 && families.SequenceEqual(Families(old)))
            {
                families = [families[0]];
            }
        }
        // Two of either means dual-stack was asked for; anything else is single-stack, never a silent switch.
        var policy = spec["ipFamilyPolicy"]?.ToString() ?? (families.Count == 2 || ips.Count == 2 ? RequireDualStack : SingleStack);
        spec["ipFamilyPolicy"] = policy;
        var primary = allocators.IpRange.FamilyName;

        // Headless without a selector allocates nothing: its families are not held to the cluster's.
        if (ips is [None] && Spec(svc)["selector"] is not JsonObject { Count: > 0 })
        {
            if (families.Count == 0) families.Add(primary);
            if (policy != SingleStack && families.Count == 1) families.Add(Other(families[0]));
            spec["ipFamilies"] = Array(families);
            return;
        }
        if (policy == RequireDualStack && !allocators.DualStack)
        {
            throw Invalid(svc, FieldError.Invalid("spec.ipFamilyPolicy", policy, "this cluster is not configured for dual-stack services"));
        }
        for (var i = 0; i < families.Count; i++)
        {
            if (allocators.Family(families[i]) is null)
            {
                throw Invalid(svc, FieldError.Invalid($"spec.ipFamilies[{i}]", families[i], "not configured on this cluster"));
            }
        }
        // Families the client left out follow its cluster IPs.
        for (var i = 0; i < ips.Count && ips[i] != None; i++)
        {
            var family = ServiceIpRange.FamilyNameOf(IPAddress.Parse(ips[i]));
            if (i < families.Count)
            {
                continue;
            }
            if (allocators.Family(family) is null)
            {
                throw Invalid(svc, FieldError.Invalid($"spec.clusterIPs[{i}]", Array(ips), $"{family} is not configured on this cluster"));
            }
            families.Add(family);
        }
        if (families.Count == 0) families.Add(primary);
        if (policy != SingleStack && families.Count == 1 && allocators.DualStack) families.Add(Other(families[0]));

        var errors = new List<FieldError>();
        if (policy == SingleStack && ips.Count > 1)
        {
            errors.Add(FieldError.Invalid("spec.ipFamilyPolicy", policy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"));
        }
        if (policy == SingleStack && families.Count > 1)
        {
            errors.Add(FieldError.Invalid("spec.ipFamilyPolicy", policy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
        }
        for (var i = 0; i < Math.Min(ips.Count, families.Count) && ips[i] != None; i++)
        {
            if (ServiceIpRange.FamilyNameOf(IPAddress.Parse(ips[i])) != families[i])
            {
                errors.Add(FieldError.Invalid($"spec.clusterIPs[{i}]", ips[i], $"expected an {families[i]} value as indicated by `ipFamilies[{i}]`"));
            }
        }
        if (errors.Count > 0)
        {
            throw StatusException.Invalid(ServiceResource.Definition.Kind, svc.GetName(), errors);
        }
        spec["ipFamilies"] = Array(families);
    }

    private static List<string> Families(JsonObject svc) => [.. (Spec(svc)["ipFamilies"] as JsonArray ?? []).Select(f => f?.ToString() ?? "")];

    private static string Other(string family) => family == "IPv4" ? "IPv6" : "IPv4";

    private static JsonArray Array(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);

    private static StatusException Invalid(JsonObject svc, FieldError error) =>
        StatusException.Invalid(ServiceResource.Definition.Kind, svc.GetName(), [error]);
}
