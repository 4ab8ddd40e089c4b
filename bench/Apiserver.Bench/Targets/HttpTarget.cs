using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Apiserver.Bench.Targets;

/// <summary>
/// The Kubernetes REST API over HTTPS: the same client code drives the real server and the bare
/// Kestrel baseline, which answers the same paths with fixed bodies.
/// </summary>
internal sealed class HttpTarget(string name, HttpClient http, ConfigMaps objects) : IBenchTarget
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public string Name => name;

    public async Task PrepareNamespaceAsync(string ns, CancellationToken cancellationToken)
    {
        var body = $$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{ns}}}"}}""";
        using var response = await http.PostAsync("/api/v1/namespaces", Content(Encoding.UTF8.GetBytes(body)), cancellationToken);
        if (response.StatusCode != HttpStatusCode.Conflict)
        {
            await EnsureSuccessAsync(response, cancellationToken);
        }
    }

    public Task WarmUpAsync(string ns, int connections, CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            using var response = await http.GetAsync($"/api/v1/namespaces/{ns}", cancellationToken);
            await DrainAsync(response, cancellationToken);
        }));

    public async Task CreateAsync(string ns, string name, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync(Collection(ns), Content(objects.CreateBody(ns, name)), cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        await DrainAsync(response, cancellationToken);
    }

    public async Task GetAsync(string ns, string name, bool cached, CancellationToken cancellationToken)
    {
        var path = cached ? $"{Collection(ns)}/{name}?resourceVersion=0" : $"{Collection(ns)}/{name}";
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        await DrainAsync(response, cancellationToken);
    }

    public async Task UpdateAsync(string ns, string name, int variant, CancellationToken cancellationToken)
    {
        var path = $"{Collection(ns)}/{name}";
        JsonNode obj;
        using (var read = await http.GetAsync(path, cancellationToken))
        {
            await EnsureSuccessAsync(read, cancellationToken);
            obj = JsonNode.Parse(await read.Content.ReadAsByteArrayAsync(cancellationToken))!;
        }
        // The read's resourceVersion stays in the body: the PUT is a compare-and-swap on it.
        obj["metadata"]!["name"] = name;
        obj["metadata"]!["namespace"] = ns;
        obj["data"] = new JsonObject { ["payload"] = objects.Payload(variant) };
        using var response = await http.PutAsync(path, Content(JsonSerializer.SerializeToUtf8Bytes(obj)), cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        await DrainAsync(response, cancellationToken);
    }

    public async Task<long> ListAsync(string ns, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(Collection(ns), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return await DrainAsync(response, cancellationToken);
    }

    public async Task<long> ListPagedAsync(string ns, int limit, CancellationToken cancellationToken)
    {
        long bytes = 0;
        string? next = null;
        do
        {
            var query = next is null ? $"?limit={limit}" : $"?limit={limit}&continue={Uri.EscapeDataString(next)}";
            using var response = await http.GetAsync(Collection(ns) + query, cancellationToken);
            await EnsureSuccessAsync(response, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            bytes += body.Length;
            next = ContinueToken(body);
        }
        while (!string.IsNullOrEmpty(next));
        return bytes;
    }

    public async Task<IAsyncEnumerable<string>> WatchCreatedAsync(string ns, CancellationToken cancellationToken)
    {
        // The watch starts at the collection's current resourceVersion, so nothing written after this
        // call is missed even if the server registers the watch after answering the headers.
        string resourceVersion;
        using (var list = await http.GetAsync($"{Collection(ns)}?limit=1", cancellationToken))
        {
            await EnsureSuccessAsync(list, cancellationToken);
            using var doc = JsonDocument.Parse(await list.Content.ReadAsByteArrayAsync(cancellationToken));
            resourceVersion = doc.RootElement.GetProperty("metadata").GetProperty("resourceVersion").GetString()!;
        }
        var response = await http.GetAsync(
            $"{Collection(ns)}?watch=1&resourceVersion={resourceVersion}&allowWatchBookmarks=false",
            HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        try
        {
            await EnsureSuccessAsync(response, cancellationToken);
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            return ReadCreatedAsync(response, stream, cancellationToken);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>Deletes a namespace this run created, on a server that outlives the run; a failure is reported, not thrown.</summary>
    public async Task DeleteNamespaceAsync(string ns, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.DeleteAsync($"/api/v1/namespaces/{ns}", cancellationToken);
            await EnsureSuccessAsync(response, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            await Console.Error.WriteLineAsync($"warning: could not delete namespace {ns}: {e.Message}");
        }
    }

    public ValueTask DisposeAsync()
    {
        http.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// The names of the ADDED events on a watch stream. Lines are split and read as UTF-8 bytes in
    /// one growing buffer per watch, so that with a thousand watchers the harness's own decoding
    /// costs little next to the server's work it measures.
    /// </summary>
    private static async IAsyncEnumerable<string> ReadCreatedAsync(
        HttpResponseMessage response, Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var _ = response;
        var buffer = new byte[8 * 1024];
        int start = 0, end = 0;
        while (true)
        {
            var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
            if (newline < 0)
            {
                if (start > 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }
                if (end == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }
                var read = await ReadAsync(stream, buffer.AsMemory(end), cancellationToken);
                if (read == 0)
                {
                    yield break;
                }
                end += read;
                continue;
            }
            var name = AddedName(buffer.AsSpan(start, newline - start));
            start = newline + 1;
            if (name is not null)
            {
                yield return name;
            }
        }
    }

    /// <summary>What was read, or 0 at the end of the stream or when the watch is cancelled.</summary>
    private static async ValueTask<int> ReadAsync(Stream stream, Memory<byte> into, CancellationToken cancellationToken)
    {
        try
        {
            return await stream.ReadAsync(into, cancellationToken);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is OperationCanceledException or IOException or HttpRequestException)
        {
            return 0;
        }
    }

    /// <summary>An event line's <c>object.metadata.name</c> when its type is ADDED, else null.</summary>
    private static string? AddedName(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }
        bool? added = null;
        string? name = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals("type"u8);
            var isObject = !isType && reader.ValueTextEquals("object"u8);
            reader.Read();
            if (isType)
            {
                added = reader.ValueTextEquals("ADDED"u8);
            }
            else if (isObject)
            {
                name = MetadataName(ref reader);
            }
            if (added == false || (added == true && name is not null))
            {
                break; // The servers write the type first: the rest of the line need not be read.
            }
            reader.Skip();
        }
        return added == true ? name : null;
    }

    /// <summary>The <c>metadata.name</c> of the object the reader is at, read on a copy of the reader.</summary>
    private static string? MetadataName(ref readonly Utf8JsonReader at)
    {
        var reader = at;
        var depth = reader.CurrentDepth;
        while (reader.Read() && reader.CurrentDepth > depth)
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != depth + 1 || !reader.ValueTextEquals("metadata"u8))
            {
                continue;
            }
            reader.Read();
            var metadata = reader.CurrentDepth;
            while (reader.Read() && reader.CurrentDepth > metadata)
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == metadata + 1 && reader.ValueTextEquals("name"u8))
                {
                    reader.Read();
                    return reader.GetString();
                }
            }
            return null;
        }
        return null;
    }

    /// <summary>A list's <c>metadata.continue</c>, read without parsing the items after it.</summary>
    private static string? ContinueToken(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
            {
                continue;
            }
            if (!reader.ValueTextEquals("metadata"u8))
            {
                reader.Read();
                reader.Skip();
                continue;
            }
            reader.Read();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var isContinue = reader.ValueTextEquals("continue"u8);
                reader.Read();
                if (isContinue)
                {
                    return reader.GetString();
                }
                reader.Skip();
            }
            return null;
        }
        return null;
    }

    private static string Collection(string ns) => $"/api/v1/namespaces/{ns}/configmaps";

    private static ByteArrayContent Content(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        return content;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        throw new HttpRequestException(
            $"{(int)response.StatusCode} {response.ReasonPhrase}: {text[..Math.Min(text.Length, 200)]}", null, response.StatusCode);
    }

    /// <summary>Reads the body to its end into a reused buffer; returns its length.</summary>
    private static async Task<long> DrainAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            long total = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                total += read;
            }
            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
