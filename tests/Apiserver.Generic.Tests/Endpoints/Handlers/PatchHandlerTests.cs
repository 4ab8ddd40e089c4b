using System.Text;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Schema;
using Apiserver.Generic.Server;
using Apiserver.Generic.Storage.Sqlite;
using Microsoft.AspNetCore.Http;
using NJsonSchema;
using NUnit.Framework;

namespace Apiserver.Generic.Tests.Endpoints.Handlers;

/// <summary>
/// Strategic merge patch is a matter of the definition's <see cref="ResourceDefinition.Typed"/> marker:
/// a typed kind merges lists by its schema's merge keys, an untyped one (as a custom resource) answers
/// 415 as kube-apiserver does; the same marker picks 400 or 422 for a value of the wrong type.
/// </summary>
[TestFixture]
public sealed class PatchHandlerTests
{
    private sealed class WidgetStrategy : IRestStrategy;

    private string _dir = null!;
    private SqliteStorage _storage = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _dir = Directory.CreateTempSubdirectory("patch-handler-").FullName;
        _storage = await SqliteStorage.OpenInDirectoryAsync(_dir);
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        await _storage.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    // A Widget's spec.ports is a list merged by name, as a built-in kind's list would declare it.
    private static JsonSchema WidgetSchema()
    {
        var port = new JsonSchema { Type = JsonObjectType.Object };
        port.Properties["name"] = new JsonSchemaProperty { Type = JsonObjectType.String };
        port.Properties["port"] = new JsonSchemaProperty { Type = JsonObjectType.Integer };
        var ports = new JsonSchemaProperty { Type = JsonObjectType.Array, Item = port };
        ports.Set(KubernetesExtensions.PatchStrategy, "merge");
        ports.Set(KubernetesExtensions.PatchMergeKey, "name");
        var spec = new JsonSchemaProperty { Type = JsonObjectType.Object };
        spec.Properties["ports"] = ports;
        var widget = new JsonSchema { Type = JsonObjectType.Object };
        widget.Properties["spec"] = spec;
        return widget;
    }

    private async Task<GenericApiServer> ServeAsync(bool typed)
    {
        var definition = new ResourceDefinition(
            new ResourceNames(new GroupVersionKind("example.com", "v1", "Widget"), "widgets", "widget", Namespaced: true), new WidgetStrategy())
        {
            Schema = WidgetSchema(),
            Typed = typed,
        };
        var store = new GenericStore(definition, _storage);
        await store.CreateAsync(new RequestContext("default"),
            (JsonObject)JsonNode.Parse("""{"kind":"Widget","apiVersion":"example.com/v1","metadata":{"name":"w"},"spec":{"ports":[{"name":"http","port":80}]}}""")!,
            new CreateOptions(), CancellationToken.None);
        var server = new ServerConfig().Complete().New("widgets", new NotFoundDelegate());
        server.InstallApiGroup(new ApiGroupInfo("example.com", [("v1", [store])]));
        server.OnStarted();
        return server;
    }

    private static async Task<(int Code, JsonObject Body)> PatchAsync(GenericApiServer server, string contentType, string patch)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "PATCH";
        context.Request.Path = "/apis/example.com/v1/namespaces/default/widgets/w";
        context.Request.ContentType = contentType;
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(patch));
        context.Response.Body = new MemoryStream();
        await server.UnprotectedHandler(context);
        context.Response.Body.Position = 0;
        return (context.Response.StatusCode, (JsonObject)JsonNode.Parse(context.Response.Body)!);
    }

    private const string AddPort = """{"spec":{"ports":[{"name":"https","port":443}]}}""";

    [Test]
    public async Task StrategicMergePatch_OnATypedKind_MergesListsByTheirKey()
    {
        var (code, body) = await PatchAsync(await ServeAsync(typed: true), "application/strategic-merge-patch+json", AddPort);

        Assert.That(code, Is.EqualTo(200), body.ToJsonString());
        var names = body["spec"]!["ports"]!.AsArray().Select(p => p!["name"]!.GetValue<string>());
        Assert.That(names, Is.EquivalentTo(new[] { "http", "https" }));
    }

    [Test]
    public async Task StrategicMergePatch_OnAnUntypedKind_Answers415ListingTheAcceptedTypes()
    {
        var (code, body) = await PatchAsync(await ServeAsync(typed: false), "application/strategic-merge-patch+json", AddPort);

        Assert.That(code, Is.EqualTo(415), body.ToJsonString());
        Assert.Multiple(() =>
        {
            Assert.That(body["kind"]!.GetValue<string>(), Is.EqualTo("Status"));
            Assert.That(body["reason"]!.GetValue<string>(), Is.EqualTo("UnsupportedMediaType"));
            Assert.That(body["message"]!.GetValue<string>(), Is.EqualTo(
                "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"));
        });
    }

    [Test]
    public async Task MergePatch_OnAnUntypedKind_StillReplacesTheList()
    {
        var (code, body) = await PatchAsync(await ServeAsync(typed: false), "application/merge-patch+json", AddPort);

        Assert.That(code, Is.EqualTo(200), body.ToJsonString());
        Assert.That(body["spec"]!["ports"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "https" }));
    }

    [TestCase(true, 400, "BadRequest")]
    [TestCase(false, 422, "Invalid")]
    public async Task WrongType_IsADecodingErrorOnlyForTypedKinds(bool typed, int expectedCode, string expectedReason)
    {
        var (code, body) = await PatchAsync(await ServeAsync(typed), "application/merge-patch+json", """{"spec":{"ports":"eighty"}}""");

        Assert.That(code, Is.EqualTo(expectedCode), body.ToJsonString());
        Assert.That(body["reason"]!.GetValue<string>(), Is.EqualTo(expectedReason));
    }
}
