using System.Text.Json.Nodes;
using NUnit.Framework;

namespace KubeApiserver.Tests.Http;

/// <summary>
/// The order of resources in discovery, as kube-apiserver 1.34 gives it: its installer registers a
/// group version's storage paths sorted byte-wise, so <c>/api/v1</c> and <c>/apis/&lt;g&gt;/&lt;v&gt;</c>
/// list resources by name with each subresource right after its parent, and aggregated discovery keeps
/// that order for resources and for each resource's subresources.
/// </summary>
[TestFixture]
public sealed class DiscoveryOrderTests : ServerFixture
{
    // `kubectl get --raw /api/v1` of kube-apiserver 1.34, resource names in the order listed.
    private static readonly string[] KubeCoreV1 =
    [
        "bindings", "componentstatuses", "configmaps", "endpoints", "events", "limitranges",
        "namespaces", "namespaces/finalize", "namespaces/status", "nodes", "nodes/proxy", "nodes/status",
        "persistentvolumeclaims", "persistentvolumeclaims/status", "persistentvolumes", "persistentvolumes/status",
        "pods", "pods/attach", "pods/binding", "pods/ephemeralcontainers", "pods/eviction", "pods/exec", "pods/log",
        "pods/portforward", "pods/proxy", "pods/resize", "pods/status", "podtemplates",
        "replicationcontrollers", "replicationcontrollers/scale", "replicationcontrollers/status",
        "resourcequotas", "resourcequotas/status", "secrets", "serviceaccounts", "serviceaccounts/token",
        "services", "services/proxy", "services/status",
    ];

    private static readonly string[] KubeAppsV1 =
    [
        "controllerrevisions", "daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status",
        "replicasets", "replicasets/scale", "replicasets/status", "statefulsets", "statefulsets/scale", "statefulsets/status",
    ];

    private async Task<List<string>> LegacyNamesAsync(string path) =>
        [.. (await Http.SendAsync(HttpMethod.Get, path)).Body["resources"]!.AsArray().Select(r => r!["name"]!.ToString())];

    private async Task<IEnumerable<string>> GroupVersionPathsAsync()
    {
        var groups = (await Http.SendAsync(HttpMethod.Get, "/apis")).Body["groups"]!.AsArray();
        return groups.SelectMany(g => g!["versions"]!.AsArray().Select(v => "/apis/" + v!["groupVersion"]!.ToString())).Prepend("/api/v1");
    }

    [Test]
    public async Task CoreV1_ListsItsResourcesInKubesOrder()
    {
        var names = await LegacyNamesAsync("/api/v1");
        Assert.That(names, Is.SubsetOf(KubeCoreV1), "every core resource served is one kube serves");
        Assert.That(names, Is.EqualTo(KubeCoreV1.Where(names.Contains)), "in the order kube lists them");
        Assert.That(names, Does.Contain("pods/eviction").And.Contain("pods/resize").And.Contain("serviceaccounts/token").And.Contain("bindings"));
    }

    [Test]
    public async Task AppsV1_ListsKubesResourcesInKubesOrder()
    {
        Assert.That(await LegacyNamesAsync("/apis/apps/v1"), Is.EqualTo(KubeAppsV1));
    }

    [Test]
    public async Task EveryGroupVersion_ListsResourcesSortedByPath()
    {
        var paths = (await GroupVersionPathsAsync()).ToList();
        Assert.That(paths, Has.Count.GreaterThan(15));
        foreach (var path in paths)
        {
            var names = await LegacyNamesAsync(path);
            Assert.That(names, Is.EqualTo(names.Order(StringComparer.Ordinal)), path);
        }
    }

    [Test]
    public async Task AggregatedDiscovery_KeepsTheSortedOrderForResourcesAndSubresources()
    {
        var documents = new List<JsonNode>();
        foreach (var path in new[] { "/api", "/apis" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.TryAddWithoutValidation("Accept", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
            documents.Add(JsonNode.Parse(await (await Http.SendAsync(request)).Content.ReadAsStringAsync())!);
        }
        var versions = documents.SelectMany(d => d["items"]!.AsArray())
            .SelectMany(g => g!["versions"]!.AsArray().Select(v => (Name: $"{g!["metadata"]!["name"]}/{v!["version"]}", Resources: v["resources"]!.AsArray())))
            .ToList();
        Assert.That(versions, Has.Count.GreaterThan(15));
        foreach (var (name, resources) in versions)
        {
            var flattened = resources.SelectMany(r => (r!["subresources"] as JsonArray ?? [])
                .Select(s => $"{r["resource"]}/{s!["subresource"]}").Prepend(r["resource"]!.ToString())).ToList();
            Assert.That(flattened, Is.EqualTo(await LegacyNamesAsync(name.StartsWith('/') ? "/api" + name : "/apis/" + name)), name);
        }
        var apps = versions.Single(v => v.Name == "apps/v1").Resources;
        Assert.That(apps.Select(r => r!["resource"]!.ToString()), Is.EqualTo(new[] { "controllerrevisions", "daemonsets", "deployments", "replicasets", "statefulsets" }));
        Assert.That(apps.Single(r => r!["resource"]!.ToString() == "deployments")!["subresources"]!.AsArray().Select(s => s!["subresource"]!.ToString()),
            Is.EqualTo(new[] { "scale", "status" }));
    }
}
