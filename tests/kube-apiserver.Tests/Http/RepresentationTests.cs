using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace KubeApiserver.Tests.Http;

/// <summary>YAML, PartialObjectMetadata, Table options and gzip.</summary>
[TestFixture]
public sealed class RepresentationTests : ServerFixture
{
    private async Task<(HttpStatusCode Code, string Body, HttpResponseMessage Response)> RawAsync(HttpMethod method, string path, string accept, string? body = null, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }
        var response = await Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    [Test]
    public async Task YamlBody_IsReadWithKubernetesScalarRules()
    {
        var ns = await NewNamespaceAsync();
        const string yaml = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: from-yaml\n  labels:\n    tier: \"0644\"\nimmutable: yes\nstringData:\n  quoted: 'on'\n";
        var (code, body, _) = await RawAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/secrets", "application/json", yaml, "application/yaml");
        Assert.That(code, Is.EqualTo(HttpStatusCode.Created), body);
        var secret = JsonNode.Parse(body)!;
        Assert.Multiple(() =>
        {
            Assert.That(secret["immutable"]!.GetValue<bool>(), Is.True);
            Assert.That(secret["metadata"]!["labels"]!["tier"]!.ToString(), Is.EqualTo("0644"));
            Assert.That(secret["data"]!["quoted"]!.ToString(), Is.EqualTo(Convert.ToBase64String("on"u8.ToArray())));
        });
    }

    [Test]
    public async Task YamlWithDuplicateKeys_Answers400()
    {
        var ns = await NewNamespaceAsync();
        var (code, body, _) = await RawAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", "application/json", "metadata:\n  name: a\n  name: b\n", "application/yaml");
        Assert.That(code, Is.EqualTo(HttpStatusCode.BadRequest), body);
    }

    [Test]
    public async Task AcceptYaml_AnswersYaml()
    {
        var ns = await NewNamespaceAsync();
        await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"y"},"data":{"mode":"0644","flag":"yes"}}""");
        var (code, body, response) = await RawAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/y", "application/yaml");
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/yaml"));
            Assert.That(body, Does.Contain("kind: ConfigMap"));
            // Strings that YAML 1.1 would read as numbers or booleans are quoted.
            Assert.That(body, Does.Contain("mode: \"0644\"").Or.Contain("mode: '0644'"));
            Assert.That(body, Does.Contain("flag: \"yes\"").Or.Contain("flag: 'yes'"));
        });
    }

    [Test]
    public async Task PartialObjectMetadata_ForGetListAndWatch()
    {
        var ns = await NewNamespaceAsync();
        await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"m","labels":{"a":"b"}},"data":{"secret":"not in metadata"}}""");

        var one = JsonNode.Parse((await RawAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/m", "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1")).Body)!;
        Assert.Multiple(() =>
        {
            Assert.That(one["kind"]!.ToString(), Is.EqualTo("PartialObjectMetadata"));
            Assert.That(one["apiVersion"]!.ToString(), Is.EqualTo("meta.k8s.io/v1"));
            Assert.That(one["metadata"]!["labels"]!["a"]!.ToString(), Is.EqualTo("b"));
            Assert.That(one["data"], Is.Null);
        });

        var list = JsonNode.Parse((await RawAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps", "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1")).Body)!;
        Assert.That(list["kind"]!.ToString(), Is.EqualTo("PartialObjectMetadataList"));
        Assert.That(list["items"]![0]!["kind"]!.ToString(), Is.EqualTo("PartialObjectMetadata"));
        Assert.That(list["metadata"]!["resourceVersion"], Is.Not.Null);

        // A list asked for as a single PartialObjectMetadata is not acceptable.
        Assert.That((int)(await RawAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps", "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1")).Code, Is.EqualTo(406));

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var watchRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps?watch=1&timeoutSeconds=2");
        watchRequest.Headers.TryAddWithoutValidation("Accept", "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1");
        using var watch = await Http.SendAsync(watchRequest, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        using var reader = new StreamReader(await watch.Content.ReadAsStreamAsync(cancel.Token));
        var added = JsonNode.Parse((await reader.ReadLineAsync(cancel.Token))!)!;
        Assert.That(added["object"]!["kind"]!.ToString(), Is.EqualTo("PartialObjectMetadata"));
    }

    [TestCase("Object", "ConfigMap")]
    [TestCase("Metadata", "PartialObjectMetadata")]
    [TestCase("None", null)]
    public async Task TableIncludeObject_ChoosesWhatRowsCarry(string include, string? kind)
    {
        var ns = await NewNamespaceAsync();
        await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"t"}}""");
        var table = JsonNode.Parse((await RawAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps?includeObject={include}", "application/json;as=Table;g=meta.k8s.io;v=v1")).Body)!;
        Assert.That(table["rows"]![0]!["object"]?["kind"]?.ToString(), Is.EqualTo(kind));
    }

    [Test]
    public async Task LargeLists_AreGzippedForClientsThatAcceptIt()
    {
        var ns = await NewNamespaceAsync();
        var value = new string('x', 60 * 1024);
        for (var i = 0; i < 3; i++)
        {
            await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", $$$"""{"metadata":{"name":"big-{{{i}}}"},"data":{"v":"{{{value}}}"}}""");
        }
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip");
        using var response = await Http.SendAsync(request);
        Assert.That(response.Content.Headers.ContentEncoding, Is.EquivalentTo(new[] { "gzip" }));
        await using var gzip = new System.IO.Compression.GZipStream(await response.Content.ReadAsStreamAsync(), System.IO.Compression.CompressionMode.Decompress);
        var list = await JsonNode.ParseAsync(gzip);
        Assert.That(list!["items"]!.AsArray(), Has.Count.EqualTo(3));

        var small = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces/default");
        small.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip");
        using var smallResponse = await Http.SendAsync(small);
        Assert.That(smallResponse.Content.Headers.ContentEncoding, Is.Empty);
    }

    [Test]
    public async Task WholeList_StreamsEveryItemAcrossStoragePages()
    {
        var ns = await NewNamespaceAsync();
        const int count = 1_150; // More than two storage pages of a streamed list.
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", $$$$"""{"metadata":{"name":"item-{{{{i:D5}}}}","labels":{"even":"{{{{(i % 2 == 0 ? "yes" : "no")}}}}"}}}"""));

        var (code, body, response) = await RawAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps", "application/json");
        Assert.That(code, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.TransferEncodingChunked, Is.True, "a streamed list has no length known up front");
        var list = JsonNode.Parse(body)!;
        var names = list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.ToString()).ToList();
        Assert.That(names, Is.EqualTo(Enumerable.Range(0, count).Select(i => $"item-{i:D5}")));
        Assert.That(list["items"]![0]!["kind"], Is.Null, "items of a typed list carry no kind");

        var even = JsonNode.Parse((await RawAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps?labelSelector=even%3Dyes", "application/json")).Body)!;
        Assert.That(even["items"]!.AsArray(), Has.Count.EqualTo((count + 1) / 2));

        var metadataOnly = JsonNode.Parse((await RawAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps", "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1")).Body)!;
        Assert.That(metadataOnly["items"]!.AsArray(), Has.Count.EqualTo(count));
        Assert.That(metadataOnly["items"]![count - 1]!["kind"]!.ToString(), Is.EqualTo("PartialObjectMetadata"));
    }
}
