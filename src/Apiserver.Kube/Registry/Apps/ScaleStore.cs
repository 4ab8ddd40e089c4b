using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;

namespace Apiserver.Kube.Registry.Apps;

/// <summary>
/// The <c>scale</c> subresource of a workload (deployments, replica sets, stateful sets): reads the
/// object as an <c>autoscaling/v1 Scale</c>, and a written Scale changes only the object's
/// <c>spec.replicas</c> (bumping its generation). The Scale's <c>metadata.resourceVersion</c>, when
/// set, is a precondition on the object's.
/// </summary>
public sealed class ScaleStore(GenericStore store) : ISubresourceStorage, IPatcher, ISchemaProvider
{
    /// <summary>The kind of the subresource's objects.</summary>
    public static GroupVersionKind ScaleKind { get; } = new("autoscaling", "v1", "Scale");

    /// <summary>The schema of autoscaling/v1 Scale, which strategic merge patch and decoding of a written Scale follow.</summary>
    public static NJsonSchema.JsonSchema ScaleSchema => Kube.Schema.ModelSchemas.For(typeof(k8s.Models.V1Scale));

    /// <inheritdoc/>
    public string Subresource => "scale";

    /// <inheritdoc/>
    public NJsonSchema.JsonSchema? Schema => ScaleSchema;

    /// <inheritdoc/>
    public bool Typed => true;

    /// <summary>The parent's names with the Scale kind: the route is the parent's, the body a Scale.</summary>
    public ResourceNames Names { get; } = store.Names with { Kind = ScaleKind, ResourceGroup = store.Names.GroupResource.Group };

    /// <inheritdoc/>
    public async Task<JsonObject> GetAsync(RequestContext context, string name, GetOptions options, CancellationToken cancellationToken) =>
        ToScale(await store.GetAsync(context, name, options, cancellationToken));

    /// <inheritdoc/>
    public async Task<UpdateResult> UpdateAsync(RequestContext context, string name, JsonObject obj, UpdateOptions options, CancellationToken cancellationToken)
    {
        var replicas = obj["spec"]?["replicas"];
        var value = replicas is null ? 0 : WorkloadValidation.Integer(replicas)
            ?? throw StatusException.BadRequest($"Scale in version \"v1\" cannot be handled as a Scale: spec.replicas must be an integer");
        if (value < 0)
        {
            throw StatusException.Invalid(ScaleKind, name, [FieldError.Invalid("spec.replicas", JsonValue.Create(value), "must be greater than or equal to 0")]);
        }
        var result = await store.UpdateSubresourceAsync(context, name, obj, options, (stored, _) => WithReplicas(stored, value), cancellationToken);
        return result with { Object = ToScale(result.Object) };
    }

    private static JsonObject WithReplicas(JsonObject stored, long replicas)
    {
        var result = (JsonObject)stored.DeepClone();
        var spec = result.ObjectField("spec");
        spec["replicas"] = replicas; // A change bumps the generation, as every spec write does.
        return result;
    }

    /// <summary>The Scale of a workload.</summary>
    public static JsonObject ToScale(JsonObject obj)
    {
        var meta = obj.Metadata();
        var scaleMeta = new JsonObject();
        foreach (var field in new[] { "name", "namespace", "uid", "resourceVersion", "creationTimestamp" })
        {
            if (meta[field] is { } value)
            {
                scaleMeta[field] = value.DeepClone();
            }
        }
        var spec = new JsonObject();
        // autoscaling/v1 ScaleSpec.replicas is omitempty: zero replicas is an empty spec.
        if (WorkloadValidation.Integer(obj["spec"]?["replicas"]) is { } replicas and not 0)
        {
            spec["replicas"] = replicas;
        }
        var status = new JsonObject { ["replicas"] = WorkloadValidation.Integer(obj["status"]?["replicas"]) ?? 0 };
        if (LabelSelectors.Format(obj["spec"]?["selector"] as JsonObject) is { Length: > 0 } selector)
        {
            status["selector"] = selector;
        }
        return new JsonObject
        {
            ["kind"] = ScaleKind.Kind,
            ["apiVersion"] = ScaleKind.ApiVersion,
            ["metadata"] = scaleMeta,
            ["spec"] = spec,
            ["status"] = status,
        };
    }
}
