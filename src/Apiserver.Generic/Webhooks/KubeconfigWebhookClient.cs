using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Apiserver.Generic.Serialization.Yaml;

namespace Apiserver.Generic.Webhooks;

/// <summary>
/// Posts JSON review objects to a webhook described by a kubeconfig file, as kube's
/// <c>--authorization-webhook-config-file</c> and <c>--authentication-token-webhook-config-file</c>
/// describe it: the current context's (else the first) cluster gives the URL and the CA
/// (<c>certificate-authority</c>/<c>-data</c>), its user the client certificate and key
/// (<c>client-certificate</c>/<c>-data</c>, <c>client-key</c>/<c>-data</c>) or a bearer <c>token</c>.
/// </summary>
public sealed class KubeconfigWebhookClient : IDisposable
{
    /// <summary>kube's default for a webhook call: 30 seconds.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;
    private readonly Uri _server;

    private KubeconfigWebhookClient(HttpClient http, Uri server)
    {
        _http = http;
        _server = server;
    }

    /// <summary>Reads the kubeconfig at <paramref name="path"/>.</summary>
    /// <exception cref="ArgumentException">The file is not a usable kubeconfig (the message says why).</exception>
    public static KubeconfigWebhookClient FromFile(string path, TimeSpan timeout)
    {
        var config = YamlConverter.ToJson(File.ReadAllText(path)) as JsonObject ?? throw new ArgumentException($"{path}: not a kubeconfig");
        var baseDir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var context = Named(config, "contexts", (string?)config["current-context"])?["context"];
        var cluster = Named(config, "clusters", (string?)context?["cluster"])?["cluster"] as JsonObject
            ?? throw new ArgumentException($"{path}: no cluster");
        var user = Named(config, "users", (string?)context?["user"])?["user"] as JsonObject ?? [];
        if (!Uri.TryCreate((string?)cluster["server"], UriKind.Absolute, out var server))
        {
            throw new ArgumentException($"{path}: the cluster has no valid server URL");
        }

        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (Pem(cluster, "certificate-authority", baseDir) is { } caPem)
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPem(caPem);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                certificate is X509Certificate2 presented && ChainsTo(presented, authorities)
                && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0;
        }
        else if ((bool?)cluster["insecure-skip-tls-verify"] == true)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }
        if (Pem(user, "client-certificate", baseDir) is { } certPem && Pem(user, "client-key", baseDir) is { } keyPem)
        {
            handler.SslOptions.ClientCertificates = [X509Certificate2.CreateFromPem(certPem, keyPem)];
        }
        var http = new HttpClient(handler) { Timeout = timeout };
        if ((string?)user["token"] is { Length: > 0 } token)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return new KubeconfigWebhookClient(http, server);
    }

    /// <summary>Posts <paramref name="review"/> and returns the webhook's answer.</summary>
    /// <exception cref="WebhookException">The webhook could not be reached or answered something other than a 2xx JSON object.</exception>
    public async Task<JsonObject> PostAsync(JsonObject review, CancellationToken cancellationToken)
    {
        try
        {
            using var content = new StringContent(review.ToJsonString(), Encoding.UTF8, "application/json");
            using var response = await _http.PostAsync(_server, content, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new WebhookException($"the webhook answered {(int)response.StatusCode}");
            }
            return JsonNode.Parse(body) as JsonObject ?? throw new WebhookException("the webhook answered something other than an object");
        }
        catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new WebhookException($"the webhook failed: {e.Message}", e);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();

    /// <summary>The entry of <paramref name="list"/> called <paramref name="name"/>, or the first when no name is given.</summary>
    private static JsonObject? Named(JsonObject config, string list, string? name)
    {
        var entries = (config[list] as JsonArray ?? []).OfType<JsonObject>();
        return name is { Length: > 0 } ? entries.FirstOrDefault(e => (string?)e["name"] == name) : entries.FirstOrDefault();
    }

    /// <summary>A PEM given inline (<c>&lt;field&gt;-data</c>, base64) or as a file (relative to the kubeconfig).</summary>
    private static string? Pem(JsonObject section, string field, string baseDir)
    {
        if ((string?)section[field + "-data"] is { Length: > 0 } data)
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(data));
        }
        return (string?)section[field] is { Length: > 0 } file ? File.ReadAllText(Path.Combine(baseDir, file)) : null;
    }

    private static bool ChainsTo(X509Certificate2 certificate, X509Certificate2Collection authorities)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        return chain.Build(certificate);
    }
}
