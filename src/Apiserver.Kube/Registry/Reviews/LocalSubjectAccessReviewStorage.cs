using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Authorization;
using Apiserver.Generic.Registry.Rest;

namespace Apiserver.Kube.Registry.Reviews;

/// <summary>
/// <c>localsubjectaccessreviews</c> (namespaced): a SubjectAccessReview confined to the request's
/// namespace, so that namespace admins can be allowed to ask it.
/// </summary>
public sealed class LocalSubjectAccessReviewStorage(IAuthorizer authorizer) : ICreater, IProtobufSchemaProvider
{
    /// <inheritdoc/>
    public Generic.Serialization.Protobuf.ProtoMessage? ProtobufMessage => ReviewMessages.LocalSubjectAccessReview;

    /// <inheritdoc/>
    public ResourceNames Names { get; } = new(new GroupVersionKind("authorization.k8s.io", "v1", "LocalSubjectAccessReview"), "localsubjectaccessreviews", "localsubjectaccessreview", Namespaced: true);

    /// <inheritdoc/>
    public async Task<JsonObject> CreateAsync(RequestContext context, JsonObject obj, CreateOptions options, CancellationToken cancellationToken)
    {
        var spec = obj["spec"] as JsonObject ?? [];
        var objectNamespace = ReviewApis.String((obj["metadata"] as JsonObject)?["namespace"]);
        if (objectNamespace.Length > 0 && objectNamespace != context.Namespace)
        {
            throw StatusException.BadRequest($"spec.resourceAttributes.namespace must match namespace: {context.Namespace}");
        }
        // kube's ValidateLocalSubjectAccessReview: resources only, and only in this namespace.
        var errors = new List<FieldError>();
        if (spec["nonResourceAttributes"] is JsonObject)
        {
            errors.Add(FieldError.Invalid("spec.nonResourceAttributes", spec["nonResourceAttributes"]!.ToJsonString(), "disallowed on this kind of request"));
        }
        if (spec["resourceAttributes"] is JsonObject resource && ReviewApis.String(resource["namespace"]) is var ns && ns != context.Namespace)
        {
            errors.Add(FieldError.Invalid("spec.resourceAttributes.namespace", ns, "must match metadata.namespace"));
        }
        if (errors.Count > 0)
        {
            throw StatusException.Invalid(Names.Kind, "", errors);
        }
        var user = ReviewApis.SpecUser(Names.Kind, spec);
        var status = await ReviewApis.ReviewAsync(authorizer, Names.Kind, user, spec, cancellationToken);
        var answer = ReviewApis.Answer(obj, Names.Kind, status);
        answer["metadata"]!["namespace"] = context.Namespace;
        return answer;
    }
}
