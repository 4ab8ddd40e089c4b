using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Storage;
using Apiserver.Kube.Controllers;
using Apiserver.Kube.Registry.Core.Services;
using Apiserver.Kube.Registry.Core.Services.Allocation;
using Microsoft.Extensions.Logging.Abstractions;
using ListOptions = Apiserver.Generic.Registry.Rest.ListOptions;

namespace Apiserver.Kube.Tests.Registry.Core.Services;

/// <summary>
/// Allocators over a real store with the default ServiceCIDR in place, as the server has it once its
/// <c>kubernetes-service-cidr-controller</c> ran: kube 1.34 allocates cluster IPs only from ServiceCIDRs.
/// </summary>
internal static class ServiceNetworks
{
    /// <summary>The allocators of <paramref name="network"/> over <paramref name="storage"/>, with the default ServiceCIDR created.</summary>
    public static async Task<ServiceAllocators> AllocatorsAsync(ServiceNetworkConfig network, IStorage storage)
    {
        var allocators = new ServiceAllocators(network, storage, "/registry");
        await new DefaultServiceCidrController(new Apiserver.Generic.Registry.Generic.GenericStore(Apiserver.Kube.Registry.Networking.ServiceCidrs.ServiceCidrResource.Definition, storage), network, NullLogger.Instance)
            .ReconcileAsync(CancellationToken.None);
        return allocators;
    }

    /// <summary>The names of the IPAddress objects of <paramref name="family"/> (all when null), sorted.</summary>
    public static async Task<List<string>> AllocatedAsync(ServiceAllocators allocators, string? family = null)
    {
        var list = await allocators.ClusterIps.IpAddresses.ListAsync(new RequestContext(""), new ListOptions(), CancellationToken.None);
        return [.. (list["items"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(a => family is null || a.Metadata()["labels"]?[ClusterIpAllocator.FamilyLabel]?.ToString() == family)
            .Select(a => a.GetName())
            .Order(StringComparer.Ordinal)];
    }
}
