using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Authentication;
using Apiserver.Generic.Authorization;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Server;

namespace Apiserver.Kube.Registry.Reviews;

/// <summary>
/// The review APIs: <c>authorization.k8s.io/v1</c> SelfSubjectAccessReview,
/// SubjectAccessReview and LocalSubjectAccessReview, which ask the server's authorizer,
/// SelfSubjectRulesReview, which lists its rules, and <c>authentication.k8s.io/v1</c>
/// SelfSubjectReview, which answers who the requester is. Create only; nothing is stored.
/// </summary>
public static class ReviewApis
{
    /// <summary>The API groups serving the reviews, asking <paramref name="authorizer"/>.</summary>
    public static IReadOnlyList<ApiGroupInfo> Groups(IAuthorizer authorizer) =>
    [
        new ApiGroupInfo("authorization.k8s.io", [("v1", [
            new SelfSubjectAccessReviewStorage(authorizer), new SubjectAccessReviewStorage(authorizer),
            new LocalSubjectAccessReviewStorage(authorizer), new SelfSubjectRulesReviewStorage(authorizer as IRuleResolver)])]),
        new ApiGroupInfo("authentication.k8s.io", [("v1", [new SelfSubjectReviewStorage()])]),
    ];

    /// <summary>The authorizer's verdict on <paramref name="spec"/>'s attributes for <paramref name="user"/>, as a review's <c>status</c>.</summary>
    internal static async Task<JsonObject> ReviewAsync(IAuthorizer authorizer, GroupVersionKind kind, UserInfo user, JsonObject spec, CancellationToken cancellationToken)
    {
        var resource = spec["resourceAttributes"] as JsonObject;
        var nonResource = spec["nonResourceAttributes"] as JsonObject;
        if ((resource is null) == (nonResource is null))
        {
            throw StatusException.Invalid(kind, "", [FieldError.Invalid("spec.resourceAttributes", (string?)null, "exactly one of nonResourceAttributes or resourceAttributes must be specified")]);
        }
        static string S(JsonObject? o, string field) => o?[field]?.ToString() ?? "";
        var attributes = resource is not null
            ? new AuthorizationAttributes(user, S(resource, "verb"), true, S(resource, "group"), S(resource, "namespace"), S(resource, "resource"), S(resource, "subresource"), S(resource, "name"), "")
            : new AuthorizationAttributes(user, S(nonResource, "verb"), false, "", "", "", "", "", S(nonResource, "path"));
        var (decision, reason) = await authorizer.AuthorizeAsync(attributes, cancellationToken);
        var status = new JsonObject { ["allowed"] = decision == Decision.Allow };
        if (decision == Decision.Deny)
        {
            status["denied"] = true;
        }
        if (reason.Length > 0)
        {
            status["reason"] = reason;
        }
        return status;
    }

    /// <summary>The answer: the request with <paramref name="status"/> and kube's empty metadata defaults.</summary>
    internal static JsonObject Answer(JsonObject request, GroupVersionKind kind, JsonObject status)
    {
        var answer = (JsonObject)request.DeepClone();
        answer["apiVersion"] = $"{kind.Group}/{kind.Version}";
        answer["kind"] = kind.Kind;
        if (answer["metadata"] is not JsonObject metadata)
        {
            answer["metadata"] = metadata = [];
        }
        metadata["creationTimestamp"] ??= null;
        answer["status"] = status;
        return answer;
    }

    /// <summary>The user a SubjectAccessReview's spec asks about (<c>user</c>, <c>groups</c>, <c>uid</c>, <c>extra</c>).</summary>
    internal static UserInfo SpecUser(GroupVersionKind kind, JsonObject spec)
    {
        var name = spec["user"]?.ToString() ?? "";
        var groups = (spec["groups"] as JsonArray ?? []).Select(g => g?.ToString() ?? "").ToList();
        if (name.Length == 0 && groups.Count == 0)
        {
            throw StatusException.Invalid(kind, "", [FieldError.Invalid("spec.user", "", "at least one of user or group must be specified")]);
        }
        var extra = (spec["extra"] as JsonObject ?? []).ToDictionary(
            e => e.Key, e => (IReadOnlyList<string>)[.. (e.Value as JsonArray ?? []).Select(v => v?.ToString() ?? "")]);
        return new UserInfo(name, spec["uid"]?.ToString() ?? "", groups, extra);
    }

    /// <summary>A string field of a request, or empty when absent or of another type.</summary>
    internal static string String(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : "";

    internal static UserInfo RequestUser(RequestContext context) =>
        context.User ?? throw StatusException.Internal("no user found for request");
}

/// <summary><c>selfsubjectaccessreviews</c>: may the requester do this?</summary>
public sealed class SelfSubjectAccessReviewStorage(IAuthorizer authorizer) : ICreater, IProtobufSchemaProvider
{
    /// <inheritdoc/>
    public Generic.Serialization.Protobuf.ProtoMessage? ProtobufMessage => ReviewMessages.SelfSubjectAccessReview;

    /// <inheritdoc/>
    public ResourceNames Names { get; } = new(new GroupVersionKind("authorization.k8s.io", "v1", "SelfSubjectAccessReview"), "selfsubjectaccessreviews", "selfsubjectaccessreview", Namespaced: false);

    /// <inheritdoc/>
    public async Task<JsonObject> CreateAsync(RequestContext context, JsonObject obj, CreateOptions options, CancellationToken cancellationToken)
    {
        var spec = obj["spec"] as JsonObject ?? [];
        var status = await ReviewApis.ReviewAsync(authorizer, Names.Kind, ReviewApis.RequestUser(context), spec, cancellationToken);
        return ReviewApis.Answer(obj, Names.Kind, status);
    }
}

/// <summary><c>subjectaccessreviews</c>: may the user (and groups) of the spec do this?</summary>
public sealed class SubjectAccessReviewStorage(IAuthorizer authorizer) : ICreater, IProtobufSchemaProvider
{
    /// <inheritdoc/>
    public Generic.Serialization.Protobuf.ProtoMessage? ProtobufMessage => ReviewMessages.SubjectAccessReview;

    /// <inheritdoc/>
    public ResourceNames Names { get; } = new(new GroupVersionKind("authorization.k8s.io", "v1", "SubjectAccessReview"), "subjectaccessreviews", "subjectaccessreview", Namespaced: false);

    /// <inheritdoc/>
    public async Task<JsonObject> CreateAsync(RequestContext context, JsonObject obj, CreateOptions options, CancellationToken cancellationToken)
    {
        var spec = obj["spec"] as JsonObject ?? [];
        var user = ReviewApis.SpecUser(Names.Kind, spec);
        var status = await ReviewApis.ReviewAsync(authorizer, Names.Kind, user, spec, cancellationToken);
        return ReviewApis.Answer(obj, Names.Kind, status);
    }
}

/// <summary><c>selfsubjectreviews</c>: who is the requester (<c>kubectl auth whoami</c>)?</summary>
public sealed class SelfSubjectReviewStorage : ICreater, IProtobufSchemaProvider
{
    /// <inheritdoc/>
    public Generic.Serialization.Protobuf.ProtoMessage? ProtobufMessage => ReviewMessages.SelfSubjectReview;

    /// <inheritdoc/>
    public ResourceNames Names { get; } = new(new GroupVersionKind("authentication.k8s.io", "v1", "SelfSubjectReview"), "selfsubjectreviews", "selfsubjectreview", Namespaced: false);

    /// <inheritdoc/>
    public Task<JsonObject> CreateAsync(RequestContext context, JsonObject obj, CreateOptions options, CancellationToken cancellationToken)
    {
        var user = ReviewApis.RequestUser(context);
        var userInfo = new JsonObject { ["username"] = user.Name };
        if (user.Uid.Length > 0)
        {
            userInfo["uid"] = user.Uid;
        }
        if (user.Groups.Count > 0)
        {
            userInfo["groups"] = new JsonArray([.. user.Groups.Select(g => (JsonNode?)JsonValue.Create(g))]);
        }
        if (user.Extra is { Count: > 0 } extra)
        {
            userInfo["extra"] = new JsonObject(extra.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)new JsonArray([.. e.Value.Select(v => (JsonNode?)JsonValue.Create(v))]))));
        }
        return Task.FromResult(ReviewApis.Answer(obj, Names.Kind, new JsonObject { ["userInfo"] = userInfo }));
    }
}
