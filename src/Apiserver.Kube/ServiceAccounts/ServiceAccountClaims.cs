using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Authentication.Jwt;

namespace Apiserver.Kube.ServiceAccounts;

/// <summary>
/// The claims of a bound service-account token, as kube's <c>serviceaccount.Claims</c> writes
/// them: <c>iss</c>, <c>sub</c>, <c>aud</c>, <c>exp</c>, <c>iat</c>, <c>nbf</c>, <c>jti</c> and the private
/// <c>kubernetes.io</c> claim naming the namespace, account, and the pod, secret or node bound to.
/// </summary>
public static class ServiceAccountClaims
{
    /// <summary>The lifetime kube injects into projected tokens to find clients that do not refresh them.</summary>
    public const long WarnOnlyExpirationSeconds = 3607;

    /// <summary>The lifetime such tokens get when <see cref="ServiceAccountTokenConfig.ExtendExpiration"/> is on: a year.</summary>
    public const long ExtendedExpirationSeconds = 365 * 24 * 60 * 60;

    /// <summary>The private claim's name.</summary>
    public const string PrivateClaim = "kubernetes.io";

    /// <summary>The user name of a service account.</summary>
    public static string UserName(string ns, string name) => $"system:serviceaccount:{ns}:{name}";

    /// <summary>
    /// The claims of a token for <paramref name="account"/>, bound to <paramref name="pod"/> (and its
    /// node, when scheduled) or <paramref name="secret"/> or <paramref name="node"/>, valid from <paramref name="now"/>.
    /// </summary>
    public static JsonObject For(string issuer, IReadOnlyList<string> audiences, JsonObject account, JsonObject? pod, JsonObject? secret, JsonObject? node, DateTimeOffset now, long expirationSeconds, long warnAfterSeconds)
    {
        var ns = account.GetNamespace();
        var kubernetes = new JsonObject { ["namespace"] = ns };
        if (node is not null)
        {
            kubernetes["node"] = Ref(node);
        }
        if (pod is not null)
        {
            kubernetes["pod"] = Ref(pod);
        }
        if (secret is not null)
        {
            kubernetes["secret"] = Ref(secret);
        }
        kubernetes["serviceaccount"] = Ref(account);
        if (warnAfterSeconds > 0)
        {
            kubernetes["warnafter"] = now.ToUnixTimeSeconds() + warnAfterSeconds;
        }
        // go-jose writes the claims as one JSON object with sorted keys.
        return new JsonObject
        {
            ["aud"] = new JsonArray([.. audiences.Select(a => (JsonNode?)JsonValue.Create(a))]),
            ["exp"] = now.ToUnixTimeSeconds() + expirationSeconds,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["iss"] = issuer,
            ["jti"] = Guid.NewGuid().ToString(),
            [PrivateClaim] = kubernetes,
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["sub"] = UserName(ns, account.GetName()),
        };
    }

    /// <summary>Signs <paramref name="claims"/> as a compact JWS.</summary>
    public static string Sign(JsonObject claims, JsonWebKey key) => JsonWebToken.Create(claims, key);

    private static JsonObject Ref(JsonObject obj) => new() { ["name"] = obj.GetName(), ["uid"] = obj.GetUid() };
}
