using System.Text.Json.Nodes;
using Apiserver.Kube.Registry.Apps;

namespace Apiserver.Kube.Registry.Core.Pods;

/// <summary>
/// kube's defaults of a pod: those of every pod template (<see cref="PodTemplateDefaults"/>), plus
/// <c>SetDefaults_Pod</c>'s (<c>enableServiceLinks</c>, requests copied from limits) and what kube's
/// default admission plugins add (ServiceAccount's <c>default</c> account, Priority's
/// <c>priority: 0</c> and preemption policy, DefaultTolerationSeconds' two tolerations).
/// </summary>
internal static class PodDefaults
{
    private static readonly string[] TolerationKeys = ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"];

    public static void Apply(JsonObject pod)
    {
        if (pod["spec"] is not JsonObject spec)
        {
            return;
        }
        PodTemplateDefaults.Apply(pod);
        spec["enableServiceLinks"] ??= true;
        foreach (var list in new[] { "initContainers", "containers" })
        {
            foreach (var container in (spec[list] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (container["resources"] is JsonObject { } resources && resources["limits"] is JsonObject limits)
                {
                    var requests = resources.ObjectField("requests");
                    foreach (var (name, value) in limits)
                    {
                        requests[name] ??= value?.DeepClone();
                    }
                }
            }
        }
        if (string.IsNullOrEmpty(spec["serviceAccountName"]?.ToString()))
        {
            spec["serviceAccountName"] = spec["serviceAccount"]?.ToString() is { Length: > 0 } sa ? sa : "default";
        }
        spec["serviceAccount"] ??= spec["serviceAccountName"]!.ToString();
        spec["priority"] ??= 0;
        spec["preemptionPolicy"] ??= "PreemptLowerPriority";
        var tolerations = spec["tolerations"] as JsonArray ?? [];
        foreach (var key in TolerationKeys)
        {
            if (!tolerations.OfType<JsonObject>().Any(t => t["key"]?.ToString() == key && (t["effect"]?.ToString() ?? "NoExecute") == "NoExecute"))
            {
                tolerations.Add(new JsonObject { ["key"] = key, ["operator"] = "Exists", ["effect"] = "NoExecute", ["tolerationSeconds"] = 300 });
            }
        }
        spec["tolerations"] = tolerations;
    }
}
