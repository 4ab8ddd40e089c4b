using System.Net;
using System.Net.Http.Headers;
using NUnit.Framework;

namespace KubeApiserver.Tests.Http;

/// <summary>
/// HTTP/2, as client-go speaks it: requests and watches share one connection, and
/// <c>--http2-max-streams-per-connection</c> bounds how many run on it at once.
/// </summary>
[TestFixture]
public sealed class Http2Tests
{
    [Test]
    public async Task WatchesShareOneConnection_UpToTheStreamLimit()
    {
        await using var server = await TestServer.StartAsync(http2MaxStreams: 2);
        using var http = server.CreateHttp2Client();

        using var first = await WatchAsync(http);
        using var second = await WatchAsync(http);
        Assert.That(first.Version, Is.EqualTo(HttpVersion.Version20));

        // Both streams are taken by watches: a third request waits for one of them.
        using (var waiting = new CancellationTokenSource(TimeSpan.FromSeconds(1)))
        {
            Assert.That(async () => await http.GetAsync("/readyz", waiting.Token), Throws.InstanceOf<OperationCanceledException>());
        }

        first.Dispose();
        using var ready = await http.GetAsync("/readyz");
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        // The watch left open still delivers.
        using var created = await http.PostAsync("/api/v1/namespaces/default/configmaps",
            new StringContent("""{"metadata":{"name":"over-h2"}}""", MediaTypeHeaderValue.Parse("application/json")));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        using var reader = new StreamReader(await second.Content.ReadAsStreamAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.That(await reader.ReadLineAsync(timeout.Token), Does.Contain("\"over-h2\""));
    }

    [Test]
    public async Task TheDefaultLimitIsKubes()
    {
        await using var server = await TestServer.StartAsync();
        using var http = server.CreateHttp2Client();

        var watches = new List<HttpResponseMessage>();
        try
        {
            for (var i = 0; i < 99; i++)
            {
                watches.Add(await WatchAsync(http));
            }
            // The hundredth stream is free; a hundred and first would wait.
            using var ready = await http.GetAsync("/readyz");
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            watches.Add(await WatchAsync(http));
            using var waiting = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            Assert.That(async () => await http.GetAsync("/readyz", waiting.Token), Throws.InstanceOf<OperationCanceledException>());
        }
        finally
        {
            watches.ForEach(w => w.Dispose());
        }
    }

    private static Task<HttpResponseMessage> WatchAsync(HttpClient http) =>
        http.GetAsync("/api/v1/namespaces/default/configmaps?watch=1", HttpCompletionOption.ResponseHeadersRead);
}
