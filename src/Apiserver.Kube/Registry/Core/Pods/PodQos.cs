using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Kube.Validation;

namespace Apiserver.Kube.Registry.Core.Pods;

/// <summary>
/// A pod's quality-of-service class as kube computes it (<c>pkg/apis/core/helper/qos</c>), from the
/// cpu and memory it requests and is limited to, counting only positive quantities: BestEffort
/// without any; Guaranteed when cpu and memory limits are set (on every container, or on the pod
/// when it has pod-level resources) and the summed requests equal the summed limits; else Burstable.
/// </summary>
internal static class PodQos
{
    private static readonly string[] Resources = ["cpu", "memory"];

    /// <summary>The class a pod was given at creation (<c>status.qosClass</c>), or its computed class when it has none.</summary>
    public static string Of(JsonObject pod) =>
        pod["status"]?["qosClass"]?.ToString() is { Length: > 0 } recorded ? recorded : Compute(pod["spec"] as JsonObject ?? []);

    /// <summary>The class of a pod with this spec.</summary>
    public static string Compute(JsonObject spec)
    {
        var requests = new Dictionary<string, decimal>();
        var limits = new Dictionary<string, decimal>();
        var guaranteed = true;
        if (spec["resources"] is JsonObject podLevel)
        {
            Add(requests, podLevel["requests"] as JsonObject);
            guaranteed = Add(limits, podLevel["limits"] as JsonObject);
        }
        else
        {
            foreach (var container in new[] { "containers", "initContainers" }.SelectMany(l => (spec[l] as JsonArray ?? []).OfType<JsonObject>()))
            {
                Add(requests, container["resources"]?["requests"] as JsonObject);
                guaranteed &= Add(limits, container["resources"]?["limits"] as JsonObject);
            }
        }
        if (requests.Count == 0 && limits.Count == 0)
        {
            return "BestEffort";
        }
        guaranteed &= requests.All(r => limits.TryGetValue(r.Key, out var limit) && limit == r.Value);
        return guaranteed && requests.Count == limits.Count ? "Guaranteed" : "Burstable";
    }

    // Sums the positive cpu and memory quantities of a list into the totals; whether the list had both.
    private static bool Add(Dictionary<string, decimal> totals, JsonObject? list)
    {
        var found = 0;
        foreach (var name in Resources)
        {
            if (Quantity.Parse(list?[name]) is { } value && value > 0)
            {
                totals[name] = totals.GetValueOrDefault(name) + value;
                found++;
            }
        }
        return found == Resources.Length;
    }
}
