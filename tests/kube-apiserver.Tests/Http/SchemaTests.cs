using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace KubeApiserver.Tests.Http;

/// <summary>The schema engine through the API: fieldValidation, type errors, and OpenAPI's published schemas.</summary>
[TestFixture]
public sealed class SchemaTests : ServerFixture
{
    private const string WithUnknown = """{"metadata":{"name":"u","labelz":{"a":"b"}},"data":{"k":"v"},"spec":{"x":1}}""";

    [Test]
    public async Task Strict_RefusesUnknownFieldsNamingEach()
    {
        var ns = await NewNamespaceAsync();
        var body = (await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps?fieldValidation=Strict", WithUnknown)).AssertStatus(400, "BadRequest");
        Assert.That(body["message"]!.ToString(), Is.EqualTo("strict decoding error: unknown field \"metadata.labelz\", unknown field \"spec\""));
        (await Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/u")).AssertStatus(404, "NotFound");
    }

    [Test]
    public async Task Warn_DropsUnknownFieldsWithAWarningEach()
    {
        var ns = await NewNamespaceAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps") { Content = new StringContent(WithUnknown, Encoding.UTF8, "application/json") };
        using var response = await Http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(response.Headers.GetValues("Warning"), Is.EquivalentTo(new[] { "299 - \"unknown field \\\"metadata.labelz\\\"\"", "299 - \"unknown field \\\"spec\\\"\"" }));
        var stored = (await Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/u")).Body;
        Assert.That(stored["spec"], Is.Null);
        Assert.That(stored["metadata"]!["labelz"], Is.Null);
        Assert.That(stored["data"]!["k"]!.ToString(), Is.EqualTo("v"));
    }

    [Test]
    public async Task Ignore_DropsUnknownFieldsSilently()
    {
        var ns = await NewNamespaceAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps?fieldValidation=Ignore") { Content = new StringContent(WithUnknown, Encoding.UTF8, "application/json") };
        using var response = await Http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(response.Headers.Contains("Warning"), Is.False);
    }

    [Test]
    public async Task UnknownFieldsInPatches_AreReportedToo()
    {
        var ns = await NewNamespaceAsync();
        await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"p"}}""");
        (await Http.SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{ns}/configmaps/p?fieldValidation=Strict", """{"bogus":1}""", "application/merge-patch+json")).AssertStatus(400, "BadRequest");
    }

    [Test]
    public async Task TypeErrorInABuiltInKind_Answers400AsADecodingError()
    {
        var ns = await NewNamespaceAsync();
        var body = (await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"t"},"data":{"port":8080}}""")).AssertStatus(400, "BadRequest");
        Assert.That(body["message"]!.ToString(), Does.StartWith("ConfigMap in version \"v1\" cannot be handled as a ConfigMap: data[port]"));
        (await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"t"},"immutable":"yes"}""")).AssertStatus(400, "BadRequest");
    }

    [Test]
    public async Task OpenApiV3_PublishesTheKindsSchemas()
    {
        var index = (await Http.SendAsync(HttpMethod.Get, "/openapi/v3")).Body;
        var url = index["paths"]!["api/v1"]!["serverRelativeURL"]!.ToString();
        var doc = (await Http.SendAsync(HttpMethod.Get, url)).Body;
        var schemas = doc["components"]!["schemas"]!;
        var configMap = schemas["io.k8s.api.core.v1.ConfigMap"]!;
        Assert.Multiple(() =>
        {
            Assert.That(doc["openapi"]!.ToString(), Does.StartWith("3."));
            Assert.That(configMap["properties"]!["data"]!["additionalProperties"]!["type"]!.ToString(), Is.EqualTo("string"));
            Assert.That(configMap["properties"]!["metadata"]!["allOf"]![0]!["$ref"]!.ToString(), Is.EqualTo("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"));
            Assert.That(configMap["description"]!.ToString(), Does.StartWith("ConfigMap holds configuration data"));
            Assert.That(configMap["x-kubernetes-group-version-kind"]![0]!["kind"]!.ToString(), Is.EqualTo("ConfigMap"));
            Assert.That(schemas["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]!["properties"]!["finalizers"]!["x-kubernetes-list-type"]!.ToString(), Is.EqualTo("set"));
            Assert.That(schemas["io.k8s.api.core.v1.ConfigMapList"], Is.Not.Null);
        });
        // Every $ref resolves within the document.
        var refs = System.Text.RegularExpressions.Regex.Matches(doc.ToJsonString(), "\"#/components/schemas/([^\"]+)\"").Select(m => m.Groups[1].Value).Distinct();
        Assert.That(refs.Where(r => schemas[r] is null), Is.Empty);
    }
}
