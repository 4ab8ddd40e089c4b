using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Kube.Registry.Apps;

namespace Apiserver.Kube.Registry.Core.Pods;

/// <summary>
/// A pod's <c>status</c> subresource, as kube's pod status strategy: it writes only the status;
/// an <c>observedGeneration</c> the request leaves out (of the status or of a condition) keeps its
/// stored value, as kube keeps it for kubelets that predate it (PodObservedGenerationTracking, beta
/// in 1.34); a missing <c>qosClass</c> is filled in again, and the class never changes.
/// </summary>
public sealed class PodStatusStore(GenericStore pods) : SubresourceStore(pods, "status", TakeStatus, Validate)
{
    private static JsonObject TakeStatus(JsonObject stored, JsonObject requested)
    {
        var result = StatusStore.TakeStatus(stored, requested);
        var status = result["status"] as JsonObject ?? [];
        result["status"] = status;
        var oldStatus = stored["status"] as JsonObject ?? [];
        if (string.IsNullOrEmpty(status["qosClass"]?.ToString()) && oldStatus["qosClass"] is { } qos)
        {
            status["qosClass"] = qos.DeepClone();
        }
        if (IsUnset(status["observedGeneration"]) && oldStatus["observedGeneration"] is { } observed)
        {
            status["observedGeneration"] = observed.DeepClone();
        }
        // Conditions are matched to the stored ones by type, in order (a type may repeat).
        var oldByType = (oldStatus["conditions"] as JsonArray ?? []).OfType<JsonObject>()
            .GroupBy(c => c["type"]?.ToString() ?? "")
            .ToDictionary(g => g.Key, g => new Queue<JsonNode?>(g.Select(c => c["observedGeneration"])));
        foreach (var condition in (status["conditions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var previous = oldByType.TryGetValue(condition["type"]?.ToString() ?? "", out var queue) && queue.Count > 0 ? queue.Dequeue() : null;
            if (IsUnset(condition["observedGeneration"]) && !IsUnset(previous))
            {
                condition["observedGeneration"] = previous!.DeepClone();
            }
        }
        return result;
    }

    /// <summary>kube's rule beside the pod's own: the QoS class a pod was created with stays.</summary>
    public static void Validate(JsonObject pod, JsonObject old, List<FieldError> errors)
    {
        var qos = pod["status"]?["qosClass"]?.ToString() ?? "";
        if (qos != (old["status"]?["qosClass"]?.ToString() ?? ""))
        {
            errors.Add(FieldError.Immutable("status.qosClass", JsonValue.Create(qos)));
        }
    }

    // Go's zero value: no observedGeneration, or 0.
    private static bool IsUnset(JsonNode? value) => (WorkloadValidation.Integer(value) ?? 0) == 0;
}
