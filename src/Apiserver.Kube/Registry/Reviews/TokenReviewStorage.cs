using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Authentication;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Serialization.Protobuf;

namespace Apiserver.Kube.Registry.Reviews;

/// <summary>
/// <c>tokenreviews</c> (<c>authentication.k8s.io/v1</c>): does this bearer token authenticate, for
/// these audiences (the API's by default), and as whom? The server's own token authenticators
/// answer, as for a request. Create only; nothing is stored.
/// </summary>
public sealed class TokenReviewStorage(IReadOnlyList<ITokenAuthenticator> authenticators, IReadOnlyList<string> apiAudiences) : ICreater, IProtobufSchemaProvider
{
    /// <inheritdoc/>
    public ProtoMessage? ProtobufMessage => TokenMessages.TokenReview;

    /// <inheritdoc/>
    public ResourceNames Names { get; } = new(new GroupVersionKind("authentication.k8s.io", "v1", "TokenReview"), "tokenreviews", "tokenreview", Namespaced: false);

    /// <inheritdoc/>
    public async Task<JsonObject> CreateAsync(RequestContext context, JsonObject obj, CreateOptions options, CancellationToken cancellationToken)
    {
        var spec = obj["spec"] as JsonObject ?? [];
        if (spec["token"] is not JsonValue value || !value.TryGetValue<string>(out var token) || token.Length == 0)
        {
            throw StatusException.BadRequest("token is required for TokenReview in authentication");
        }
        IReadOnlyList<string> audiences = [.. (spec["audiences"] as JsonArray ?? []).Select(a => a?.ToString() ?? "")];
        if (audiences.Count == 0)
        {
            audiences = apiAudiences;
        }
        var result = await BearerTokenAuthenticator.AuthenticateTokenAsync(authenticators, token, audiences, cancellationToken);
        var status = new JsonObject();
        if (result.User is { } user)
        {
            status["authenticated"] = true;
            status["user"] = UserInfoJson.From(user);
            status["audiences"] = new JsonArray([.. result.Audiences.Select(a => (JsonNode?)JsonValue.Create(a))]);
        }
        else
        {
            status["user"] = new JsonObject();
            if (result.Error is { Length: > 0 } error)
            {
                status["error"] = error;
            }
        }
        return ReviewApis.Answer(obj, Names.Kind, status);
    }
}
