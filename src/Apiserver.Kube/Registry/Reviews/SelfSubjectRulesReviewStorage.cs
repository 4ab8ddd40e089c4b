using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Authorization;
using Apiserver.Generic.Registry.Rest;

namespace Apiserver.Kube.Registry.Reviews;

/// <summary>
/// <c>selfsubjectrulesreviews</c>: what may the requester do in a namespace
/// (<c>kubectl auth can-i --list</c>)? Answered by the authorizers that can list rules; the
/// answer is marked incomplete when one cannot.
/// </summary>
public sealed class SelfSubjectRulesReviewStorage(IRuleResolver? resolver) : ICreater, IProtobufSchemaProvider
{
    /// <inheritdoc/>
    public Generic.Serialization.Protobuf.ProtoMessage? ProtobufMessage => ReviewMessages.SelfSubjectRulesReview;

    /// <inheritdoc/>
    public ResourceNames Names { get; } = new(new GroupVersionKind("authorization.k8s.io", "v1", "SelfSubjectRulesReview"), "selfsubjectrulesreviews", "selfsubjectrulesreview", Namespaced: false);

    /// <inheritdoc/>
    public async Task<JsonObject> CreateAsync(RequestContext context, JsonObject obj, CreateOptions options, CancellationToken cancellationToken)
    {
        var ns = ReviewApis.String((obj["spec"] as JsonObject)?["namespace"]);
        if (ns.Length == 0)
        {
            throw StatusException.BadRequest("no namespace on request");
        }
        var rules = resolver is null ? RuleSet.Unknown : await resolver.RulesForAsync(ReviewApis.RequestUser(context), ns, cancellationToken);
        var status = new JsonObject
        {
            ["resourceRules"] = new JsonArray([.. rules.ResourceRules.Select(r => (JsonNode?)Rule(("verbs", r.Verbs), ("apiGroups", r.ApiGroups), ("resources", r.Resources), ("resourceNames", r.ResourceNames)))]),
            ["nonResourceRules"] = new JsonArray([.. rules.NonResourceRules.Select(r => (JsonNode?)Rule(("verbs", r.Verbs), ("nonResourceURLs", r.NonResourceUrls)))]),
            ["incomplete"] = rules.Incomplete,
        };
        if (rules.EvaluationError.Length > 0)
        {
            status["evaluationError"] = rules.EvaluationError;
        }
        return ReviewApis.Answer(obj, Names.Kind, status);
    }

    /// <summary>A rule's JSON, leaving out empty lists as kube's <c>omitempty</c> does (the verbs are always there).</summary>
    private static JsonObject Rule(params (string Field, IReadOnlyList<string> Values)[] fields)
    {
        var rule = new JsonObject();
        foreach (var (field, values) in fields)
        {
            if (values.Count > 0 || field == "verbs")
            {
                rule[field] = new JsonArray([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
            }
        }
        return rule;
    }
}
