using System.Text.Json.Nodes;
using Apiserver.Generic.Authentication;
using Apiserver.Generic.Webhooks;

namespace Apiserver.Generic.Authorization;

/// <summary>
/// <c>--authorization-mode=Webhook</c>: asks a remote service by posting an
/// <c>authorization.k8s.io/v1</c> SubjectAccessReview (<c>--authorization-webhook-config-file</c>);
/// <c>status.allowed</c> allows, <c>status.denied</c> denies, anything else is no opinion.
/// Answers are cached (<c>--authorization-webhook-cache-authorized-ttl</c>, <c>-unauthorized-ttl</c>).
/// A webhook that fails gives no opinion, with the failure as the reason.
/// </summary>
public sealed class WebhookAuthorizer(KubeconfigWebhookClient client, TimeSpan authorizedTtl, TimeSpan unauthorizedTtl) : IAuthorizer, IRuleResolver, IDisposable
{
    private readonly ExpiringCache<string, (Decision, string)> _cache = new(10_000);

    /// <inheritdoc/>
    public async ValueTask<(Decision Decision, string Reason)> AuthorizeAsync(AuthorizationAttributes attributes, CancellationToken cancellationToken)
    {
        var review = Review(attributes);
        var key = review["spec"]!.ToJsonString();
        if (_cache.TryGet(key, out var cached))
        {
            return cached;
        }
        JsonObject answer;
        try
        {
            answer = await client.PostAsync(review, cancellationToken);
        }
        catch (WebhookException e)
        {
            return (Decision.NoOpinion, e.Message);
        }
        var status = answer["status"] as JsonObject ?? [];
        var reason = (string?)status["reason"] ?? "";
        var decision = (bool?)status["allowed"] == true ? Decision.Allow : (bool?)status["denied"] == true ? Decision.Deny : Decision.NoOpinion;
        _cache.Set(key, (decision, reason), decision == Decision.Allow ? authorizedTtl : unauthorizedTtl);
        return (decision, reason);
    }

    /// <summary>kube's webhook cannot list a user's rules: an incomplete, empty answer.</summary>
    public ValueTask<RuleSet> RulesForAsync(UserInfo user, string ns, CancellationToken cancellationToken) =>
        ValueTask.FromResult(RuleSet.Unknown with { EvaluationError = "webhook authorizer does not support user rule resolution" });

    /// <inheritdoc/>
    public void Dispose() => client.Dispose();

    /// <summary>The SubjectAccessReview kube's webhook authorizer sends for <paramref name="a"/>.</summary>
    internal static JsonObject Review(AuthorizationAttributes a)
    {
        var spec = new JsonObject();
        if (a.IsResourceRequest)
        {
            var resource = new JsonObject();
            void Set(string field, string value)
            {
                if (value.Length > 0)
                {
                    resource[field] = value;
                }
            }
            Set("namespace", a.Namespace);
            Set("verb", a.Verb);
            Set("group", a.ApiGroup);
            Set("resource", a.Resource);
            Set("subresource", a.Subresource);
            Set("name", a.Name);
            spec["resourceAttributes"] = resource;
        }
        else
        {
            spec["nonResourceAttributes"] = new JsonObject { ["path"] = a.Path, ["verb"] = a.Verb };
        }
        spec["user"] = a.User.Name;
        if (a.User.Uid.Length > 0)
        {
            spec["uid"] = a.User.Uid;
        }
        spec["groups"] = new JsonArray([.. a.User.Groups.Select(g => (JsonNode?)JsonValue.Create(g))]);
        if (a.User.Extra is { Count: > 0 } extra)
        {
            spec["extra"] = new JsonObject(extra.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e =>
                KeyValuePair.Create(e.Key, (JsonNode?)new JsonArray([.. e.Value.Select(v => (JsonNode?)JsonValue.Create(v))]))));
        }
        return new JsonObject { ["apiVersion"] = "authorization.k8s.io/v1", ["kind"] = "SubjectAccessReview", ["spec"] = spec };
    }
}
