using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Endpoints;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Serialization.Protobuf;
using Apiserver.Kube.Registry.Apps;
using Apiserver.Kube.Schema;
using Microsoft.AspNetCore.Http;
using ListOptions = Apiserver.Generic.Registry.Rest.ListOptions;

namespace Apiserver.Kube.Registry.Core.Pods;

/// <summary>
/// The <c>pods/eviction</c> subresource (a policy/v1 Eviction POSTed to the pod's path), as kube's
/// <c>EvictionREST</c>: a pod that is not running, or that no PodDisruptionBudget covers, is deleted;
/// one its budget cannot spare answers 429, and otherwise the budget's <c>disruptionsAllowed</c> is
/// taken down by one (the pod noted in <c>disruptedPods</c>) before the pod is deleted.
/// </summary>
internal sealed class PodEvictionStore(GenericStore pods, GenericStore budgets) : INamedCreater, ISchemaProvider, IProtobufSchemaProvider
{
    private const string ViolationMessage = "Cannot evict pod as it would violate the pod's disruption budget.";
    private const int MaxDisruptedPods = 2000;

    public string Subresource => "eviction";

    public ResourceNames Names { get; } = new(new GroupVersionKind("policy", "v1", "Eviction"), "pods", "pod", Namespaced: true) { ResourceGroup = "" };

    public NJsonSchema.JsonSchema? Schema => ModelSchemas.For(typeof(k8s.Models.V1Eviction));

    public bool Typed => true;

    public ProtoMessage? ProtobufMessage { get; } = new("k8s.io.api.policy.v1.Eviction",
        new(1, "metadata", ProtoKind.Message, MessageFactory: () => MetaV1Messages.ObjectMeta, Presence: ProtoPresence.Always),
        new(2, "deleteOptions", ProtoKind.Message, MessageFactory: () => MetaV1Messages.DeleteOptions, Presence: ProtoPresence.Pointer));

    public async Task<JsonObject> CreateAsync(RequestContext context, string name, JsonObject obj, CreateOptions options, CancellationToken cancellationToken)
    {
        if (obj.GetName() != name)
        {
            throw StatusException.BadRequest("name in URL does not match name in Eviction object");
        }
        var deleteOptions = QueryOptions.Delete(new QueryCollection(), obj["deleteOptions"]);
        if (options.DryRun) deleteOptions = deleteOptions with { DryRun = true };
        var pod = await pods.GetAsync(context, name, new GetOptions(), cancellationToken);
        if (!CanIgnoreBudgets(pod))
        {
            await TakeDisruptionAsync(context, pod, deleteOptions.DryRun, cancellationToken);
        }
        // Admission saw the eviction; the deletion it causes is not admitted again (kube's ValidateAllObjectFunc).
        await pods.DeleteAsync(context with { Admission = null }, name, deleteOptions, cancellationToken);
        var status = Status.Success();
        status["code"] = 201;
        return status;
    }

    /// <summary>kube's <c>canIgnorePDB</c>: pods that are finished, not yet running, or already being deleted.</summary>
    private static bool CanIgnoreBudgets(JsonObject pod) =>
        pod["status"]?["phase"]?.ToString() is "Succeeded" or "Failed" or "Pending" || pod.Metadata()["deletionTimestamp"] is not null;

    private async Task TakeDisruptionAsync(RequestContext context, JsonObject pod, bool dryRun, CancellationToken cancellationToken)
    {
        var list = await budgets.ListAsync(context, new ListOptions(), cancellationToken);
        var matching = (list["items"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(b => b["spec"]?["selector"] is JsonObject selector && !LabelSelectors.IsEmpty(selector) && LabelSelectors.Matches(selector, pod.Metadata()["labels"] as JsonObject))
            .ToList();
        if (matching.Count == 0)
        {
            return;
        }
        if (matching.Count > 1)
        {
            throw StatusException.Internal("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
        }
        var budgetName = matching[0].GetName();
        var name = pod.GetName();
        var ready = (pod["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>()
            .Any(c => c["type"]?.ToString() == "Ready" && c["status"]?.ToString() == "True");
        if (!ready && UnhealthyPodMayGo(matching[0]))
        {
            return;
        }
        if (dryRun)
        {
            Check(matching[0], budgetName);
            return;
        }
        await budgets.UpdateSystemFieldsAsync(context.Namespace, budgetName, budget =>
        {
            var status = Check(budget, budgetName);
            status["disruptionsAllowed"] = (WorkloadValidation.Integer(status["disruptionsAllowed"]) ?? 0) - 1;
            status.ObjectField("disruptedPods")[name] = ObjectMeta.FormatTime(DateTimeOffset.UtcNow);
            return true;
        }, cancellationToken);
    }

    /// <summary>kube's unhealthy pod eviction policy: AlwaysAllow, or IfHealthyBudget while the budget is met.</summary>
    private static bool UnhealthyPodMayGo(JsonObject budget)
    {
        var status = budget["status"] as JsonObject ?? [];
        var current = WorkloadValidation.Integer(status["currentHealthy"]) ?? 0;
        var desired = WorkloadValidation.Integer(status["desiredHealthy"]) ?? 0;
        return budget["spec"]?["unhealthyPodEvictionPolicy"]?.ToString() == "AlwaysAllow" || (current >= desired && desired > 0);
    }

    /// <summary>Throws kube's 429 (or 403) when the budget cannot spare a pod; returns its status otherwise.</summary>
    private static JsonObject Check(JsonObject budget, string name)
    {
        var status = budget.ObjectField("status");
        if ((WorkloadValidation.Integer(status["observedGeneration"]) ?? 0) < budget.GetGeneration())
        {
            throw TooManyRequests($"The disruption budget {name} is still being processed by the server.", 10);
        }
        var allowed = WorkloadValidation.Integer(status["disruptionsAllowed"]) ?? 0;
        if (allowed < 0)
        {
            throw new StatusException(403, StatusReason.Forbidden, "pdb disruptions allowed is negative");
        }
        if ((status["disruptedPods"] as JsonObject)?.Count > MaxDisruptedPods)
        {
            throw new StatusException(403, StatusReason.Forbidden, "DisruptedPods map too big - too many evictions not confirmed by PDB controller");
        }
        if (allowed == 0)
        {
            var desired = WorkloadValidation.Integer(status["desiredHealthy"]) ?? 0;
            var current = WorkloadValidation.Integer(status["currentHealthy"]) ?? 0;
            throw TooManyRequests($"The disruption budget {name} needs {desired} healthy pods and has {current} currently", 0);
        }
        return status;
    }

    private static StatusException TooManyRequests(string cause, int retryAfterSeconds) =>
        new(429, StatusReason.TooManyRequests, ViolationMessage,
            new StatusDetails(Causes: [new StatusCause("DisruptionBudget", cause)], RetryAfterSeconds: retryAfterSeconds == 0 ? null : retryAfterSeconds));
}
