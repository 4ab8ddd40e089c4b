using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Etcdserverpb;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Apiserver.Generic.Storage.Etcd3;

/// <summary>
/// One gRPC channel to the etcd cluster, balanced round-robin over every endpoint (a member that is
/// down is skipped until it answers again), and unary calls that each get a deadline and are
/// retried within it when that is safe.
/// </summary>
internal sealed class Etcd3Client : IDisposable
{
    /// <summary>Asks etcd to end a stream when its member loses the leader (clientv3's <c>WithRequireLeader</c>).</summary>
    public static readonly Metadata RequireLeader = new() { { "hasleader", "true" } };

    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMilliseconds(500);

    private readonly GrpcChannel _channel;
    private readonly ServiceProvider _services;

    public Etcd3Client(Etcd3StorageOptions options)
    {
        Options = options;
        var endpoints = options.Endpoints.Select(e => new Uri(e)).ToList();
        var services = new ServiceCollection();
        services.AddSingleton<ResolverFactory>(
            new StaticResolverFactory(_ => endpoints.Select(u => new BalancerAddress(u.Host, u.Port))));
        _services = services.BuildServiceProvider();
        _channel = GrpcChannel.ForAddress("static:///etcd", new GrpcChannelOptions
        {
            Credentials = options.UsesTls ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure,
            HttpHandler = CreateHandler(options, endpoints),
            ServiceProvider = _services,
            ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } },
            InitialReconnectBackoff = TimeSpan.FromMilliseconds(100),
            MaxReconnectBackoff = options.MaxReconnectDelay,
            MaxReceiveMessageSize = null,
            MaxSendMessageSize = null,
        });
        Kv = new KV.KVClient(_channel);
        Watch = new Watch.WatchClient(_channel);
    }

    public Etcd3StorageOptions Options { get; }

    public KV.KVClient Kv { get; }

    public Watch.WatchClient Watch { get; }

    /// <summary>
    /// Runs one unary call with a deadline of <see cref="Etcd3StorageOptions.RequestTimeout"/> (or
    /// <paramref name="timeout"/>), retrying it within the deadline while etcd is unavailable: reads
    /// always, writes only when they certainly never left this process.
    /// </summary>
    public async Task<T> CallAsync<T>(
        Func<CallOptions, AsyncUnaryCall<T>> call, bool isRead, string key, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Options.RequestTimeout;
        var deadline = DateTime.UtcNow + limit;
        var delay = FirstRetryDelay;
        while (true)
        {
            try
            {
                return await call(new CallOptions(deadline: deadline, cancellationToken: cancellationToken)).ResponseAsync.ConfigureAwait(false);
            }
            catch (RpcException ex) when (!cancellationToken.IsCancellationRequested
                && (isRead ? Etcd3Errors.IsRetryableRead(ex) : Etcd3Errors.IsNotSent(ex))
                && DateTime.UtcNow + delay < deadline)
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
            catch (RpcException ex)
            {
                throw Etcd3Errors.Map(ex, key, limit, cancellationToken);
            }
        }
    }

    /// <summary>Reads the range (or counts it) as one call.</summary>
    public Task<RangeResponse> RangeAsync(RangeRequest request, string key, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        CallAsync(o => Kv.RangeAsync(request, o), isRead: true, key, cancellationToken, timeout);

    /// <summary>Runs a transaction; it is sent again only if it certainly never reached etcd.</summary>
    public Task<TxnResponse> TxnAsync(TxnRequest request, string key, CancellationToken cancellationToken) =>
        CallAsync(o => Kv.TxnAsync(request, o), isRead: false, key, cancellationToken);

    public void Dispose()
    {
        _channel.Dispose();
        _services.Dispose();
    }

    private static SocketsHttpHandler CreateHandler(Etcd3StorageOptions options, List<Uri> endpoints)
    {
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = options.RequestTimeout,
            // Finds a connection that died silently under a long watch; etcd permits pings on active streams.
            KeepAlivePingDelay = TimeSpan.FromSeconds(10),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(5),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
        };
        if (!options.UsesTls)
        {
            return handler;
        }

        var ca = options.CaFile is { } caFile ? X509CertificateLoader.LoadCertificateFromFile(caFile) : null;
        var hosts = endpoints.Select(e => e.Host).ToList();
        handler.SslOptions = new SslClientAuthenticationOptions
        {
            // One channel serves every member, so the name to check is any member's, not the channel's.
            RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                certificate is X509Certificate2 cert && IsTrusted(cert, ca, errors) && hosts.Any(h => cert.MatchesHostname(h)),
        };
        if (options.CertFile is { } certFile)
        {
            using var pem = X509Certificate2.CreateFromPemFile(certFile, options.KeyFile);
            // Re-imported so the private key is usable by SslStream on every platform.
            handler.SslOptions.ClientCertificates = [X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null)];
        }

        return handler;
    }

    private static bool IsTrusted(X509Certificate2 certificate, X509Certificate2? ca, SslPolicyErrors errors)
    {
        if (ca is null)
        {
            return (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
