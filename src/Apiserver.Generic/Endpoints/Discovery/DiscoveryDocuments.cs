using System.Text.Json.Nodes;

namespace Apiserver.Generic.Endpoints.Discovery;

/// <summary>The discovery documents of <c>/api</c>, <c>/apis</c>, <c>/apis/&lt;group&gt;</c> and each group version.</summary>
public static class DiscoveryDocuments
{
    /// <summary><c>/api</c>: the core group's versions (<c>APIVersions</c>).</summary>
    public static JsonObject CoreVersions(IEnumerable<ApiGroupDiscovery> groups, string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray([.. groups.Where(g => g.Name.Length == 0).SelectMany(g => g.Versions).Select(v => (JsonNode)v.Version)]),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    /// <summary><c>/apis</c>: every named group (<c>APIGroupList</c>).</summary>
    public static JsonObject GroupList(IEnumerable<ApiGroupDiscovery> groups) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray([.. groups.Where(g => g.Name.Length > 0).Select(g => (JsonNode)GroupBody(g))]),
    };

    /// <summary><c>/apis/&lt;group&gt;</c>: one group (<c>APIGroup</c>).</summary>
    public static JsonObject Group(ApiGroupDiscovery group)
    {
        var body = GroupBody(group);
        var doc = new JsonObject { ["kind"] = "APIGroup", ["apiVersion"] = "v1" };
        foreach (var (k, v) in body.ToList())
        {
            body.Remove(k);
            doc[k] = v;
        }
        return doc;
    }

    /// <summary><c>/api/v1</c> or <c>/apis/&lt;group&gt;/&lt;version&gt;</c>: the resources (<c>APIResourceList</c>).</summary>
    public static JsonObject ResourceList(string group, ApiVersionDiscovery version)
    {
        var resources = new JsonArray();
        foreach (var r in version.Resources)
        {
            var json = new JsonObject
            {
                ["name"] = r.Name,
                ["singularName"] = r.SingularName,
                ["namespaced"] = r.Namespaced,
                ["kind"] = r.Kind,
                ["verbs"] = new JsonArray([.. r.Verbs.Select(v => (JsonNode)v)]),
            };
            // A kind from another group version (autoscaling/v1 Scale for deployments/scale) is named with it.
            if ((r.KindGroup ?? group) != group || (r.KindVersion ?? version.Version) != version.Version)
            {
                json["group"] = r.KindGroup;
                json["version"] = r.KindVersion;
            }
            if (r.ShortNames.Count > 0) json["shortNames"] = new JsonArray([.. r.ShortNames.Select(s => (JsonNode)s)]);
            if (r.Categories.Count > 0) json["categories"] = new JsonArray([.. r.Categories.Select(s => (JsonNode)s)]);
            resources.Add(json);
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version.Version : $"{group}/{version.Version}",
            ["resources"] = resources,
        };
    }

    private static JsonObject GroupBody(ApiGroupDiscovery group)
    {
        JsonObject Entry(ApiVersionDiscovery v) => new() { ["groupVersion"] = $"{group.Name}/{v.Version}", ["version"] = v.Version };
        return new JsonObject
        {
            ["name"] = group.Name,
            ["versions"] = new JsonArray([.. group.Versions.Select(v => (JsonNode)Entry(v))]),
            ["preferredVersion"] = Entry(group.Versions[0]),
        };
    }
}
