using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;

namespace Apiserver.Kube.Controllers;

/// <summary>
/// kube's <c>priority-and-fairness-config-producer</c> post-start hook: creates the bootstrap flow
/// schemas and priority levels that are missing; rewrites the spec of a mandatory one that differs,
/// and of a suggested one only while its <c>apf.kubernetes.io/autoupdate-spec</c> annotation is true
/// (or, without a boolean there, while it is at generation 1: nobody changed it yet).
/// </summary>
internal sealed class PriorityAndFairnessConfigProducer(GenericStore flowSchemas, GenericStore priorityLevels)
{
    /// <summary>The post-start hook's name, as kube-apiserver's.</summary>
    public const string HookName = "priority-and-fairness-config-producer";

    /// <summary>The annotation by which an administrator takes a suggested object over (<c>"false"</c>).</summary>
    public const string AutoUpdateAnnotation = "apf.kubernetes.io/autoupdate-spec";

    private static readonly RequestContext Cluster = new("");

    /// <summary>Ensures every bootstrap object once.</summary>
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        // Priority levels first, so that no schema is ever dangling.
        foreach (var level in FlowcontrolBootstrap.MandatoryPriorityLevels) await EnsureAsync(priorityLevels, level, mandatory: true, cancellationToken);
        foreach (var level in FlowcontrolBootstrap.SuggestedPriorityLevels) await EnsureAsync(priorityLevels, level, mandatory: false, cancellationToken);
        foreach (var schema in FlowcontrolBootstrap.MandatoryFlowSchemas) await EnsureAsync(flowSchemas, schema, mandatory: true, cancellationToken);
        foreach (var schema in FlowcontrolBootstrap.SuggestedFlowSchemas) await EnsureAsync(flowSchemas, schema, mandatory: false, cancellationToken);
    }

    private static async Task EnsureAsync(GenericStore store, JsonObject bootstrap, bool mandatory, CancellationToken cancellationToken)
    {
        var name = bootstrap.GetName();
        JsonObject current;
        try
        {
            current = await store.GetAsync(Cluster, name, new GetOptions(), cancellationToken);
        }
        catch (StatusException e) when (e.Code == 404)
        {
            try
            {
                await store.CreateAsync(Cluster, (JsonObject)bootstrap.DeepClone(), new CreateOptions(), cancellationToken);
            }
            catch (StatusException conflict) when (conflict.Code == 409)
            {
                // Another replica created it meanwhile.
            }
            return;
        }
        if (!mandatory && !ShouldUpdateSpec(current))
        {
            return;
        }
        // Compared after the store's defaults, as stored objects carry them.
        var desired = (JsonObject)bootstrap.DeepClone();
        var annotations = current.Metadata()["annotations"] as JsonObject;
        if (JsonNode.DeepEquals(Defaulted(store, desired)["spec"], current["spec"]) && annotations?[AutoUpdateAnnotation]?.ToString() == "true")
        {
            return;
        }
        current["spec"] = desired["spec"]!.DeepClone();
        current.Metadata()["annotations"] ??= new JsonObject();
        current.Metadata()["annotations"]![AutoUpdateAnnotation] = "true";
        try
        {
            await store.UpdateAsync(Cluster, name, current, new UpdateOptions(), cancellationToken);
        }
        catch (StatusException e) when (e.Code is 404 or 409)
        {
            // Changed meanwhile: the next start looks again.
        }
    }

    private static JsonObject Defaulted(GenericStore store, JsonObject obj)
    {
        store.Definition.Strategy.PrepareForCreate(obj);
        return obj;
    }

    /// <summary>kube's <c>shouldUpdateSpec</c>.</summary>
    private static bool ShouldUpdateSpec(JsonObject obj) =>
        bool.TryParse((obj.Metadata()["annotations"] as JsonObject)?[AutoUpdateAnnotation]?.ToString(), out var autoUpdate)
            ? autoUpdate
            : obj.GetGeneration() == 1;
}
