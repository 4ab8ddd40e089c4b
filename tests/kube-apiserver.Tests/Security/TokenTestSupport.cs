using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Apiserver.Generic.Authentication.Jwt;

namespace KubeApiserver.Tests.Security;

/// <summary>Bearer-token clients, token-only kubeconfigs, and JWTs minted by the tests themselves.</summary>
internal static class TokenTestSupport
{
    /// <summary>An HTTP client that authenticates with <paramref name="token"/> only.</summary>
    public static HttpClient BearerClient(this TestServer server, string token)
    {
        var client = server.CreateAnonymousHttpClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Writes a kubeconfig whose user is <paramref name="token"/> alone; returns its path.</summary>
    public static string WriteTokenKubeconfig(this TestServer server, string token)
    {
        var path = Path.Combine(server.DataDir, $"token-{Guid.NewGuid():N}.kubeconfig");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: test
              cluster:
                server: {server.Chain.Address.GetLeftPart(UriPartial.Authority)}
                certificate-authority-data: {Convert.ToBase64String(Encoding.UTF8.GetBytes(server.Chain.CaCertificatePem))}
            users:
            - name: bearer
              user:
                token: {token}
            contexts:
            - name: bearer@test
              context:
                cluster: test
                user: bearer
            current-context: bearer@test

            """);
        return path;
    }

    /// <summary>The server's service-account signing key (generated in its certificate directory).</summary>
    public static JsonWebKey SigningKey(this TestServer server) =>
        JsonWebKey.For(PemKeys.ReadPrivate(Path.Combine(server.Chain.CertificateDirectory, "sa.key")));

    /// <summary>The claims of a JWT, unverified.</summary>
    public static JsonObject Claims(string token) => (JsonObject)JsonNode.Parse(Base64Url.DecodeFromChars(token.Split('.')[1]))!;

    /// <summary>The header of a JWT.</summary>
    public static JsonObject Header(string token) => (JsonObject)JsonNode.Parse(Base64Url.DecodeFromChars(token.Split('.')[0]))!;

    /// <summary>A token with <paramref name="token"/>'s claims changed by <paramref name="change"/>, signed by <paramref name="key"/>.</summary>
    public static string Resign(string token, JsonWebKey key, Action<JsonObject>? change = null)
    {
        var claims = Claims(token);
        change?.Invoke(claims);
        return JsonWebToken.Create(claims, key);
    }

    /// <summary>A fresh RSA key named as a service-account key would be.</summary>
    public static JsonWebKey NewRsaKey() => JsonWebKey.For(RSA.Create(2048));

    /// <summary>Seconds since the epoch.</summary>
    public static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
