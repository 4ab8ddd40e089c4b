using System.Net;
using System.Security.Cryptography.X509Certificates;
using Apiserver.Aggregator;
using Apiserver.Extensions;
using Apiserver.Generic.Authentication;
using Apiserver.Generic.Authorization;
using Apiserver.Generic.Server;
using Apiserver.Generic.Server.Certificates;
using Apiserver.Generic.Storage;
using Apiserver.Generic.Storage.Etcd3;
using Apiserver.Generic.Storage.Sqlite;
using Apiserver.Kube;
using KubeApiserver.Options;
using Microsoft.Extensions.Logging;

namespace KubeApiserver;

/// <summary>
/// Composes the server chain from options: aggregator → kube → apiextensions → not found, over
/// an etcd cluster (<c>--etcd-servers</c>) or the embedded SQLite store in the data directory, with
/// generated certificates and admin credentials. The executable runs it; tests start it in-process the same way.
/// </summary>
public sealed class ServerChain : IAsyncDisposable
{
    private readonly IStorage _storage;
    private readonly string _caPem;
    private readonly string _adminToken;

    private ServerChain(PreparedApiServer server, IStorage storage, KubeApiserverOptions options, string caPem, string adminToken)
    {
        Server = server;
        _storage = storage;
        Options = options;
        _caPem = caPem;
        _adminToken = adminToken;
    }

    /// <summary>The running front server.</summary>
    public PreparedApiServer Server { get; }

    /// <summary>The options it was built from.</summary>
    public KubeApiserverOptions Options { get; }

    /// <summary>The HTTPS address, once started.</summary>
    public Uri Address => Server.Addresses[0];

    /// <summary>The admin kubeconfig's path, once started.</summary>
    public string KubeconfigPath { get; private set; } = "";

    /// <summary>The administrator's bearer token.</summary>
    public string AdminToken => _adminToken;

    /// <summary>The store the chain serves from (etcd or the embedded one).</summary>
    public IStorage Storage => _storage;

    /// <summary>The CA certificate (PEM) the serving certificate chains to.</summary>
    public string CaCertificatePem => _caPem;

    /// <summary>Builds the chain; nothing listens until <see cref="StartAsync"/>.</summary>
    /// <exception cref="ArgumentException">The options are invalid (every problem is listed).</exception>
    public static async Task<ServerChain> CreateAsync(KubeApiserverOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken = default)
    {
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems));
        }
        var dataDir = options.Storage.DataDir;
        Directory.CreateDirectory(dataDir);
        var (serving, caPem) = LoadCertificates(options.Serving, dataDir);
        var (adminToken, tokens) = AdminCredentials.Ensure(dataDir);
        var allTokens = new Dictionary<string, UserInfo>(tokens);
        if (options.Security.TokenAuthFile is { } tokenFile)
        {
            foreach (var (token, user) in TokenFile.Read(tokenFile))
            {
                allTokens[token] = user;
            }
        }

        var storage = await OpenStorageAsync(options.Storage, cancellationToken);
        var storageConfig = new StorageConfig(storage, options.Storage.Prefix);
        var admission = KubeApiServer.DefaultAdmissionPlugins(storageConfig)
            .Where(p => !options.Security.DisabledAdmissionPlugins.Contains(p.Name))
            .ToList();
        var config = new ServerConfig
        {
            Serving = new ServingConfig
            {
                BindAddress = IPAddress.Parse(options.Serving.BindAddress),
                SecurePort = options.Serving.SecurePort,
                Certificate = serving,
            },
            Authentication = new AuthenticationConfig { Authenticators = [new TokenAuthenticator(allTokens)] },
            Authorization = new AuthorizationConfig
            {
                Authorizer = new UnionAuthorizer([.. options.Security.AuthorizationModes.Select(m => m switch
                {
                    "AlwaysDeny" => (IAuthorizer)new AlwaysDenyAuthorizer(),
                    _ => new AlwaysAllowAuthorizer(),
                })]),
            },
            Admission = new AdmissionConfig { Plugins = admission },
            Storage = storageConfig,
            LoggerFactory = loggerFactory,
        };
        var completed = config.Complete();

        // Built back to front: each server is handed the one behind it.
        var extensions = ApiextensionsApiServer.New(completed, new NotFoundDelegate());
        var kube = KubeApiServer.New(completed, extensions);
        var aggregator = AggregatorServer.New(completed, kube);
        return new ServerChain(aggregator.PrepareRun(), storage, options, caPem, adminToken);
    }

    /// <summary>Starts listening and writes the admin kubeconfig for the address actually bound.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await Server.StartAsync(cancellationToken);
        KubeconfigPath = Kubeconfig.Write(Options.Storage.DataDir, Address, _caPem, _adminToken);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await _storage.DisposeAsync();
    }

    /// <summary>An etcd cluster when <c>--etcd-servers</c> is given, else the embedded store in the data directory.</summary>
    private static async Task<IStorage> OpenStorageAsync(StorageOptions options, CancellationToken cancellationToken)
    {
        if (options.UsesEtcd)
        {
            return Etcd3Storage.Open(options.ToEtcd3StorageOptions());
        }

        return await SqliteStorage.OpenInDirectoryAsync(
            options.DataDir, new SqliteStorageOptions { CompactionInterval = TimeSpan.FromMinutes(5) }, cancellationToken);
    }

    private static (X509Certificate2 Serving, string CaPem) LoadCertificates(ServingOptions serving, string dataDir)
    {
        if (serving.TlsCertFile is { } certFile)
        {
            var cert = X509Certificate2.CreateFromPemFile(certFile, serving.TlsPrivateKeyFile);
            return (cert, File.ReadAllText(certFile));
        }
        var bind = IPAddress.Parse(serving.BindAddress);
        List<IPAddress> addresses = [IPAddress.Loopback, IPAddress.IPv6Loopback];
        if (!bind.Equals(IPAddress.Any) && !bind.Equals(IPAddress.IPv6Any) && !addresses.Contains(bind))
        {
            addresses.Add(bind);
        }
        string[] names = ["localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"];
        var generated = SelfSignedCertificates.Ensure(serving.CertDir ?? Path.Combine(dataDir, "pki"), names, addresses);
        return (generated.Serving, generated.CaCertificatePem);
    }
}
