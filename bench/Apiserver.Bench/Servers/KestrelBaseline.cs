using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Threading.Channels;
using Apiserver.Bench.Targets;
using Apiserver.Generic.Server.Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Apiserver.Bench.Servers;

/// <summary>
/// Bare Kestrel on loopback HTTPS, in this process, answering the API's configmap paths with a
/// fixed object: no routing, no filters, no storage. GET returns the object, POST and PUT read the
/// body and return it, a list returns as many copies as were created in the namespace (in pages
/// with <c>limit</c>), and a watch streams every POSTed body as an ADDED event.
/// </summary>
internal sealed class KestrelBaseline : IAsyncDisposable
{
    private static readonly byte[] ListPrefix = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMapList\",\"metadata\":{\"resourceVersion\":\"1\""u8.ToArray();
    private static readonly byte[] ItemsStart = ""","items":["""u8.ToArray();
    private readonly WebApplication _app;
    private readonly string _certDir;
    private readonly byte[] _object;
    private readonly ConcurrentDictionary<string, int> _created = new();
    private readonly ConcurrentDictionary<string, ImmutableWatchers> _watchers = new();

    private KestrelBaseline(WebApplication app, string certDir, byte[] fixedObject)
    {
        _app = app;
        _certDir = certDir;
        _object = fixedObject;
    }

    public Uri Address { get; private set; } = null!;

    public string CaCertificatePem { get; private set; } = "";

    public static async Task<KestrelBaseline> StartAsync(ConfigMaps objects, CancellationToken cancellationToken)
    {
        var certDir = Directory.CreateTempSubdirectory("kube-apiserver-bench-kestrel-").FullName;
        // The same certificate kind (ECDSA P-256 from the same generator) as the server's.
        var certificates = SelfSignedCertificates.Ensure(certDir, ["localhost"], [IPAddress.Loopback, IPAddress.IPv6Loopback]);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificates.Serving));
        });
        var app = builder.Build();
        var baseline = new KestrelBaseline(app, certDir, objects.ServedObject("bench", "fixed"))
        {
            CaCertificatePem = certificates.CaCertificatePem,
        };
        app.Run(baseline.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        baseline.Address = new Uri(address);
        return baseline;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        TempDirectory.Delete(_certDir);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        // /api/v1/namespaces[/{ns}[/configmaps[/{name}]]]
        var segments = request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 3 || segments[0] != "api" || segments[1] != "v1" || segments[2] != "namespaces")
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var ns = segments.Length > 3 ? segments[3] : "";
        var isCollection = segments.Length == 5;
        switch (request.Method)
        {
            case "POST":
                var body = await ReadBodyAsync(request);
                if (isCollection)
                {
                    _created.AddOrUpdate(ns, 1, (_, n) => n + 1);
                    Broadcast(ns, body);
                }
                await WriteAsync(response, StatusCodes.Status201Created, body);
                break;
            case "PUT":
                await WriteAsync(response, StatusCodes.Status200OK, await ReadBodyAsync(request));
                break;
            case "GET" when isCollection && request.Query.ContainsKey("watch"):
                await WatchAsync(context, ns);
                break;
            case "GET" when isCollection:
                await ListAsync(context, ns);
                break;
            case "GET":
                await WriteAsync(response, StatusCodes.Status200OK, _object);
                break;
            default:
                response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                break;
        }
    }

    private async Task ListAsync(HttpContext context, string ns)
    {
        var total = _created.GetValueOrDefault(ns);
        var query = context.Request.Query;
        var start = int.TryParse(query["continue"], CultureInfo.InvariantCulture, out var s) ? s : 0;
        var limit = int.TryParse(query["limit"], CultureInfo.InvariantCulture, out var l) && l > 0 ? l : int.MaxValue;
        var end = (int)Math.Min(total, (long)start + limit);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        var writer = response.BodyWriter;
        writer.Write(ListPrefix);
        if (end < total)
        {
            writer.Write(System.Text.Encoding.UTF8.GetBytes($",\"continue\":\"{end}\""));
        }
        writer.Write("}"u8);
        writer.Write(ItemsStart);
        for (var i = start; i < end; i++)
        {
            if (i > start)
            {
                writer.Write(","u8);
            }
            writer.Write(_object);
            if ((i - start) % 64 == 63)
            {
                await writer.FlushAsync(context.RequestAborted);
            }
        }
        writer.Write("]}"u8);
        await writer.FlushAsync(context.RequestAborted);
    }

    private async Task WatchAsync(HttpContext context, string ns)
    {
        var channel = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
        _watchers.AddOrUpdate(ns, _ => new([channel]), (_, w) => w.With(channel));
        try
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/json";
            await context.Response.StartAsync(context.RequestAborted);
            await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
            await foreach (var e in channel.Reader.ReadAllAsync(context.RequestAborted))
            {
                await context.Response.BodyWriter.WriteAsync(e, context.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
            // The client left.
        }
        finally
        {
            _watchers.AddOrUpdate(ns, _ => new([]), (_, w) => w.Without(channel));
        }
    }

    private void Broadcast(string ns, byte[] body)
    {
        if (!_watchers.TryGetValue(ns, out var watchers) || watchers.Channels.Count == 0)
        {
            return;
        }
        var e = new byte[body.Length + 30];
        var length = 0;
        Append("""{"type":"ADDED","object":"""u8);
        Append(body);
        Append("}\n"u8);
        var line = e[..length];
        foreach (var channel in watchers.Channels)
        {
            channel.Writer.TryWrite(line);
        }

        void Append(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(e.AsSpan(length));
            length += bytes.Length;
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream((int)(request.ContentLength ?? 1024));
        await request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private static async Task WriteAsync(HttpResponse response, int status, byte[] body)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body);
    }

    /// <summary>The watchers of one namespace, replaced as a whole on every change so broadcasts need no lock.</summary>
    private sealed record ImmutableWatchers(IReadOnlyList<Channel<byte[]>> Channels)
    {
        public ImmutableWatchers With(Channel<byte[]> channel) => new([.. Channels, channel]);

        public ImmutableWatchers Without(Channel<byte[]> channel) => new([.. Channels.Where(c => c != channel)]);
    }
}
