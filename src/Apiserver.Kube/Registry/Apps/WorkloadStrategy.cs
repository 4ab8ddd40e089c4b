using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;

namespace Apiserver.Kube.Registry.Apps;

/// <summary>
/// What the strategies of deployments, replica sets, stateful sets and daemon sets share: kube's
/// defaults on every write, an empty <c>status</c> on create (Go writes the struct even when
/// empty), and on update the create rules plus apps/v1's immutable selector. A kind supplies its
/// defaults and its validation.
/// </summary>
public abstract class WorkloadStrategy : IRestStrategy
{
    /// <summary>Applies the kind's defaults to <paramref name="spec"/>, in place.</summary>
    protected abstract void Default(JsonObject spec);

    /// <inheritdoc/>
    public abstract void Validate(JsonObject obj, List<FieldError> errors);

    /// <inheritdoc/>
    public void PrepareForCreate(JsonObject obj)
    {
        DefaultSpec(obj);
        obj["status"] ??= new JsonObject();
    }

    /// <inheritdoc/>
    public void PrepareForUpdate(JsonObject obj, JsonObject old)
    {
        DefaultSpec(obj);
    }

    /// <inheritdoc/>
    public void ValidateUpdate(JsonObject obj, JsonObject old, List<FieldError> errors)
    {
        Validate(obj, errors);
        WorkloadValidation.ValidateSelectorUnchanged(obj, old, errors);
    }

    private void DefaultSpec(JsonObject obj)
    {
        if (obj["spec"] is JsonObject spec)
        {
            Default(spec);
            PodTemplateDefaults.Apply(spec["template"]);
        }
    }
}
