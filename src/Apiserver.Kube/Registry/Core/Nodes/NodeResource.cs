using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Core.Nodes;

/// <summary>
/// The cluster-scoped <c>nodes</c> resource of core/v1, with a <c>status</c> subresource. A new
/// node's status is Go's empty <c>NodeStatus</c> (its daemon endpoints and node info written out);
/// <c>allocatable</c> defaults to <c>capacity</c>.
/// </summary>
public static class NodeResource
{
    private const string RolePrefix = "node-role.kubernetes.io/";

    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("", "v1", "Node"), "nodes", "node", Namespaced: false),
        new Strategy())
    {
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1Node)),
        Typed = true,
        Protobuf = NodeMessages.Node,
        ShortNames = ["no"],
        StatusSubresource = true,
        Columns =
        [
            TableColumn.NameColumn,
            new("Status", "string", "The status of the node", Status),
            new("Roles", "string", "The roles of the node", Roles),
            TableColumn.AgeColumn,
            new("Version", "string", "Kubelet Version reported by the node.", obj => obj["status"]?["nodeInfo"]?["kubeletVersion"]?.ToString() ?? ""),
            new("Internal-IP", "string", "List of addresses reachable to the node.", obj => Address(obj, "InternalIP"), Priority: 1),
            new("External-IP", "string", "List of addresses reachable to the node.", obj => Address(obj, "ExternalIP"), Priority: 1),
            new("OS-Image", "string", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).", obj => Info(obj, "osImage"), Priority: 1),
            new("Kernel-Version", "string", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", obj => Info(obj, "kernelVersion"), Priority: 1),
            new("Container-Runtime", "string", "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).", obj => Info(obj, "containerRuntimeVersion"), Priority: 1),
        ],
    };

    private static JsonNode Status(JsonObject node)
    {
        var status = new List<string>();
        if (CoreFormat.Items(node["status"]?["conditions"]).LastOrDefault(c => c["type"]?.ToString() == "Ready") is { } ready)
        {
            status.Add(ready["status"]?.ToString() == "True" ? "Ready" : "NotReady");
        }
        else
        {
            status.Add("Unknown");
        }
        if (node["spec"]?["unschedulable"] is JsonValue v && v.TryGetValue<bool>(out var u) && u)
        {
            status.Add("SchedulingDisabled");
        }
        return string.Join(",", status);
    }

    private static JsonNode Roles(JsonObject node)
    {
        var roles = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in node["metadata"]?["labels"] as JsonObject ?? [])
        {
            if (key.StartsWith(RolePrefix, StringComparison.Ordinal) && key.Length > RolePrefix.Length)
            {
                roles.Add(key[RolePrefix.Length..]);
            }
            else if (key == "kubernetes.io/role" && value?.ToString() is { Length: > 0 } role)
            {
                roles.Add(role);
            }
        }
        return roles.Count == 0 ? "<none>" : string.Join(",", roles);
    }

    private static JsonNode Address(JsonObject node, string type) =>
        CoreFormat.Items(node["status"]?["addresses"]).FirstOrDefault(a => a["type"]?.ToString() == type)?["address"]?.ToString() ?? "<none>";

    private static JsonNode Info(JsonObject node, string field) => CoreFormat.OrNone(node["status"]?["nodeInfo"]?[field], "<unknown>");

    private sealed class Strategy : IRestStrategy
    {
        private static readonly string[] InfoFields =
            ["machineID", "systemUUID", "bootID", "kernelVersion", "osImage", "containerRuntimeVersion", "kubeletVersion", "kubeProxyVersion", "operatingSystem", "architecture"];

        public void PrepareForCreate(JsonObject obj)
        {
            obj["spec"] ??= new JsonObject();
            var info = new JsonObject();
            foreach (var field in InfoFields)
            {
                info[field] = "";
            }
            obj["status"] = new JsonObject
            {
                ["daemonEndpoints"] = new JsonObject { ["kubeletEndpoint"] = new JsonObject { ["Port"] = 0 } },
                ["nodeInfo"] = info,
            };
        }

        public void Validate(JsonObject obj, List<FieldError> errors)
        {
            foreach (var (i, taint) in CoreFormat.Items(obj["spec"]?["taints"]).Select((t, i) => (i, t)))
            {
                var effect = taint["effect"]?.ToString() ?? "";
                string[] effects = ["NoSchedule", "PreferNoSchedule", "NoExecute"];
                if (effect.Length == 0)
                {
                    errors.Add(FieldError.Required($"spec.taints[{i}].effect"));
                }
                else if (!effects.Contains(effect))
                {
                    errors.Add(FieldError.NotSupported($"spec.taints[{i}].effect", effect, effects));
                }
            }
        }

        public string? GetSelectableField(JsonObject obj, string field) => field switch
        {
            "spec.unschedulable" => obj["spec"]?["unschedulable"] is JsonValue v && v.TryGetValue<bool>(out var b) && b ? "true" : "false",
            _ => null,
        };
    }
}
