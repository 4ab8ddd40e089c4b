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
