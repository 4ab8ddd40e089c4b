using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;

namespace Apiserver.Kube.Registry.Core.Pods;

/// <summary>
/// A pod's <c>resize</c> subresource (in-place vertical scaling, beta and on by default in kube
/// 1.34): reads the pod, and writes only the <c>resources</c> and <c>resizePolicy</c> of its
/// containers and sidecars, under kube's rules (<c>ValidatePodResize</c>): only cpu and memory
/// change, requests and limits are never removed, the QoS class stays, the containers keep their
/// names and order; not for static or Windows pods, pods with pod-level resources, or pods whose
/// node reports no resize support. A change bumps the pod's generation.
/// </summary>
public sealed class PodResizeStore(GenericStore pods) : SubresourceStore(pods, "resize", TakeResources, Validate)
{
    private static readonly string[] ContainerLists = ["containers", "initContainers"];
    private static readonly string[] Resizable = ["cpu", "memory"];

    // As kube's dropNonResizeUpdates: the stored pod with the request's container resources and
    // resize policies. Containers added, removed, renamed or reordered are taken whole, for the
    // validation to refuse.
    private static JsonObject TakeResources(JsonObject stored, JsonObject requested)
    {
        var result = (JsonObject)stored.DeepClone();
        var spec = result["spec"] as JsonObject ?? [];
        result["spec"] = spec;
        var requestedSpec = requested["spec"] as JsonObject ?? [];
        var sameContainers = ContainerLists.All(list => ContainerNames(requestedSpec, list).SequenceEqual(ContainerNames(spec, list)));
        foreach (var list in ContainerLists)
        {
            if (!sameContainers)
            {
                spec[list] = requestedSpec[list]?.DeepClone();
                continue;
            }
            var wanted = Containers(requestedSpec, list);
            var containers = Containers(spec, list);
            for (var i = 0; i < containers.Count; i++)
            {
                foreach (var field in new[] { "resources", "resizePolicy" })
                {
                    containers[i][field] = wanted[i][field]?.DeepClone();
                    if (containers[i][field] is null) containers[i].Remove(field);
                }
            }
        }
        // As kube defaults a request while decoding it (a limit without its request sets the request too).
        PodDefaults.Apply(result);
        return result;
    }

    /// <summary>kube's rules for a resize of <paramref name="old"/> into <paramref name="pod"/>.</summary>
    public static void Validate(JsonObject pod, JsonObject old, List<FieldError> errors)
    {
        var spec = pod["spec"] as JsonObject ?? [];
        var oldSpec = old["spec"] as JsonObject ?? [];
        PodValidation.ValidateSpec(spec, errors);
        if (Refusal(pod, old) is { } refusal)
        {
            // kube answers these alone, whatever else is wrong.
            errors.Clear();
            errors.Add(FieldError.Forbidden("", refusal));
            return;
        }
        if (PodQos.Of(old) != PodQos.Compute(spec))
        {
            errors.Add(FieldError.Invalid("spec", pod["status"]?["qosClass"]?.ToString() ?? "", "Pod QOS Class may not change as a result of resizing"));
        }
        if (!NodeSupportsResize(old))
        {
            errors.Add(FieldError.Forbidden("spec", "Pod running on node without support for resize"));
        }
        if (OrderErrors(spec, oldSpec) is { Count: > 0 } order)
        {
            errors.AddRange(order); // What follows compares containers index by index.
            return;
        }

        var containers = Containers(spec, "containers");
        var oldContainers = Containers(oldSpec, "containers");
        var initContainers = Containers(spec, "initContainers");
        var oldInitContainers = Containers(oldSpec, "initContainers");
        for (var i = 0; i < oldInitContainers.Count; i++)
        {
            if (IsSidecar(oldInitContainers[i]))
            {
                ValidateKeptResources(initContainers[i], oldInitContainers[i], $"spec.initContainers[{i}].resources", errors);
            }
        }
        for (var i = 0; i < oldContainers.Count; i++)
        {
            ValidateKeptResources(containers[i], oldContainers[i], $"spec.containers[{i}].resources", errors);
        }

        // Past cpu and memory, a container may not change; nor may a sidecar, and an ordinary init container not at all.
        for (var i = 0; i < containers.Count; i++)
        {
            if (!SemanticEquals(WithOldCpuAndMemory(containers[i], oldContainers[i]), oldContainers[i]))
            {
                errors.Add(FieldError.Forbidden("spec", "only cpu and memory resources are mutable"));
            }
        }
        for (var i = 0; i < initContainers.Count; i++)
        {
            if (IsSidecar(initContainers[i]))
            {
                if (!SemanticEquals(WithOldCpuAndMemory(initContainers[i], oldInitContainers[i]), oldInitContainers[i]))
                {
                    errors.Add(FieldError.Forbidden("spec", "only cpu and memory resources for sidecar containers are mutable"));
                }
            }
            else if (!SemanticEquals(initContainers[i], oldInitContainers[i]))
            {
                errors.Add(FieldError.Forbidden("spec", "resources for non-sidecar init containers are immutable"));
            }
        }
    }

    // The pods kube never resizes, with its message; null for the others.
    private static string? Refusal(JsonObject pod, JsonObject old)
    {
        static bool PodLevel(JsonObject p) =>
            p["spec"]?["resources"] is JsonObject r && ((r["requests"] as JsonObject)?.Count ?? 0) + ((r["limits"] as JsonObject)?.Count ?? 0) > 0;
        if (PodLevel(old) || PodLevel(pod))
        {
            return "pods with pod-level resources cannot be resized";
        }
        if (old["metadata"]?["annotations"]?["kubernetes.io/config.mirror"] is not null)
        {
            return "static pods cannot be resized";
        }
        return old["spec"]?["os"]?["name"]?.ToString() == "windows" ? "windows pods cannot be resized" : null;
    }

    // As kube's version-skew check: the first running container tells, by reporting its resources, that its node resizes.
    private static bool NodeSupportsResize(JsonObject pod)
    {
        var running = (pod["status"]?["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(s => s["state"]?["running"] is not null);
        return running is null || running["resources"] is not null;
    }

    private static List<FieldError> OrderErrors(JsonObject spec, JsonObject oldSpec)
    {
        var errors = new List<FieldError>();
        foreach (var list in ContainerLists)
        {
            var names = ContainerNames(spec, list).ToList();
            var oldNames = ContainerNames(oldSpec, list).ToList();
            if (names.Count != oldNames.Count)
            {
                errors.Add(FieldError.Forbidden($"spec.{list}", $"{list} may not be added or removed on resize"));
                continue;
            }
            for (var i = 0; i < names.Count; i++)
            {
                if (names[i] != oldNames[i])
                {
                    errors.Add(FieldError.Forbidden($"spec.{list}[{i}].name", $"{list} may not be renamed or reordered on resize"));
                }
            }
        }
        return errors;
    }

    // Requests and limits, once set, stay (kube 1.34 lets memory limits go down, with any resize policy).
    private static void ValidateKeptResources(JsonObject container, JsonObject old, string path, List<FieldError> errors)
    {
        foreach (var (list, what) in new[] { ("requests", "resource requests"), ("limits", "resource limits") })
        {
            var now = container["resources"]?[list] as JsonObject ?? [];
            if ((old["resources"]?[list] as JsonObject ?? []).Any(r => !now.ContainsKey(r.Key)))
            {
                errors.Add(FieldError.Forbidden($"{path}.{list}", $"{what} cannot be removed"));
            }
        }
    }

    // The container with its cpu and memory as they were: what else differs was not a resize. A list
    // the container had none of stays out of the comparison, as in kube.
    private static JsonObject WithOldCpuAndMemory(JsonObject container, JsonObject old)
    {
        var result = (JsonObject)container.DeepClone();
        var resources = result["resources"] as JsonObject ?? [];
        result["resources"] = resources;
        foreach (var list in new[] { "requests", "limits" })
        {
            if (old["resources"]?[list] is not JsonObject oldList)
            {
                resources.Remove(list);
                continue;
            }
            var munged = resources[list] as JsonObject ?? [];
            resources[list] = munged;
            foreach (var name in Resizable)
            {
                munged.Remove(name);
                if (oldList[name] is { } value) munged[name] = value.DeepClone();
            }
        }
        return result;
    }

    private static bool IsSidecar(JsonObject container) => container["restartPolicy"]?.ToString() == "Always";

    private static List<JsonObject> Containers(JsonObject spec, string list) => [.. (spec[list] as JsonArray ?? []).OfType<JsonObject>()];

    private static IEnumerable<string> ContainerNames(JsonObject spec, string list) => Containers(spec, list).Select(c => c["name"]?.ToString() ?? "");

    // As kube's semantic equality: an empty list or map is the same as none.
    private static bool SemanticEquals(JsonNode? a, JsonNode? b) => JsonNode.DeepEquals(WithoutEmpty(a), WithoutEmpty(b));

    private static JsonNode? WithoutEmpty(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, WithoutEmpty(p.Value)))
            .Where(p => p.Value is not null and not JsonObject { Count: 0 } and not JsonArray { Count: 0 })),
        JsonArray a => new JsonArray([.. a.Select(WithoutEmpty)]),
        _ => node?.DeepClone(),
    };
}
