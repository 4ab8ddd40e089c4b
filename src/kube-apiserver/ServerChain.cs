using System.Net;
using System.Security.Cryptography.X509Certificates;
using Apiserver.Aggregator;
using Apiserver.Extensions;
using Apiserver.Generic.Authentication;
using Apiserver.Generic.Authorization;
using Apiserver.Generic.Server;
using Apiserver.Generic.Server.Certificates;
using Apiserver.Generic.Webhooks;
using Apiserver.Generic.Storage;
using Apiserver.Generic.Storage.Cacher;
using Apiserver.Generic.Storage.Etcd3;
using Apiserver.Generic.Storage.Sqlite;
using Apiserver.Kube;
using Apiserver.Kube.Admission;
using Apiserver.Kube.Authorization;
using Apiserver.Kube.Controllers;
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
    private readonly ClientCertificate _adminCertificate;
    // Built with the chain and stopped before the storage they read (caches, webhook clients).
    private OwnedResources _owned = new();

    private ServerChain(PreparedApiServer server, IStorage storage, KubeApiserverOptions options, string caPem, string adminToken, ClientCertificate adminCertificate, string certificateDirectory)
    {
        _adminCertificate = adminCertificate;
        CertificateDirectory = certificateDirectory;
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

    /// <summary>
    /// The directory of the generated CA (<c>ca.crt</c>/<c>ca.key</c>), which also signs client
    /// certificates, and of the admin client certificate.
    /// </summary>
    public string CertificateDirectory { get; }

    /// <summary>The administrator's client certificate (<c>CN=kubernetes-admin, O=system:masters</c>), which the admin kubeconfig carries.</summary>
    public ClientCertificate AdminCertificate => _adminCertificate;

    /// <summary>The administrator's bearer token (still accepted besides the certificate).</summary>
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
        // Read before anything is opened, so that a bad file fails start-up cleanly.
        var kubelet = options.Kubelet.ToConfig();
        var dataDir = options.Storage.DataDir;
        Directory.CreateDirectory(dataDir);
        var pkiDir = options.Serving.CertDir ?? Path.Combine(dataDir, "pki");
        // A first start generates the service-account signing key, an RSA key and the slowest step
        // of start-up: it runs beside the certificates and the storage.
        var serviceAccountKeys = Task.Run(() => ServiceAccountKeys.Config(options.Security.ServiceAccounts, pkiDir), cancellationToken);
        var (serving, caPem) = LoadCertificates(options.Serving, pkiDir);
        var adminCertificate = AdminCredentials.EnsureCertificate(pkiDir);
        var clientCas = ClientCertificateAuthorities(options.Security, pkiDir);
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
        if (options.Storage.WatchCache)
        {
            // Reads and watches of every resource are served from memory; writes go through.
            storage = new WatchCache(storage, options.Storage.Prefix.TrimEnd('/') + "/", options.Storage.ToWatchCacheOptions(), loggerFactory.CreateLogger<WatchCache>());
        }
        var storageConfig = new StorageConfig(storage, options.Storage.Prefix);
        // Built here, stopped with the chain before the storage goes.
        var owned = new OwnedResources();
        // One in-memory view of the RBAC objects serves the RBAC authorizer and the escalation check.
        var rbacCache = owned.Add(new RbacPolicyCache(storage, options.Storage.Prefix, loggerFactory.CreateLogger("Apiserver.Kube.RbacCache")));
        var rbac = new RbacAuthorizer(rbacCache);
        // As kube-apiserver, system:masters is allowed before any mode is asked.
        var authorizer = new UnionAuthorizer([
            new PrivilegedGroupsAuthorizer(UserInfo.MastersGroup),
            .. options.Security.AuthorizationModes.Select(m => m switch
            {
                "RBAC" => rbac,
                "Node" => new NodeAuthorizer(storageConfig),
                "Webhook" => owned.Add(new WebhookAuthorizer(
                    KubeconfigWebhookClient.FromFile(options.Security.AuthorizationWebhookConfigFile!, KubeconfigWebhookClient.DefaultTimeout),
                    options.Security.AuthorizationWebhookCacheAuthorizedTtl, options.Security.AuthorizationWebhookCacheUnauthorizedTtl)),
                "AlwaysDeny" => (IAuthorizer)new AlwaysDenyAuthorizer(),
                "AlwaysAllow" => new AlwaysAllowAuthorizer(),
                _ => throw new ArgumentException($"--authorization-mode: unknown mode \"{m}\""),
            })]);
        var serviceAccounts = await serviceAccountKeys;
        var tokenAuthentication = TokenAuthentication.Create(serviceAccounts, options.Security.Oidc, storageConfig, loggerFactory);
        var staticTokens = new TokenAuthenticator(allTokens);
        var admission = KubeApiServer.DefaultAdmissionPlugins(storageConfig)
            .Where(p => !options.Security.DisabledAdmissionPlugins.Contains(p.Name))
            .Concat(options.Security.EnabledAdmissionPlugins.Contains("NodeRestriction") ? [new NodeRestriction(storageConfig)] : Array.Empty<Apiserver.Generic.Admission.IAdmissionPlugin>())
            // Not a plugin of kube's list: its RBAC storage refuses escalations whatever the plugins.
            .Append(new RbacEscalationCheck(authorizer, rbac))
            .ToList();
        var config = new ServerConfig
        {
            Serving = new ServingConfig
            {
                BindAddress = IPAddress.Parse(options.Serving.BindAddress),
                SecurePort = options.Serving.SecurePort,
                Certificate = serving,
                RequestClientCertificates = true,
                Http2MaxStreamsPerConnection = options.Serving.Http2MaxStreamsPerConnection > 0
                    ? options.Serving.Http2MaxStreamsPerConnection
                    : ServingConfig.DefaultHttp2MaxStreamsPerConnection,
            },
            // kube's order: client certificates, then bearer tokens.
            Authentication = new AuthenticationConfig
            {
                Authenticators = [new X509Authenticator(clientCas), staticTokens, tokenAuthentication.Bearer],
                Anonymous = options.Security.AnonymousAuth,
                // TokenReview asks every token authenticator; static tokens count for the API's audiences only.
                TokenAuthenticators = [new AudienceAgnosticTokenAuthenticator(serviceAccounts.ApiAudiences, staticTokens), .. tokenAuthentication.Tokens],
                ApiAudiences = serviceAccounts.ApiAudiences,
            }.WithDelegatedAuthenticators(options.Security, owned),
            Authorization = new AuthorizationConfig { Authorizer = authorizer },
            Admission = new AdmissionConfig { Plugins = admission },
            Storage = storageConfig,
            LoggerFactory = loggerFactory,
        };
        var completed = config.Complete();

        // Built back to front: each server is handed the one behind it.
        var extensions = ApiextensionsApiServer.New(completed, new NotFoundDelegate());
        PreparedApiServer? prepared = null;
        var kube = KubeApiServer.New(completed, extensions, serviceAccounts, options.ServiceNetwork.ToConfig(() => ApiserverEndpoint(options.Serving, prepared)),
            AuthenticationInfo(options.Security, clientCas), kubelet);
        var aggregator = AggregatorServer.New(completed, kube);
        prepared = aggregator.PrepareRun();
        return new ServerChain(prepared, storage, options, caPem, adminToken, adminCertificate, pkiDir) { _owned = owned };
    }

    /// <summary>Starts listening and writes the admin kubeconfig for the address actually bound.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await Server.StartAsync(cancellationToken);
        KubeconfigPath = Kubeconfig.Write(Options.Storage.DataDir, Address, _caPem, _adminCertificate);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await _owned.DisposeAsync();
        await _storage.DisposeAsync();
    }

    /// <summary>
    /// Where the <c>kubernetes</c> service points once the server listens: the bind address (the
    /// listening one when it is unspecified) and the port actually bound.
    /// </summary>
    private static IPEndPoint? ApiserverEndpoint(ServingOptions serving, PreparedApiServer? server)
    {
        if (server is not { Addresses: [var address, ..] })
        {
            return null;
        }
        var bind = IPAddress.Parse(serving.BindAddress);
        var ip = bind.Equals(IPAddress.Any) || bind.Equals(IPAddress.IPv6Any)
            ? IPAddress.TryParse(address.Host.Trim('[', ']'), out var listening) ? listening : IPAddress.Loopback
            : bind;
        return new IPEndPoint(ip, address.Port);
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

    /// <summary>
    /// The serving certificate: <c>--tls-cert-file</c>, or one generated in <paramref name="pkiDir"/>.
    /// Either way the generated CA exists afterwards, for the admin client certificate.
    /// </summary>
    private static (X509Certificate2 Serving, string CaPem) LoadCertificates(ServingOptions serving, string pkiDir)
    {
        if (serving.TlsCertFile is { } certFile)
        {
            // Generates the CA (and an unused serving certificate) when missing, for client certificates.
            SelfSignedCertificates.Ensure(pkiDir, ["localhost"], [IPAddress.Loopback]);
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
        var generated = SelfSignedCertificates.Ensure(pkiDir, names, addresses);
        return (generated.Serving, generated.CaCertificatePem);
    }

    /// <summary>
    /// The CAs client certificates may chain to: the generated one (which signs the admin
    /// certificate, so the admin kubeconfig keeps working) and those of <c>--client-ca-file</c>.
    /// </summary>
    /// <summary>What aggregated API servers are told of this server's client and proxy authentication.</summary>
    private static ClusterAuthenticationInfo AuthenticationInfo(SecurityOptions security, X509Certificate2Collection clientCas) => new()
    {
        ClientCaPem = string.Concat(clientCas.Select(c => c.ExportCertificatePem() + "\n")),
        RequestHeaderCaPem = security.RequestheaderClientCaFile is { } file ? File.ReadAllText(file) : null,
        RequestHeaderAllowedNames = security.RequestheaderAllowedNames,
        RequestHeaderUsernameHeaders = security.RequestheaderUsernameHeaders,
        RequestHeaderUidHeaders = security.RequestheaderUidHeaders,
        RequestHeaderGroupHeaders = security.RequestheaderGroupHeaders,
        RequestHeaderExtraHeaderPrefixes = security.RequestheaderExtraHeadersPrefix,
    };

    private static X509Certificate2Collection ClientCertificateAuthorities(SecurityOptions security, string pkiDir)
    {
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(Path.Combine(pkiDir, SelfSignedCertificates.CaCertFile));
        if (security.ClientCaFile is { } file)
        {
            try
            {
                authorities.ImportFromPemFile(file);
            }
            catch (System.Security.Cryptography.CryptographicException e)
            {
                throw new ArgumentException($"--client-ca-file \"{file}\": {e.Message}", e);
            }
        }
        return authorities;
    }
}
