using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using Apiserver.Generic.Server.Certificates;
using k8s;
using KubeApiserver.Options;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeApiserver.Tests;

/// <summary>
/// The real server chain, started in-process on a free loopback port over a temporary data
/// directory, with clients that trust its generated CA and carry the admin token.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly bool _ownsDataDir;
    private readonly IReadOnlyList<string> _etcdServers;
    private readonly SecurityOptions? _security;
    private readonly bool _watchCache;
    private readonly ServiceNetworkOptions? _serviceNetwork;
    private readonly KubeletOptions? _kubelet;
    private readonly int _http2MaxStreams;

    private TestServer(ServerChain chain, string dataDir, bool ownsDataDir, IReadOnlyList<string> etcdServers, SecurityOptions? security, bool watchCache, ServiceNetworkOptions? serviceNetwork, KubeletOptions? kubelet, int http2MaxStreams)
    {
        _http2MaxStreams = http2MaxStreams;
        _kubelet = kubelet;
        _serviceNetwork = serviceNetwork;
        _security = security;
        _watchCache = watchCache;
        Chain = chain;
        DataDir = dataDir;
        _ownsDataDir = ownsDataDir;
        _etcdServers = etcdServers;
        Http = CreateHttpClient(chain.CaCertificatePem, chain.AdminToken);
        Http.BaseAddress = chain.Address;
    }

    /// <summary>The running chain.</summary>
    public ServerChain Chain { get; private set; }

    /// <summary>The data directory.</summary>
    public string DataDir { get; }

    /// <summary>An HTTP client authenticated as the admin.</summary>
    public HttpClient Http { get; private set; }

    /// <summary>The admin kubeconfig.</summary>
    public string KubeconfigPath => Chain.KubeconfigPath;

    /// <summary>
    /// Starts a server; over <paramref name="dataDir"/> when given (the caller then owns it), and
    /// over the etcd cluster at <paramref name="etcdServers"/> when given (else the embedded store),
    /// with <paramref name="security"/> when given (else the executable's defaults), and with the
    /// watch cache unless <paramref name="watchCache"/> is false; services take their addresses from
    /// <paramref name="serviceNetwork"/> when given, and reach kubelets as <paramref name="kubelet"/> says;
    /// <paramref name="http2MaxStreams"/> is <c>--http2-max-streams-per-connection</c>.
    /// </summary>
    public static async Task<TestServer> StartAsync(string? dataDir = null, IReadOnlyList<string>? etcdServers = null, SecurityOptions? security = null, bool watchCache = true, ServiceNetworkOptions? serviceNetwork = null,
        KubeletOptions? kubelet = null, int http2MaxStreams = 0)
    {
        var owns = dataDir is null;
        dataDir ??= Directory.CreateTempSubdirectory("kube-apiserver-test-").FullName;
        etcdServers ??= [];
        var chain = await StartChainAsync(dataDir, etcdServers, security, watchCache, serviceNetwork, kubelet, http2MaxStreams);
        return new TestServer(chain, dataDir, owns, etcdServers, security, watchCache, serviceNetwork, kubelet, http2MaxStreams);
    }

    /// <summary>The official C# client, configured from the generated kubeconfig.</summary>
    public Kubernetes CreateClient() =>
        new(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath));

    /// <summary>An admin HTTP client that speaks only HTTP/2, on a single connection, as client-go does.</summary>
    public HttpClient CreateHttp2Client()
    {
        var client = CreateHttpClient(Chain.CaCertificatePem, Chain.AdminToken);
        client.BaseAddress = Chain.Address;
        client.DefaultRequestVersion = HttpVersion.Version20;
        client.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        return client;
    }

    /// <summary>An HTTP client without credentials.</summary>
    public HttpClient CreateAnonymousHttpClient()
    {
        var client = CreateHttpClient(Chain.CaCertificatePem, token: null);
        client.BaseAddress = Chain.Address;
        return client;
    }

    /// <summary>Writes a kubeconfig for <paramref name="user"/> with a client certificate; returns its path.</summary>
    public string WriteKubeconfig(string user, ClientCertificate certificate)
    {
        static string B64(string pem) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(pem));
        var path = Path.Combine(DataDir, $"{user}-{Guid.NewGuid():N}.kubeconfig");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: test
              cluster:
                server: {Chain.Address.GetLeftPart(UriPartial.Authority)}
                certificate-authority-data: {B64(Chain.CaCertificatePem)}
            users:
            - name: {user}
              user:
                client-certificate-data: {B64(certificate.CertificatePem)}
                client-key-data: {B64(certificate.KeyPem)}
            contexts:
            - name: {user}@test
              context:
                cluster: test
                user: {user}
            current-context: {user}@test

            """);
        return path;
    }

    /// <summary>A client certificate for <paramref name="user"/> in <paramref name="groups"/>, signed by the server's generated CA.</summary>
    public ClientCertificate IssueClientCertificate(string user, params string[] groups)
    {
        using var ca = X509Certificate2.CreateFromPemFile(
            Path.Combine(Chain.CertificateDirectory, SelfSignedCertificates.CaCertFile),
            Path.Combine(Chain.CertificateDirectory, SelfSignedCertificates.CaKeyFile));
        return ClientCertificates.Issue(ca, user, groups);
    }

    /// <summary>An HTTP client that authenticates with <paramref name="certificate"/> only.</summary>
    public HttpClient CreateHttpClient(X509Certificate2 certificate)
    {
        var client = CreateHttpClient(Chain.CaCertificatePem, token: null, certificate);
        client.BaseAddress = Chain.Address;
        return client;
    }

    /// <summary>Stops the server and starts it again over the same data directory.</summary>
    public async Task RestartAsync()
    {
        await Chain.DisposeAsync();
        Http.Dispose();
        Chain = await StartChainAsync(DataDir, _etcdServers, _security, _watchCache, _serviceNetwork, _kubelet, _http2MaxStreams);
        Http = CreateHttpClient(Chain.CaCertificatePem, Chain.AdminToken);
        Http.BaseAddress = Chain.Address;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Chain.DisposeAsync();
        if (_ownsDataDir)
        {
            try
            {
                Directory.Delete(DataDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<ServerChain> StartChainAsync(string dataDir, IReadOnlyList<string> etcdServers, SecurityOptions? security, bool watchCache, ServiceNetworkOptions? serviceNetwork, KubeletOptions? kubelet, int http2MaxStreams)
    {
        var options = new KubeApiserverOptions
        {
            Serving = new ServingOptions { BindAddress = "127.0.0.1", SecurePort = 0, Http2MaxStreamsPerConnection = http2MaxStreams },
            Storage = new StorageOptions { DataDir = dataDir, EtcdServers = etcdServers, WatchCache = watchCache },
            Security = security ?? new SecurityOptions(),
            ServiceNetwork = serviceNetwork ?? new ServiceNetworkOptions(),
            Kubelet = kubelet ?? new KubeletOptions(),
        };
        var chain = await ServerChain.CreateAsync(options, NullLoggerFactory.Instance);
        await chain.StartAsync();
        await chain.Server.Started.WaitAsync(TimeSpan.FromSeconds(30));
        return chain;
    }

    private static HttpClient CreateHttpClient(string caPem, string? token, X509Certificate2? clientCertificate = null)
    {
        var ca = X509Certificate2.CreateFromPem(caPem);
        var handler = new HttpClientHandler
        {
            ClientCertificateOptions = ClientCertificateOption.Manual,
            ServerCertificateCustomValidationCallback = (_, cert, _, _) =>
            {
                if (cert is null)
                {
                    return false;
                }
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(cert);
            },
        };
        if (clientCertificate is not null)
        {
            handler.ClientCertificates.Add(clientCertificate);
        }
        var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }
}
