using System.Collections.Concurrent;
using Apiserver.Generic.Endpoints;
using Apiserver.Generic.Filters;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Apiserver.Generic.Server;

/// <summary>
/// The front server of a chain, ready to run: it listens with HTTPS on Kestrel, runs the handler
/// chain, serves discovery, version and health for the whole chain, runs every post-start hook, and
/// shuts down gracefully (readiness fails first, then in-flight requests finish, watches end).
/// </summary>
public sealed class PreparedApiServer : IAsyncDisposable
{
    private readonly GenericApiServer _server;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, bool> _finishedHooks = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication? _app;

    internal PreparedApiServer(GenericApiServer server)
    {
        _server = server;
        _logger = server.Config.LoggerFactory.CreateLogger("Apiserver.Server");
    }

    /// <summary>The addresses the server listens on, once started (e.g. <c>https://127.0.0.1:6443</c>).</summary>
    public IReadOnlyList<Uri> Addresses { get; private set; } = [];

    /// <summary>Completes when every post-start hook has finished and the server is ready.</summary>
    public Task Started => _started.Task;

    /// <summary>Starts listening and runs the post-start hooks in the background.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var config = _server.Config;
        // An empty host: the slim builder's appsettings files would watch the working directory
        // (recursively) for changes, which costs start-up time and an inotify watch per folder.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseKestrelCore();
        builder.Services.AddLogging();
        // Connect subresources (pods/exec, services/proxy, …) forward with YARP.
        builder.Services.AddHttpForwarder();
        builder.Services.AddSingleton(config.LoggerFactory);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = config.Serving.ShutdownTimeout);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.Http2.MaxStreamsPerConnection = config.Serving.Http2MaxStreamsPerConnection;
            kestrel.Listen(config.Serving.BindAddress, config.Serving.SecurePort, listen =>
            {
                if (config.Serving.Certificate is { } certificate)
                {
                    listen.UseHttps(new HttpsConnectionAdapterOptions
                    {
                        ServerCertificate = certificate,
                        ClientCertificateMode = config.Serving.RequestClientCertificates ? ClientCertificateMode.AllowCertificate : ClientCertificateMode.NoCertificate,
                        // Any certificate is let through the handshake: the x509 authenticator decides, so a bad one is a 401 Status, not a TLS failure.
                        ClientCertificateValidation = (_, _, _) => true,
                    });
                }
            });
        });
        var app = builder.Build();
        var endpoints = new NonResourceEndpoints(_server, config.Version, _finishedHooks.ContainsKey, () => _stopping.IsCancellationRequested, _logger);
        DefaultHandlerChain.Build(app, config, async context =>
        {
            if (!await endpoints.TryHandleAsync(context))
            {
                await _server.UnprotectedHandler(context);
            }
        });
        app.Lifetime.ApplicationStopping.Register(() => _stopping.Cancel());
        await app.StartAsync(cancellationToken);
        _app = app;

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        Addresses = [.. addresses.Select(a => new Uri(a.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)))];
        foreach (var address in Addresses)
        {
            ServerLog.Serving(_logger, address.ToString());
        }
        _ = RunHooksAsync();
    }

    /// <summary>Starts, then serves until <paramref name="cancellationToken"/> fires or the process is asked to stop (SIGTERM, Ctrl+C).</summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        await StartAsync(cancellationToken);
        try
        {
            await _app!.WaitForShutdownAsync(cancellationToken);
        }
        finally
        {
            await StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Stops accepting requests and waits (up to the shutdown timeout) for in-flight ones.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_app is not { } app)
        {
            return;
        }
        ServerLog.ShuttingDown(_logger);
        _stopping.Cancel();
        await app.StopAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app = null;
        }
        _stopping.Dispose();
    }

    private async Task RunHooksAsync()
    {
        // Hooks run concurrently, as kube-apiserver runs them; each reports its own completion.
        await Task.WhenAll(_server.PostStartHooks.Select(async hook =>
        {
            try
            {
                await hook.Run(_stopping.Token);
                _finishedHooks[hook.Name] = true;
                ServerLog.HookFinished(_logger, hook.Name);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                ServerLog.HookFailed(_logger, hook.Name, e);
            }
        }));
        if (_server.PostStartHooks.All(h => _finishedHooks.ContainsKey(h.Name)))
        {
            _server.OnStarted();
            ServerLog.Started(_logger);
            _started.TrySetResult();
        }
    }
}
