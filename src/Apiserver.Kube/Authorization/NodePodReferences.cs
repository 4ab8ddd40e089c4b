using System.Text.Json.Nodes;

namespace Apiserver.Kube.Authorization;

/// <summary>The objects a pod references, which its node may therefore read (the edges of kube's node graph).</summary>
internal static class NodePodReferences
{
    /// <summary>Secrets: image pull secrets, secret volumes and projections, and secrets in env and envFrom.</summary>
    public static HashSet<string> Secrets(JsonObject pod)
    {
        var names = new HashSet<string>();
        foreach (var pull in Array(pod["spec"]?["imagePullSecrets"]))
        {
            Add(names, pull["name"]);
        }
        foreach (var volume in Volumes(pod))
        {
            Add(names, volume["secret"]?["secretName"]);
            foreach (var source in Array(volume["projected"]?["sources"]))
            {
                Add(names, source["secret"]?["name"]);
            }
            // Volume plugins that name a secret for their credentials (CSI, iSCSI, RBD, ...).
            foreach (var plugin in volume.Select(p => p.Value).OfType<JsonObject>())
            {
                Add(names, plugin["secretRef"]?["name"]);
                Add(names, plugin["nodePublishSecretRef"]?["name"]);
            }
        }
        foreach (var container in Containers(pod))
        {
            foreach (var env in Array(container["env"]))
            {
                Add(names, env["valueFrom"]?["secretKeyRef"]?["name"]);
            }
            foreach (var envFrom in Array(container["envFrom"]))
            {
                Add(names, envFrom["secretRef"]?["name"]);
            }
        }
        return names;
    }

    /// <summary>Config maps: volumes, projections, env and envFrom.</summary>
    public static HashSet<string> ConfigMaps(JsonObject pod)
    {
        var names = new HashSet<string>();
        foreach (var volume in Volumes(pod))
        {
            Add(names, volume["configMap"]?["name"]);
            foreach (var source in Array(volume["projected"]?["sources"]))
            {
                Add(names, source["configMap"]?["name"]);
            }
        }
        foreach (var container in Containers(pod))
        {
            foreach (var env in Array(container["env"]))
            {
                Add(names, env["valueFrom"]?["configMapKeyRef"]?["name"]);
            }
            foreach (var envFrom in Array(container["envFrom"]))
            {
                Add(names, envFrom["configMapRef"]?["name"]);
            }
        }
        return names;
    }

    /// <summary>Claims: persistentVolumeClaim volumes, and the <c>&lt;pod&gt;-&lt;volume&gt;</c> claim of each ephemeral volume.</summary>
    public static HashSet<string> Claims(JsonObject pod)
    {
        var names = new HashSet<string>();
        var podName = (string?)pod["metadata"]?["name"] ?? "";
        foreach (var volume in Volumes(pod))
        {
            Add(names, volume["persistentVolumeClaim"]?["claimName"]);
            if (volume["ephemeral"] is JsonObject)
            {
                names.Add($"{podName}-{(string?)volume["name"]}");
            }
        }
        return names;
    }

    /// <summary>The annotation of mirror pods, the API's copies of a kubelet's static pods.</summary>
    public const string MirrorPodAnnotation = "kubernetes.io/config.mirror";

    /// <summary>Whether the pod is a mirror pod.</summary>
    public static bool IsMirror(JsonObject pod) => pod["metadata"]?["annotations"]?[MirrorPodAnnotation] is not null;

    /// <summary>The pod's service account (<c>default</c> when unset).</summary>
    public static string ServiceAccount(JsonObject pod) =>
        (string?)pod["spec"]?["serviceAccountName"] is { Length: > 0 } name ? name : "default";

    private static IEnumerable<JsonObject> Volumes(JsonObject pod) => Array(pod["spec"]?["volumes"]);

    private static IEnumerable<JsonObject> Containers(JsonObject pod) =>
        Array(pod["spec"]?["initContainers"]).Concat(Array(pod["spec"]?["containers"])).Concat(Array(pod["spec"]?["ephemeralContainers"]));

    private static IEnumerable<JsonObject> Array(JsonNode? node) => (node as JsonArray ?? []).OfType<JsonObject>();

    private static void Add(HashSet<string> names, JsonNode? name)
    {
        if ((string?)name is { Length: > 0 } value)
        {
            names.Add(value);
        }
    }
}
