using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Apiserver.Generic.Authentication.Jwt;
using Microsoft.Extensions.Logging;

namespace Apiserver.Generic.Authentication.Oidc;

/// <summary>
/// An OIDC issuer's signing keys: its discovery document (<c>/.well-known/openid-configuration</c>)
/// names the <c>jwks_uri</c>, whose keys are cached and fetched again when a token names an unknown
/// key id (at most every <see cref="MinRefreshInterval"/>, so a flood of forged ids cannot hammer the issuer).
/// It lives as long as the server's authenticators, and its HTTP client with it.
/// </summary>
public sealed partial class OidcKeySource : IJsonWebKeySource
{
    /// <summary>The shortest time between two fetches.</summary>
    public static readonly TimeSpan MinRefreshInterval = TimeSpan.FromSeconds(5);

    private readonly string _issuer;
    private readonly HttpClient _http;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _fetch = new(1, 1);
    private IReadOnlyList<JsonWebKey> _keys = [];
    private DateTimeOffset _lastFetch = DateTimeOffset.MinValue;

    /// <summary>A source for <paramref name="issuer"/>, trusting <paramref name="authorities"/> (the system's CAs when null).</summary>
    public OidcKeySource(string issuer, X509Certificate2Collection? authorities, ILogger logger)
    {
        _issuer = issuer;
        _logger = logger;
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (authorities is { Count: > 0 })
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null)
                {
                    return false;
                }
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                // The chain is ours to judge; the host name still has to match.
                return chain.Build(new X509Certificate2(certificate)) && (errors & System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch) == 0;
            };
        }
        _http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<JsonWebKey>> GetKeysAsync(string? keyId, CancellationToken cancellationToken)
    {
        var keys = _keys;
        if (keys.Count > 0 && (keyId is null || keys.Any(k => k.KeyId == keyId)))
        {
            return keys;
        }
        await _fetch.WaitAsync(cancellationToken);
        try
        {
            if (_keys != keys || DateTimeOffset.UtcNow - _lastFetch < MinRefreshInterval)
            {
                return _keys; // Another request fetched meanwhile, or one did a moment ago.
            }
            _lastFetch = DateTimeOffset.UtcNow;
            try
            {
                _keys = await FetchAsync(cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or InvalidDataException)
            {
                LogFetchFailed(_logger, _issuer, e.Message);
            }
            return _keys;
        }
        finally
        {
            _fetch.Release();
        }
    }

    private async Task<IReadOnlyList<JsonWebKey>> FetchAsync(CancellationToken cancellationToken)
    {
        var discovery = await _http.GetFromJsonAsync<JsonObject>(_issuer.TrimEnd('/') + "/.well-known/openid-configuration", cancellationToken)
            ?? throw new InvalidDataException("empty discovery document");
        if ((string?)discovery["issuer"] != _issuer)
        {
            throw new InvalidDataException($"oidc: issuer did not match the issuer returned by provider, expected \"{_issuer}\" got \"{discovery["issuer"]}\"");
        }
        if ((string?)discovery["jwks_uri"] is not { Length: > 0 } jwksUri)
        {
            throw new InvalidDataException("the discovery document names no jwks_uri");
        }
        var jwks = await _http.GetFromJsonAsync<JsonObject>(jwksUri, cancellationToken) ?? throw new InvalidDataException("empty JWKS");
        IReadOnlyList<JsonWebKey> keys = [.. (jwks["keys"] as JsonArray ?? []).OfType<JsonObject>().Select(JsonWebKey.FromJson).OfType<JsonWebKey>()];
        LogFetched(_logger, _issuer, keys.Count);
        return keys;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fetching the keys of OIDC issuer {Issuer} failed: {Reason}")]
    private static partial void LogFetchFailed(ILogger logger, string issuer, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fetched {Count} keys of OIDC issuer {Issuer}")]
    private static partial void LogFetched(ILogger logger, string issuer, int count);
}
