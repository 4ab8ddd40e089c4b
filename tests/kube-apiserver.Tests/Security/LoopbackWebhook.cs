using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Apiserver.Generic.Server.Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KubeApiserver.Tests.Security;

/// <summary>
/// A webhook served by the test itself: HTTPS on a loopback port with a certificate from a CA it
/// generates, requiring a client certificate from that CA, answering POSTs with <paramref name="answer"/>
/// and counting them; <see cref="WriteKubeconfig"/> writes the kubeconfig the API server is given.
/// </summary>
internal sealed class LoopbackWebhook(WebApplication app, string directory, Func<JsonObject, JsonObject> answer) : IAsyncDisposable
{
    private int _calls;

    /// <summary>How many reviews have been posted.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>The reviews posted, in order.</summary>
    public List<JsonObject> Requests { get; } = [];

    /// <summary>Starts the webhook; <paramref name="answer"/> maps a posted review to the answer.</summary>
    public static async Task<LoopbackWebhook> StartAsync(Func<JsonObject, JsonObject> answer)
    {
        var directory = Directory.CreateTempSubdirectory("webhook-").FullName;
        var certificates = SelfSignedCertificates.Ensure(directory, ["localhost"], [IPAddress.Loopback]);
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPem(certificates.CaCertificatePem);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(https =>
        {
            https.ServerCertificate = certificates.Serving;
            https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
            https.ClientCertificateValidation = (certificate, _, _) =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(certificate);
            };
        })));
        var app = builder.Build();
        var webhook = new LoopbackWebhook(app, directory, answer);
        app.MapPost("/", async (HttpContext context) =>
        {
            var review = (JsonObject)(await JsonNode.ParseAsync(context.Request.Body))!;
            Interlocked.Increment(ref webhook._calls);
            lock (webhook.Requests)
            {
                webhook.Requests.Add(review);
            }
            return Results.Text(webhook.Answer(review).ToJsonString(), "application/json");
        });
        await app.StartAsync();
        return webhook;
    }

    private JsonObject Answer(JsonObject review)
    {
        var status = answer(review);
        var reply = (JsonObject)review.DeepClone();
        reply["status"] = status;
        return reply;
    }

    /// <summary>A kubeconfig naming this webhook, its CA by file and a client certificate inline.</summary>
    public string WriteKubeconfig()
    {
        static string B64(string pem) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(pem));
        using var ca = X509Certificate2.CreateFromPemFile(Path.Combine(directory, SelfSignedCertificates.CaCertFile), Path.Combine(directory, SelfSignedCertificates.CaKeyFile));
        var client = ClientCertificates.Issue(ca, "kube-apiserver", []);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var path = Path.Combine(directory, $"webhook-{Guid.NewGuid():N}.kubeconfig");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: webhook
              cluster:
                server: {address}/
                certificate-authority: {SelfSignedCertificates.CaCertFile}
            users:
            - name: apiserver
              user:
                client-certificate-data: {B64(client.CertificatePem)}
                client-key-data: {B64(client.KeyPem)}
            contexts:
            - name: webhook
              context:
                cluster: webhook
                user: apiserver
            current-context: webhook

            """);
        return path;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }
}
