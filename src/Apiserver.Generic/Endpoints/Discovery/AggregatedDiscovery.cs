using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Apiserver.Generic.Endpoints.Discovery;

/// <summary>
/// Aggregated discovery (<c>apidiscovery.k8s.io</c> <c>APIGroupDiscoveryList</c>): every group, version
/// and resource of <c>/api</c> or <c>/apis</c> in one document, which kubectl asks for first.
/// </summary>
public static class AggregatedDiscovery
{
    /// <summary>The version the client accepts an aggregated document in (<c>v2</c> or <c>v2beta1</c>), or null.</summary>
    public static string? AcceptedVersion(HttpRequest request)
    {
        foreach (var range in request.Headers.Accept.ToString().Split(','))
        {
            var parameters = range.Split(';', StringSplitOptions.TrimEntries).Skip(1)
                .Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
            if (parameters.GetValueOrDefault("as") == "APIGroupDiscoveryList" && parameters.GetValueOrDefault("g") == "apidiscovery.k8s.io"
                && parameters.GetValueOrDefault("v") is "v2" or "v2beta1")
            {
                return parameters["v"];
            }
        }
        return null;
    }

    /// <summary>The media type of a response in <paramref name="version"/>.</summary>
    public static string MediaType(string version) => $"application/json;g=apidiscovery.k8s.io;v={version};as=APIGroupDiscoveryList";

    /// <summary>The document for the core group (<paramref name="core"/>) or the named groups.</summary>
    public static JsonObject Document(IEnumerable<ApiGroupDiscovery> groups, bool core, string version) => new()
    {
        ["kind"] = "APIGroupDiscoveryList",
        ["apiVersion"] = $"apidiscovery.k8s.io/{version}",
        ["metadata"] = new JsonObject(),
        ["items"] = new JsonArray([.. groups.Where(g => (g.Name.Length == 0) == core).Select(g => (JsonNode)Group(g))]),
    };

    private static JsonObject Group(ApiGroupDiscovery group) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = group.Name },
        ["versions"] = new JsonArray([.. group.Versions.Select(v => (JsonNode)new JsonObject
        {
            ["version"] = v.Version,
            ["resources"] = new JsonArray([.. Resources(group.Name, v)]),
            ["freshness"] = "Current",
        })]),
    };

    private static IEnumerable<JsonNode> Resources(string group, ApiVersionDiscovery version)
    {
        var all = version.Resources;
        foreach (var resource in all.Where(r => !r.Name.Contains('/')))
        {
            var json = new JsonObject
            {
                ["resource"] = resource.Name,
                ["responseKind"] = Kind(group, version.Version, resource.Kind),
                ["scope"] = resource.Namespaced ? "Namespaced" : "Cluster",
                ["singularResource"] = resource.SingularName,
                ["verbs"] = Strings(resource.Verbs),
            };
            if (resource.ShortNames.Count > 0) json["shortNames"] = Strings(resource.ShortNames);
            if (resource.Categories.Count > 0) json["categories"] = Strings(resource.Categories);
            var subresources = all.Where(s => s.Name.StartsWith(resource.Name + "/", StringComparison.Ordinal)).ToList();
            if (subresources.Count > 0)
            {
                json["subresources"] = new JsonArray([.. subresources.Select(s => (JsonNode)new JsonObject
                {
                    ["subresource"] = s.Name[(resource.Name.Length + 1)..],
                    ["responseKind"] = Kind(s.KindGroup ?? group, s.KindVersion ?? version.Version, s.Kind),
                    ["verbs"] = Strings(s.Verbs),
                })]);
            }
            yield return json;
        }
    }

    private static JsonObject Kind(string group, string version, string kind) => new() { ["group"] = group, ["version"] = version, ["kind"] = kind };

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);
}
