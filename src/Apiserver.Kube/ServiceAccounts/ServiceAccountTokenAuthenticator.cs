using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Authentication;
using Apiserver.Generic.Authentication.Jwt;
using Apiserver.Generic.Registry.Rest;

namespace Apiserver.Kube.ServiceAccounts;

/// <summary>
/// Bound service-account tokens: a JWT whose <c>iss</c> is one of the issuers, signed by one of
/// the service-account keys, meant for one of the requested audiences, and naming a service
/// account (and pod, secret or node) that still exists with the uid it names. The user is
/// <c>system:serviceaccount:&lt;ns&gt;:&lt;name&gt;</c> in the service-account groups.
/// </summary>
public sealed class ServiceAccountTokenAuthenticator(ServiceAccountTokenConfig config, ServiceAccountObjects objects, TimeProvider? time = null) : ITokenAuthenticator
{
    /// <summary>kube's <c>jwt.DefaultLeeway</c>: the clock skew tolerated, and how long a deleted object's tokens live on.</summary>
    public static readonly TimeSpan Leeway = TimeSpan.FromMinutes(1);

    private const string ExtraPrefix = "authentication.kubernetes.io/";

    private readonly JwtVerifier _verifier = new(new StaticJsonWebKeySource(config.VerificationKeys), JwtAlgorithms.Supported, Leeway);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <inheritdoc/>
    public async ValueTask<TokenAuthenticationResult> AuthenticateTokenAsync(string token, IReadOnlyList<string> audiences, CancellationToken cancellationToken)
    {
        if (!JsonWebToken.TryParse(token, out var jwt) || jwt!.Issuer is not { } issuer || !config.Issuers.Contains(issuer))
        {
            return TokenAuthenticationResult.NotRecognized;
        }
        var now = _time.GetUtcNow();
        switch (await _verifier.VerifyAsync(jwt, now, cancellationToken))
        {
            case JwtFailure.None:
                break;
            case JwtFailure.Expired:
                return TokenAuthenticationResult.Rejected("service account token has expired");
            case JwtFailure.NotYetValid:
                return TokenAuthenticationResult.Rejected("service account token is not valid yet");
            case JwtFailure.MissingExpiry:
                return TokenAuthenticationResult.Rejected("service account token claims could not be validated: no expiry");
            default:
                return TokenAuthenticationResult.Rejected("invalid signature");
        }
        var tokenAudiences = jwt.Audiences.Count > 0 ? jwt.Audiences : config.ApiAudiences;
        IReadOnlyList<string> valid = [.. audiences.Intersect(tokenAudiences, StringComparer.Ordinal)];
        if (valid.Count == 0)
        {
            return TokenAuthenticationResult.Rejected($"token audiences {Quote(tokenAudiences)} is invalid for the target audiences {Quote(audiences)}");
        }
        if (jwt.Payload[ServiceAccountClaims.PrivateClaim] is not JsonObject claims
            || Ref(claims["serviceaccount"]) is not { } account
            || !(claims["namespace"] is JsonValue nsValue && nsValue.TryGetValue<string>(out var ns) && ns.Length > 0))
        {
            return TokenAuthenticationResult.Rejected("service account token claims could not be validated due to unexpected private claim");
        }
        var (pod, secret, node) = (Ref(claims["pod"]), Ref(claims["secret"]), Ref(claims["node"]));
        if (await LookupAsync(ns, account, pod, secret, node, now, cancellationToken) is { } error)
        {
            return TokenAuthenticationResult.Rejected(error);
        }

        var extra = new Dictionary<string, IReadOnlyList<string>>();
        if (pod is not null)
        {
            extra[ExtraPrefix + "pod-name"] = [pod.Value.Name];
            extra[ExtraPrefix + "pod-uid"] = [pod.Value.Uid];
        }
        if (node is not null)
        {
            extra[ExtraPrefix + "node-name"] = [node.Value.Name];
            extra[ExtraPrefix + "node-uid"] = [node.Value.Uid];
        }
        if (jwt.StringClaim("jti") is { Length: > 0 } jti)
        {
            extra[ExtraPrefix + "credential-id"] = ["JTI=" + jti];
        }
        var user = new UserInfo(
            ServiceAccountClaims.UserName(ns, account.Name),
            account.Uid,
            ["system:serviceaccounts", "system:serviceaccounts:" + ns, UserInfo.AuthenticatedGroup],
            extra.Count > 0 ? extra : null);
        return TokenAuthenticationResult.Success(user, valid);
    }

    /// <summary>Why the token no longer stands (its account or bound object is gone or replaced), or null.</summary>
    private async Task<string?> LookupAsync(string ns, ObjectRef account, ObjectRef? pod, ObjectRef? secret, ObjectRef? node, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Objects deleted more than the leeway ago count as gone (graceful deletion leaves them a while).
        bool Deleted(JsonObject obj) => ObjectMeta.ParseTime(obj.Metadata()["deletionTimestamp"]) is { } at && at < now - Leeway;

        var stored = await objects.RecentAsync(TokenObject.ServiceAccount, ns, account.Name, cancellationToken);
        if (stored is null)
        {
            return $"serviceaccounts \"{account.Name}\" not found";
        }
        if (Deleted(stored))
        {
            return $"service account {ns}/{account.Name} has been deleted";
        }
        if (stored.GetUid() != account.Uid)
        {
            return $"service account UID ({stored.GetUid()}) does not match claim ({account.Uid})";
        }
        if (secret is { } s && await CheckAsync(TokenObject.Secret, s, "secret") is { } secretError)
        {
            return secretError;
        }
        if (pod is { } p && await CheckAsync(TokenObject.Pod, p, "pod") is { } podError)
        {
            return podError;
        }
        // A pod-bound token names the pod's node for information; only a node-bound one depends on it.
        if (pod is null && node is { } n && await CheckAsync(TokenObject.Node, n, "node") is { } nodeError)
        {
            return nodeError;
        }
        return null;

        async Task<string?> CheckAsync(TokenObject type, ObjectRef reference, string kind)
        {
            var obj = await objects.RecentAsync(type, ns, reference.Name, cancellationToken);
            if (obj is null || Deleted(obj))
            {
                return "service account token has been invalidated";
            }
            return obj.GetUid() == reference.Uid ? null : $"{kind} UID ({obj.GetUid()}) does not match service account {kind} ref claim ({reference.Uid})";
        }
    }

    private static ObjectRef? Ref(JsonNode? node) =>
        node is JsonObject o && o["name"] is JsonValue n && n.TryGetValue<string>(out var name) && name.Length > 0
            ? new ObjectRef(name, o["uid"] is JsonValue u && u.TryGetValue<string>(out var uid) ? uid : "")
            : null;

    /// <summary>Go's <c>%q</c> of a string slice: <c>["a" "b"]</c>.</summary>
    private static string Quote(IReadOnlyList<string> values) => "[" + string.Join(" ", values.Select(v => $"\"{v}\"")) + "]";

    private readonly record struct ObjectRef(string Name, string Uid);
}
