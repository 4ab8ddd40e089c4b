using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Apiserver.Generic.Server.Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;

namespace KubeApiserver.Tests.Kubelet;

/// <summary>
/// A test-only kubelet: HTTPS on a free loopback port with a certificate of its own CA, serving
/// <c>/containerLogs</c> (with follow), <c>/exec</c> and <c>/attach</c> over WebSocket (the
/// <c>v5.channel.k8s.io</c> and <c>v4.channel.k8s.io</c> protocols: a channel byte, then the
/// payload; 1 stdout, 2 stderr, 3 the final Status) and, on any other path, an echo of the request.
/// It records what it was asked and with which client certificate.
/// </summary>
internal sealed class FakeKubelet : IAsyncDisposable
{
    private static readonly string[] Protocols = ["v5.channel.k8s.io", "v4.channel.k8s.io"];
    private readonly WebApplication _app;

    private FakeKubelet(WebApplication app, string caFile)
    {
        _app = app;
        CaFile = caFile;
    }

    /// <summary>The port it listens on (127.0.0.1).</summary>
    public int Port { get; private set; }

    /// <summary>The file of the CA its serving certificate chains to.</summary>
    public string CaFile { get; }

    /// <summary>Every request it received, in order.</summary>
    public ConcurrentQueue<SeenRequest> Requests { get; } = new();

    /// <summary>The log each <c>namespace/pod/container</c> has.</summary>
    public ConcurrentDictionary<string, string> Logs { get; } = new();

    /// <summary>Starts it with a CA and serving certificate generated in <paramref name="certificateDirectory"/>.</summary>
    public static async Task<FakeKubelet> StartAsync(string certificateDirectory)
    {
        var certificates = SelfSignedCertificates.Ensure(certificateDirectory, ["localhost"], [IPAddress.Loopback]);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRouting();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificate = certificates.Serving,
            ClientCertificateMode = ClientCertificateMode.AllowCertificate,
            ClientCertificateValidation = (_, _, _) => true,
        })));
        var app = builder.Build();
        var kubelet = new FakeKubelet(app, Path.Combine(certificateDirectory, SelfSignedCertificates.CaCertFile));
        app.UseWebSockets();
        app.Run(kubelet.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        kubelet.Port = new Uri(address).Port;
        return kubelet;
    }

    /// <summary>The requests seen whose path starts with <paramref name="prefix"/>.</summary>
    public IReadOnlyList<SeenRequest> Seen(string prefix) => [.. Requests.Where(r => r.Path.StartsWith(prefix, StringComparison.Ordinal))];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        Requests.Enqueue(new SeenRequest(request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "",
            context.Connection.ClientCertificate?.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false),
            request.Headers.Authorization.ToString(), request.Headers["X-Forwarded-For"].ToString(), context.WebSockets.IsWebSocketRequest));
        var parts = (request.Path.Value ?? "").Trim('/').Split('/');
        switch (parts)
        {
            case ["containerLogs", var ns, var pod, var container]:
                await ServeLogAsync(context, $"{ns}/{pod}/{container}");
                break;
            case ["exec" or "attach", _, _, var container]:
                await ServeSessionAsync(context, parts[0], container);
                break;
            default:
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync($"kubelet saw {request.Method} {request.Path}{request.QueryString}");
                break;
        }
    }

    private async Task ServeLogAsync(HttpContext context, string key)
    {
        if (!Logs.TryGetValue(key, out var log))
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync($"container {key} has no log here");
            return;
        }
        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync(log);
        await context.Response.Body.FlushAsync();
        if (context.Request.Query["follow"] == "true")
        {
            // A followed log stays open until the client goes away.
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    // A command is "echo words…" (stdout, success) or "exit N" (stderr, exit code N); attach says hello.
    private static async Task ServeSessionAsync(HttpContext context, string action, string container)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsync("expected a WebSocket upgrade");
            return;
        }
        var protocol = Protocols.FirstOrDefault(context.WebSockets.WebSocketRequestedProtocols.Contains);
        using var socket = await context.WebSockets.AcceptWebSocketAsync(protocol);
        var command = context.Request.Query["command"].Select(c => c ?? "").ToArray();
        JsonObject status = new() { ["metadata"] = new JsonObject(), ["status"] = "Success" };
        if (action == "attach")
        {
            await SendAsync(socket, 1, $"attached to {container}\n");
        }
        else if (command is ["exit", var code])
        {
            await SendAsync(socket, 2, $"exiting with {code}\n");
            status = new JsonObject
            {
                ["metadata"] = new JsonObject(),
                ["status"] = "Failure",
                ["message"] = $"command terminated with non-zero exit code: exit status {code}",
                ["reason"] = "NonZeroExitCode",
                ["details"] = new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["reason"] = "ExitCode", ["message"] = code }) },
            };
        }
        else if (command is ["echo", .. var words])
        {
            await SendAsync(socket, 1, string.Join(" ", words) + "\n");
        }
        await SendAsync(socket, 3, status.ToJsonString());
        using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, closing.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client may drop the connection once it has the status.
        }
    }

    private static Task SendAsync(WebSocket socket, byte channel, string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        var frame = new byte[payload.Length + 1];
        frame[0] = channel;
        payload.CopyTo(frame, 1);
        return socket.SendAsync(frame, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
    }
}

/// <summary>One request the fake kubelet received.</summary>
internal sealed record SeenRequest(string Method, string Path, string Query, string? ClientCertificate, string Authorization, string ForwardedFor, bool WebSocket);
