using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Validation;

namespace Apiserver.Kube.Registry.Core.Pods;

/// <summary>
/// A pod's <c>ephemeralcontainers</c> subresource (what <c>kubectl debug</c> patches): reads the
/// pod, and writes only its <c>spec.ephemeralContainers</c>, under kube's rules: containers are
/// only ever added (never changed or removed), their names are unique among all the pod's
/// containers, and they take none of the settings a long-running container has (ports, probes,
/// lifecycle, resources).
/// </summary>
public sealed class PodEphemeralContainersStore(GenericStore pods) : SubresourceStore(pods, "ephemeralcontainers", TakeEphemeralContainers, Validate)
{
    // The container fields kube refuses on an ephemeral container.
    private static readonly string[] NotForEphemeral = ["ports", "lifecycle", "livenessProbe", "readinessProbe", "startupProbe", "resources", "resizePolicy", "restartPolicy"];

    private static JsonObject TakeEphemeralContainers(JsonObject stored, JsonObject requested)
    {
        var result = (JsonObject)stored.DeepClone();
        var spec = result["spec"] as JsonObject ?? [];
        result["spec"] = spec;
        if (requested["spec"]?["ephemeralContainers"] is JsonArray containers && containers.Count > 0)
        {
            spec["ephemeralContainers"] = containers.DeepClone();
        }
        else
        {
            spec.Remove("ephemeralContainers");
        }
        return result;
    }

    /// <summary>kube's rules for an update of a pod's ephemeral containers.</summary>
    public static void Validate(JsonObject pod, JsonObject old, List<FieldError> errors)
    {
        const string path = "spec.ephemeralContainers";
        var containers = (pod["spec"]?["ephemeralContainers"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var byName = containers.GroupBy(Name).ToDictionary(g => g.Key, g => g.First());
        foreach (var previous in (old["spec"]?["ephemeralContainers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (!byName.TryGetValue(Name(previous), out var now))
            {
                errors.Add(FieldError.Forbidden(path, $"existing ephemeral containers \"{Name(previous)}\" may not be removed"));
            }
            else if (!JsonNode.DeepEquals(now, previous))
            {
                errors.Add(FieldError.Forbidden(path, $"existing ephemeral containers \"{Name(previous)}\" may not be changed"));
            }
        }

        var regular = new HashSet<string>(StringComparer.Ordinal);
        foreach (var list in new[] { "containers", "initContainers" })
        {
            foreach (var container in (pod["spec"]?[list] as JsonArray ?? []).OfType<JsonObject>())
            {
                regular.Add(Name(container));
            }
        }
        var seen = new HashSet<string>(regular, StringComparer.Ordinal);
        for (var i = 0; i < containers.Count; i++)
        {
            var container = containers[i];
            var at = $"{path}[{i}]";
            var name = Name(container);
            if (name.Length == 0)
            {
                errors.Add(FieldError.Required($"{at}.name"));
            }
            else
            {
                errors.AddRange(NameValidation.IsDns1123Label(name).Select(m => FieldError.Invalid($"{at}.name", name, m)));
                if (!seen.Add(name))
                {
                    errors.Add(new FieldError(FieldErrorType.Duplicate, $"{at}.name", JsonValue.Create(name), ""));
                }
            }
            if (string.IsNullOrEmpty(container["image"]?.ToString()))
            {
                errors.Add(FieldError.Required($"{at}.image"));
            }
            foreach (var field in NotForEphemeral.Where(f => IsSet(container[f])))
            {
                errors.Add(FieldError.Forbidden($"{at}.{field}", "cannot be set for an Ephemeral Container"));
            }
            if (container["targetContainerName"]?.ToString() is { Length: > 0 } target && !regular.Contains(target))
            {
                errors.Add(new FieldError(FieldErrorType.NotFound, $"{at}.targetContainerName", JsonValue.Create(target), ""));
            }
        }
    }

    private static string Name(JsonObject container) => container["name"]?.ToString() ?? "";

    // As Go's zero values: an empty object, list or string is not set (kubectl debug sends "resources": {}).
    private static bool IsSet(JsonNode? value) => value switch
    {
        null => false,
        JsonObject o => o.Count > 0,
        JsonArray a => a.Count > 0,
        _ => value.ToString().Length > 0,
    };
}
