using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace KubeApiserver.Tests.Http;

/// <summary>Create, get, list, update and delete over plain HTTP, and the Status bodies of their failures.</summary>
[TestFixture]
public sealed class CrudTests : ServerFixture
{
    [Test]
    public async Task Create_SetsServerFieldsAndAnswers201()
    {
        var ns = await NewNamespaceAsync();
        var (code, body) = await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"app"},"data":{"k":"v"}}""");
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(body["kind"]?.ToString(), Is.EqualTo("ConfigMap"));
            Assert.That(body["metadata"]!["namespace"]?.ToString(), Is.EqualTo(ns));
            Assert.That(Guid.TryParse(body["metadata"]!["uid"]?.ToString(), out _), Is.True);
            Assert.That(body["metadata"]!["creationTimestamp"]?.ToString(), Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"));
            Assert.That(long.Parse(body["metadata"]!["resourceVersion"]!.ToString()), Is.GreaterThan(0));
            Assert.That(body["data"]!["k"]?.ToString(), Is.EqualTo("v"));
        });
    }

    [Test]
    public async Task CreateWithoutKind_FillsKindAndApiVersion()
    {
        var ns = await NewNamespaceAsync();
        var (code, body) = await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"bare"}}""");
        Assert.That(code, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(body["kind"]?.ToString(), Is.EqualTo("ConfigMap"));
        Assert.That(body["apiVersion"]?.ToString(), Is.EqualTo("v1"));
    }

    [Test]
    public async Task GetListUpdateDelete_RoundTrip()
    {
        var ns = await NewNamespaceAsync();
        var created = (await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"rt"},"data":{"a":"1"}}""")).Body;

        var got = await Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/rt");
        Assert.That(got.Body["metadata"]!["resourceVersion"]?.ToString(), Is.EqualTo(created["metadata"]!["resourceVersion"]?.ToString()));

        var list = await Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps");
        Assert.Multiple(() =>
        {
            Assert.That(list.Body["kind"]?.ToString(), Is.EqualTo("ConfigMapList"));
            Assert.That(list.Body["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.ToString()), Is.EqualTo(new[] { "rt" }));
            Assert.That(long.Parse(list.Body["metadata"]!["resourceVersion"]!.ToString()), Is.GreaterThanOrEqualTo(long.Parse(created["metadata"]!["resourceVersion"]!.ToString())));
        });

        var update = (JsonObject)got.Body.DeepClone();
        update["data"]!["a"] = "2";
        var updated = await Http.SendAsync(HttpMethod.Put, $"/api/v1/namespaces/{ns}/configmaps/rt", update.ToJsonString());
        Assert.Multiple(() =>
        {
            Assert.That(updated.Code, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(updated.Body["data"]!["a"]?.ToString(), Is.EqualTo("2"));
            Assert.That(updated.Body["metadata"]!["uid"]?.ToString(), Is.EqualTo(created["metadata"]!["uid"]?.ToString()));
            Assert.That(long.Parse(updated.Body["metadata"]!["resourceVersion"]!.ToString()), Is.GreaterThan(long.Parse(created["metadata"]!["resourceVersion"]!.ToString())));
        });

        var deleted = await Http.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/configmaps/rt");
        Assert.Multiple(() =>
        {
            Assert.That(deleted.Code, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(deleted.Body["kind"]?.ToString(), Is.EqualTo("Status"));
            Assert.That(deleted.Body["status"]?.ToString(), Is.EqualTo("Success"));
            Assert.That(deleted.Body["details"]!["name"]?.ToString(), Is.EqualTo("rt"));
        });
        var gone = (await Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/rt")).AssertStatus(404, "NotFound");
        Assert.That(gone["message"]?.ToString(), Is.EqualTo("configmaps \"rt\" not found"));
        Assert.That(gone["details"]!["kind"]?.ToString(), Is.EqualTo("configmaps"));
    }

    [Test]
    public async Task UpdateWithStaleResourceVersion_Answers409Conflict()
    {
        var ns = await NewNamespaceAsync();
        var created = (await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"cas"},"data":{"a":"1"}}""")).Body;
        var first = (JsonObject)created.DeepClone();
        first["data"]!["a"] = "2";
        Assert.That((await Http.SendAsync(HttpMethod.Put, $"/api/v1/namespaces/{ns}/configmaps/cas", first.ToJsonString())).Code, Is.EqualTo(HttpStatusCode.OK));

        var stale = (JsonObject)created.DeepClone();
        stale["data"]!["a"] = "3";
        var body = (await Http.SendAsync(HttpMethod.Put, $"/api/v1/namespaces/{ns}/configmaps/cas", stale.ToJsonString())).AssertStatus(409, "Conflict");
        Assert.That(body["message"]?.ToString(), Does.Contain("the object has been modified"));
        var now = await Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/cas");
        Assert.That(now.Body["data"]!["a"]?.ToString(), Is.EqualTo("2"));
    }

    [Test]
    public async Task CreateExisting_Answers409AlreadyExists()
    {
        var ns = await NewNamespaceAsync();
        await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/secrets", """{"metadata":{"name":"dup"}}""");
        var body = (await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/secrets", """{"metadata":{"name":"dup"}}""")).AssertStatus(409, "AlreadyExists");
        Assert.That(body["message"]?.ToString(), Is.EqualTo("secrets \"dup\" already exists"));
    }

    [Test]
    public async Task MalformedJson_Answers400AndStoresNothing()
    {
        var ns = await NewNamespaceAsync();
        (await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"x"},""")).AssertStatus(400, "BadRequest");
        var list = await Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps");
        Assert.That(list.Body["items"]!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task InvalidName_Answers422WithCauses()
    {
        var ns = await NewNamespaceAsync();
        var body = (await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"Not_Valid"}}""")).AssertStatus(422, "Invalid");
        var cause = body["details"]!["causes"]![0]!;
        Assert.Multiple(() =>
        {
            Assert.That(body["message"]?.ToString(), Does.StartWith("ConfigMap \"Not_Valid\" is invalid: metadata.name: Invalid value: \"Not_Valid\": a lowercase RFC 1123 subdomain"));
            Assert.That(body["details"]!["kind"]?.ToString(), Is.EqualTo("ConfigMap"));
            Assert.That(cause["reason"]?.ToString(), Is.EqualTo("FieldValueInvalid"));
            Assert.That(cause["field"]?.ToString(), Is.EqualTo("metadata.name"));
        });
    }

    [Test]
    public async Task MissingName_Answers422Required()
    {
        var ns = await NewNamespaceAsync();
        var body = (await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"data":{}}""")).AssertStatus(422, "Invalid");
        Assert.That(body["details"]!["causes"]![0]!["reason"]?.ToString(), Is.EqualTo("FieldValueRequired"));
    }

    [Test]
    public async Task GenerateName_CreatesARandomSuffix()
    {
        var ns = await NewNamespaceAsync();
        var (code, body) = await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"generateName":"gen-"}}""");
        Assert.That(code, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(body["metadata"]!["name"]?.ToString(), Does.Match("^gen-[a-z0-9]{5}$"));
    }

    [Test]
    public async Task CreateInMissingNamespace_Answers404ForTheNamespace()
    {
        var body = (await Http.SendAsync(HttpMethod.Post, "/api/v1/namespaces/nowhere/configmaps", """{"metadata":{"name":"x"}}""")).AssertStatus(404, "NotFound");
        Assert.That(body["message"]?.ToString(), Is.EqualTo("namespaces \"nowhere\" not found"));
    }

    [Test]
    public async Task NamespaceMismatch_Answers400()
    {
        var ns = await NewNamespaceAsync();
        (await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"x","namespace":"other"}}""")).AssertStatus(400, "BadRequest");
    }

    [Test]
    public async Task UnknownResource_Answers404Status()
    {
        var body = (await Http.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/widgets")).AssertStatus(404, "NotFound");
        Assert.That(body["message"]?.ToString(), Is.EqualTo("the server could not find the requested resource"));
        (await Http.SendAsync(HttpMethod.Get, "/apis/example.com/v1/widgets")).AssertStatus(404, "NotFound");
    }

    [Test]
    public async Task PostToANamedObject_Answers405()
    {
        var ns = await NewNamespaceAsync();
        (await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps/x", """{"metadata":{"name":"x"}}""")).AssertStatus(405, "MethodNotAllowed");
    }

    [Test]
    public async Task WrongKindInBody_Answers400()
    {
        var ns = await NewNamespaceAsync();
        (await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"kind":"Secret","apiVersion":"v1","metadata":{"name":"x"}}""")).AssertStatus(400, "BadRequest");
    }

    [Test]
    public async Task UnsupportedContentType_Answers415()
    {
        var ns = await NewNamespaceAsync();
        (await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", "name: x", "text/plain")).AssertStatus(415, "UnsupportedMediaType");
    }

    [Test]
    public async Task OversizedBody_Answers413()
    {
        var ns = await NewNamespaceAsync();
        var huge = $$$"""{"metadata":{"name":"big"},"data":{"k":"{{{new string('x', 4 * 1024 * 1024)}}}"}}""";
        // Over HTTP/2, as kubectl speaks over TLS: the early 413 reaches the client while it still sends.
        // (An HTTP/1.1 client that writes the whole body before reading may see the connection close instead.)
        (await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", huge, version: HttpVersion.Version20)).AssertStatus(413, "RequestEntityTooLarge");
    }

    [TestCase(2, 422, "Invalid")] // Read whole, then refused by validation (a ConfigMap over 1 MiB).
    [TestCase(4, 413, "RequestEntityTooLarge")]
    public async Task BodyWithoutContentLength_IsReadWholeUpToTheLimit(int mebibytes, int code, string reason)
    {
        var ns = await NewNamespaceAsync();
        var json = $$$"""{"metadata":{"name":"streamed"},"data":{"k":"{{{new string('x', mebibytes * 1024 * 1024)}}}"}}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            // A stream of unknown length: the body is sent in frames with no Content-Length.
            Content = new StreamContent(new UnseekableStream(Encoding.UTF8.GetBytes(json))),
        };
        request.Content.Headers.ContentType = new("application/json");
        using var response = await Http.SendAsync(request);
        Assert.That(request.Content.Headers.ContentLength, Is.Null);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(((int)response.StatusCode, body["reason"]?.ToString()), Is.EqualTo((code, reason)));
    }

    private sealed class UnseekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }

    [Test]
    public async Task ConfigMapOverOneMebibyte_Answers422()
    {
        var ns = await NewNamespaceAsync();
        var big = $$$"""{"metadata":{"name":"big"},"data":{"k":"{{{new string('x', 1024 * 1024 + 10)}}}"}}""";
        (await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", big)).AssertStatus(422, "Invalid");
    }

    [Test]
    public async Task ImmutableConfigMap_RejectsDataChanges()
    {
        var ns = await NewNamespaceAsync();
        var created = (await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"frozen"},"data":{"a":"1"},"immutable":true}""")).Body;
        created["data"]!["a"] = "2";
        var body = (await Http.SendAsync(HttpMethod.Put, $"/api/v1/namespaces/{ns}/configmaps/frozen", created.ToJsonString())).AssertStatus(422, "Invalid");
        Assert.That(body["details"]!["causes"]![0]!["field"]?.ToString(), Is.EqualTo("data"));
    }

    [Test]
    public async Task SecretStringData_IsStoredAsBase64Data()
    {
        var ns = await NewNamespaceAsync();
        var (_, body) = await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/secrets", """{"metadata":{"name":"s"},"stringData":{"user":"admin"}}""");
        Assert.Multiple(() =>
        {
            Assert.That(body["data"]!["user"]?.ToString(), Is.EqualTo(Convert.ToBase64String("admin"u8.ToArray())));
            Assert.That(body["stringData"], Is.Null);
            Assert.That(body["type"]?.ToString(), Is.EqualTo("Opaque"));
        });
    }

    [Test]
    public async Task SecretTypeChange_Answers422()
    {
        var ns = await NewNamespaceAsync();
        var created = (await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/secrets", """{"metadata":{"name":"t"},"data":{"a":"YQ=="}}""")).Body;
        created["type"] = "kubernetes.io/basic-auth";
        (await Http.SendAsync(HttpMethod.Put, $"/api/v1/namespaces/{ns}/secrets/t", created.ToJsonString())).AssertStatus(422, "Invalid");
    }

    [Test]
    public async Task SecretWithInvalidBase64_Answers400()
    {
        var ns = await NewNamespaceAsync();
        (await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/secrets", """{"metadata":{"name":"b"},"data":{"a":"!!!"}}""")).AssertStatus(400, "BadRequest");
    }

    [Test]
    public async Task DeleteMissing_Answers404()
    {
        var ns = await NewNamespaceAsync();
        (await Http.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/configmaps/none")).AssertStatus(404, "NotFound");
    }

    [Test]
    public async Task DeleteWithStalePrecondition_Answers409AndKeepsTheObject()
    {
        var ns = await NewNamespaceAsync();
        await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"keep"}}""");
        (await Http.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/configmaps/keep", """{"preconditions":{"resourceVersion":"1"}}""")).AssertStatus(409, "Conflict");
        Assert.That((await Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/keep")).Code, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Finalizers_HoldDeletionUntilRemoved()
    {
        var ns = await NewNamespaceAsync();
        await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"fin","finalizers":["example.com/hold"]}}""");
        var pending = await Http.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/configmaps/fin");
        Assert.That(pending.Body["metadata"]!["deletionTimestamp"], Is.Not.Null);

        var current = (await Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/fin")).Body;
        current["metadata"]!["finalizers"] = new JsonArray("example.com/hold", "example.com/new");
        (await Http.SendAsync(HttpMethod.Put, $"/api/v1/namespaces/{ns}/configmaps/fin", current.ToJsonString())).AssertStatus(422, "Invalid");

        current["metadata"]!["finalizers"] = new JsonArray();
        Assert.That((await Http.SendAsync(HttpMethod.Put, $"/api/v1/namespaces/{ns}/configmaps/fin", current.ToJsonString())).Code, Is.EqualTo(HttpStatusCode.OK));
        (await Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/fin")).AssertStatus(404, "NotFound");
    }

    [Test]
    public async Task DryRunCreate_StoresNothing()
    {
        var ns = await NewNamespaceAsync();
        var (code, _) = await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps?dryRun=All", """{"metadata":{"name":"dry"}}""");
        Assert.That(code, Is.EqualTo(HttpStatusCode.Created));
        (await Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/dry")).AssertStatus(404, "NotFound");
    }
}
