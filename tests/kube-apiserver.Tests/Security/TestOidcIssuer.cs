using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Apiserver.Generic.Authentication.Jwt;
using Apiserver.Generic.Server.Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KubeApiserver.Tests.Security;

/// <summary>
/// An OpenID Connect issuer served by the test itself on loopback HTTPS (its own CA): a discovery
/// document and a JWKS with the keys it signs ID tokens with, which the test can rotate.
/// </summary>
internal sealed class TestOidcIssuer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private volatile IReadOnlyList<JsonWebKey> _published;
    private int _jwksFetches;

    private TestOidcIssuer(WebApplication app, string directory, JsonWebKey key)
    {
        _app = app;
        Directory = directory;
        SigningKey = key;
        _published = [key];
    }

    /// <summary>The issuer URL (<c>https://127.0.0.1:port</c>).</summary>
    public string Url { get; private set; } = "";

    /// <summary>Where its CA (<c>ca.crt</c>) lies.</summary>
    public string Directory { get; }

    /// <summary>The CA bundle the issuer's certificate chains to.</summary>
    public string CaFile => Path.Combine(Directory, SelfSignedCertificates.CaCertFile);

    /// <summary>The key tokens are signed with now.</summary>
    public JsonWebKey SigningKey { get; private set; }

    /// <summary>How often the key set was fetched.</summary>
    public int JwksFetches => _jwksFetches;

    public static async Task<TestOidcIssuer> StartAsync()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("oidc-issuer-").FullName;
        var certificates = SelfSignedCertificates.Ensure(directory, ["localhost"], [IPAddress.Loopback]);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificates.Serving)));
        var app = builder.Build();
        var issuer = new TestOidcIssuer(app, directory, NewKey());
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new JsonObject
        {
            ["issuer"] = issuer.Url,
            ["jwks_uri"] = issuer.Url + "/keys",
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
        }));
        app.MapGet("/keys", () =>
        {
            Interlocked.Increment(ref issuer._jwksFetches);
            return Results.Text(new JsonObject { ["keys"] = new JsonArray([.. issuer._published.Select(k => (JsonNode?)k.ToJson())]) }.ToJsonString(), "application/json");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        issuer.Url = "https://127.0.0.1:" + new Uri(address).Port;
        return issuer;
    }

    /// <summary>Signs with a new key from now on, publishing it beside the old one.</summary>
    public void RotateKey()
    {
        SigningKey = NewKey();
        _published = [.. _published, SigningKey];
    }

    /// <summary>An ID token for <paramref name="claims"/>, with <c>iss</c>, <c>iat</c> and <c>exp</c> (an hour) unless given.</summary>
    public string Token(JsonObject claims, JsonWebKey? key = null)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        claims["iss"] ??= Url;
        claims["iat"] ??= now;
        claims["exp"] ??= now + 3600;
        return JsonWebToken.Create(claims, key ?? SigningKey);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static JsonWebKey NewKey()
    {
        var key = JsonWebKey.For(RSA.Create(2048));
        return key with { KeyId = Guid.NewGuid().ToString("N") };
    }
}
