using System.Text.Json.Nodes;

namespace Apiserver.Kube.Registry.Apps;

/// <summary>
/// kube's defaults of a pod template (<c>pkg/apis/core/v1/defaults.go</c>): those of the pod spec,
/// its containers, their ports and probes, and its volumes.
/// </summary>
public static class PodTemplateDefaults
{
    /// <summary>Defaults <c>template</c> (a <c>PodTemplateSpec</c>) in place.</summary>
    public static void Apply(JsonNode? template)
    {
        if (template is not JsonObject t || t["spec"] is not JsonObject spec)
        {
            return;
        }
        spec["restartPolicy"] ??= "Always";
        spec["terminationGracePeriodSeconds"] ??= 30;
        spec["dnsPolicy"] ??= "ClusterFirst";
        spec["securityContext"] ??= new JsonObject();
        spec["schedulerName"] ??= "default-scheduler";
        var hostNetwork = spec["hostNetwork"] is JsonValue hn && hn.TryGetValue<bool>(out var h) && h;
        foreach (var list in new[] { "initContainers", "containers" })
        {
            foreach (var container in (spec[list] as JsonArray ?? []).OfType<JsonObject>())
            {
                DefaultContainer(container, hostNetwork);
            }
        }
        foreach (var volume in (spec["volumes"] as JsonArray ?? []).OfType<JsonObject>())
        {
            foreach (var source in new[] { "configMap", "secret", "downwardAPI", "projected" })
            {
                if (volume[source] is JsonObject s)
                {
                    s["defaultMode"] ??= 420;
                }
            }
        }
    }

    /// <summary><c>Always</c> for an image tagged <c>latest</c> or untagged (and without digest), else <c>IfNotPresent</c>.</summary>
    public static string ImagePullPolicy(string image)
    {
        if (image.Contains('@'))
        {
            return "IfNotPresent";
        }
        var lastSlash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        var tag = colon > lastSlash ? image[(colon + 1)..] : "";
        return tag.Length == 0 || tag == "latest" ? "Always" : "IfNotPresent";
    }

    private static void DefaultContainer(JsonObject container, bool hostNetwork)
    {
        container["resources"] ??= new JsonObject();
        container["terminationMessagePath"] ??= "/dev/termination-log";
        container["terminationMessagePolicy"] ??= "File";
        container["imagePullPolicy"] ??= ImagePullPolicy(container["image"]?.ToString() ?? "");
        foreach (var port in (container["ports"] as JsonArray ?? []).OfType<JsonObject>())
        {
            port["protocol"] ??= "TCP";
            if (hostNetwork && port["containerPort"] is { } containerPort)
            {
                port["hostPort"] ??= containerPort.DeepClone();
            }
        }
        foreach (var probe in new[] { "livenessProbe", "readinessProbe", "startupProbe" })
        {
            if (container[probe] is JsonObject p)
            {
                p["timeoutSeconds"] ??= 1;
                p["periodSeconds"] ??= 10;
                p["successThreshold"] ??= 1;
                p["failureThreshold"] ??= 3;
                if (p["httpGet"] is JsonObject get)
                {
                    get["scheme"] ??= "HTTP";
                }
            }
        }
        foreach (var env in (container["env"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (env["valueFrom"]?["fieldRef"] is JsonObject fieldRef)
            {
                fieldRef["apiVersion"] ??= "v1";
            }
        }
    }
}
