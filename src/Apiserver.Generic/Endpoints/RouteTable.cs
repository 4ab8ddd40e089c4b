using System.Collections.Immutable;
using Apiserver.Generic.Endpoints.Discovery;
using Apiserver.Generic.Registry.Rest;

namespace Apiserver.Generic.Endpoints;

/// <summary>
/// An immutable snapshot of a server's installed resources and their discovery. Installing or
/// removing a group builds a new snapshot that replaces the old one atomically, so a request
/// always sees one consistent table.
/// </summary>
internal sealed class RouteTable
{
    public static RouteTable Empty { get; } = new(ImmutableDictionary<(string, string, string, string), ResourceEndpoint>.Empty, []);

    private RouteTable(ImmutableDictionary<(string Group, string Version, string Resource, string Subresource), ResourceEndpoint> endpoints, ImmutableList<ApiGroupDiscovery> groups)
    {
        Endpoints = endpoints;
        Groups = groups;
    }

    public ImmutableDictionary<(string Group, string Version, string Resource, string Subresource), ResourceEndpoint> Endpoints { get; }

    public ImmutableList<ApiGroupDiscovery> Groups { get; }

    public ResourceEndpoint? Find(RequestInfo info) =>
        Endpoints.GetValueOrDefault((info.ApiGroup, info.ApiVersion, info.Resource, info.Subresource));

    public RouteTable With(string group, IReadOnlyList<(string Version, IReadOnlyList<ResourceEndpoint> Endpoints)> versions)
    {
        var without = Without(group);
        var endpoints = without.Endpoints.ToBuilder();
        foreach (var (version, list) in versions)
        {
            foreach (var endpoint in list)
            {
                endpoints[(group, version, endpoint.Storage.Names.Plural, (endpoint.Storage as ISubresourceStorage)?.Subresource ?? "")] = endpoint;
            }
        }
        // kube-apiserver's installer registers a version's storage paths sorted (byte-wise), so
        // discovery lists resources by name with each subresource right after its parent.
        var discovery = new ApiGroupDiscovery(group, [.. versions.Select(v => new ApiVersionDiscovery(v.Version,
            [.. v.Endpoints.Select(e => e.Discovery).OrderBy(d => d.Name, StringComparer.Ordinal)]))]);
        return new RouteTable(endpoints.ToImmutable(), without.Groups.Add(discovery));
    }

    public RouteTable Without(string group) => new(
        Endpoints.RemoveRange(Endpoints.Keys.Where(k => k.Group == group)),
        Groups.RemoveAll(g => g.Name == group));
}
