using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Apiserver.Generic.Webhooks;
using Microsoft.AspNetCore.Http;

namespace Apiserver.Generic.Authentication;

/// <summary>
/// Webhook token authentication (<c>--authentication-token-webhook-config-file</c>): a bearer token
/// no earlier authenticator recognised is sent to a remote service as an
/// <c>authentication.k8s.io/v1</c> TokenReview; <c>status.authenticated</c> with <c>status.user</c>
/// names the user. Answers are cached by a hash of the token (<c>--authentication-token-webhook-cache-ttl</c>).
/// A token the webhook does not authenticate, or a failing webhook, is not recognised (so 401).
/// TokenReview asks it too, for the audiences the webhook was configured with.
/// </summary>
public sealed class WebhookTokenAuthenticator(KubeconfigWebhookClient client, TimeSpan cacheTtl, IReadOnlyList<string>? audiences = null) : IAuthenticator, ITokenAuthenticator, IDisposable
{
    private readonly ExpiringCache<string, UserInfo?> _cache = new(10_000);

    /// <inheritdoc/>
    public async ValueTask<AuthenticationResult> AuthenticateAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header["Bearer ".Length..].Trim() is not { Length: > 0 } token)
        {
            return AuthenticationResult.NotRecognized;
        }
        return await AuthenticateTokenAsync(token, cancellationToken) is { } user ? AuthenticationResult.Success(user) : AuthenticationResult.NotRecognized;
    }

    /// <inheritdoc/>
    /// <remarks>The webhook vouches for the token as the server sends it; wrap in <see cref="AudienceAgnosticTokenAuthenticator"/> to hold it to the API's audiences.</remarks>
    async ValueTask<TokenAuthenticationResult> ITokenAuthenticator.AuthenticateTokenAsync(string token, IReadOnlyList<string> requested, CancellationToken cancellationToken) =>
        await AuthenticateTokenAsync(token, cancellationToken) is { } user
            ? TokenAuthenticationResult.Success(user, requested)
            : TokenAuthenticationResult.NotRecognized;

    /// <summary>The user the webhook says <paramref name="token"/> belongs to, or null.</summary>
    public async Task<UserInfo?> AuthenticateTokenAsync(string token, CancellationToken cancellationToken)
    {
        // Never the token itself as a key: a memory dump must not reveal it.
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        if (_cache.TryGet(key, out var cached))
        {
            return cached;
        }
        var spec = new JsonObject { ["token"] = token };
        if (audiences is { Count: > 0 })
        {
            spec["audiences"] = new JsonArray([.. audiences.Select(a => (JsonNode?)JsonValue.Create(a))]);
        }
        JsonObject answer;
        try
        {
            answer = await client.PostAsync(new JsonObject { ["apiVersion"] = "authentication.k8s.io/v1", ["kind"] = "TokenReview", ["spec"] = spec }, cancellationToken);
        }
        catch (WebhookException)
        {
            return null; // Not cached: the next request asks again.
        }
        var status = answer["status"] as JsonObject ?? [];
        UserInfo? user = null;
        if ((bool?)status["authenticated"] == true && status["user"] is JsonObject info && (string?)info["username"] is { Length: > 0 } name)
        {
            var groups = (info["groups"] as JsonArray ?? []).Select(g => g?.ToString() ?? "").ToList();
            if (!groups.Contains(UserInfo.AuthenticatedGroup))
            {
                groups.Add(UserInfo.AuthenticatedGroup);
            }
            var extra = (info["extra"] as JsonObject ?? []).ToDictionary(
                e => e.Key, e => (IReadOnlyList<string>)[.. (e.Value as JsonArray ?? []).Select(v => v?.ToString() ?? "")]);
            user = new UserInfo(name, (string?)info["uid"] ?? "", groups, extra.Count > 0 ? extra : null);
        }
        _cache.Set(key, user, cacheTtl);
        return user;
    }

    /// <inheritdoc/>
    public void Dispose() => client.Dispose();
}
