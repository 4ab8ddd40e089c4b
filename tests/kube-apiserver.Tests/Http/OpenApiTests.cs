using System.Net;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using NUnit.Framework;

namespace KubeApiserver.Tests.Http;

/// <summary>The published OpenAPI documents, read by a generic OpenAPI reader (Microsoft.OpenApi).</summary>
[TestFixture]
public sealed class OpenApiTests : ServerFixture
{
    private async Task<string> GetTextAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
        return await response.Content.ReadAsStringAsync();
    }

    [Test]
    public async Task EveryV3Document_ReadsWithoutErrors()
    {
        var index = System.Text.Json.Nodes.JsonNode.Parse(await GetTextAsync("/openapi/v3"))!;
        var paths = index["paths"]!.AsObject().Select(p => p.Value!["serverRelativeURL"]!.ToString()).ToList();
        Assert.That(paths, Has.Some.Contains("api/v1").And.Some.Contains("apis/rbac.authorization.k8s.io/v1"));
        foreach (var url in paths)
        {
            var (document, diagnostic) = Read(await GetTextAsync(url));
            Assert.That(diagnostic!.Errors, Is.Empty, $"{url}: {string.Join("; ", diagnostic.Errors.Select(e => $"{e.Pointer} {e.Message}"))}");
            Assert.That(document!.Paths, Is.Not.Empty, url);
        }
    }

    [Test]
    public async Task V2Document_ReadsWithoutErrorsAndCoversEveryGroup()
    {
        var (document, diagnostic) = Read(await GetTextAsync("/openapi/v2"));
        Assert.That(diagnostic!.Errors, Is.Empty, string.Join("; ", diagnostic.Errors.Select(e => $"{e.Pointer} {e.Message}")));
        Assert.That(diagnostic.SpecificationVersion, Is.EqualTo(OpenApiSpecVersion.OpenApi2_0));
        Assert.That(document!.Paths.Keys, Has.Some.EqualTo("/api/v1/namespaces/{namespace}/configmaps/{name}"));
        Assert.That(document.Components!.Schemas!.Keys, Has.Some.EqualTo("io.k8s.api.core.v1.ConfigMap"));
    }

    [Test]
    public async Task Subresources_HaveKubesPathsAndOperations()
    {
        var core = System.Text.Json.Nodes.JsonNode.Parse(await GetTextAsync("/openapi/v3/api/v1"))!["paths"]!;
        string OperationId(string path, string method) => core[path]?[method]?["operationId"]?.ToString() ?? $"no {method} at {path}";
        const string pod = "/api/v1/namespaces/{namespace}/pods/{name}";
        Assert.Multiple(() =>
        {
            Assert.That(OperationId(pod + "/status", "get"), Is.EqualTo("readCoreV1NamespacedPodStatus"));
            Assert.That(OperationId(pod + "/status", "patch"), Is.EqualTo("patchCoreV1NamespacedPodStatus"));
            Assert.That(core[pod + "/status"]!["put"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]!.ToString(),
                Is.EqualTo("#/components/schemas/io.k8s.api.core.v1.Pod"));
            Assert.That(OperationId(pod + "/eviction", "post"), Is.EqualTo("createCoreV1NamespacedPodEviction"));
            Assert.That(OperationId(pod + "/log", "get"), Is.EqualTo("readCoreV1NamespacedPodLog"));
            Assert.That(OperationId(pod + "/exec", "post"), Is.EqualTo("connectCoreV1PostNamespacedPodExec"));
            Assert.That(core[pod + "/exec"]!["get"]!["x-kubernetes-action"]!.ToString(), Is.EqualTo("connect"));
            Assert.That(OperationId("/api/v1/namespaces/{namespace}/services/{name}/proxy/{path}", "delete"), Is.EqualTo("connectCoreV1DeleteNamespacedServiceProxyWithPath"));
            Assert.That(OperationId("/api/v1/nodes/{name}/proxy", "get"), Is.EqualTo("connectCoreV1GetNodeProxy"));
            Assert.That(OperationId("/api/v1/namespaces/{name}/finalize", "put"), Is.EqualTo("replaceCoreV1NamespaceFinalize"));
        });
        var apps = System.Text.Json.Nodes.JsonNode.Parse(await GetTextAsync("/openapi/v3/apis/apps/v1"))!["paths"]!;
        var scale = apps["/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale"]!["put"]!;
        Assert.That(scale["operationId"]!.ToString(), Is.EqualTo("replaceAppsV1NamespacedDeploymentScale"));
        Assert.That(scale["x-kubernetes-group-version-kind"]!.ToJsonString(), Is.EqualTo("""{"group":"autoscaling","kind":"Scale","version":"v1"}"""));
    }

    private static (OpenApiDocument? Document, OpenApiDiagnostic? Diagnostic) Read(string json)
    {
        var result = OpenApiDocument.Parse(json, "json");
        return (result.Document, result.Diagnostic);
    }

    [Test]
    public async Task V3Document_IsCachedByHash()
    {
        var index = System.Text.Json.Nodes.JsonNode.Parse(await GetTextAsync("/openapi/v3"))!;
        var url = index["paths"]!["api/v1"]!["serverRelativeURL"]!.ToString();
        using var first = await Http.GetAsync(url);
        Assert.That(first.Headers.CacheControl!.ToString(), Does.Contain("immutable"));
        using var conditional = new HttpRequestMessage(HttpMethod.Get, url);
        conditional.Headers.TryAddWithoutValidation("If-None-Match", first.Headers.ETag!.ToString());
        using var second = await Http.SendAsync(conditional);
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
    }
}
