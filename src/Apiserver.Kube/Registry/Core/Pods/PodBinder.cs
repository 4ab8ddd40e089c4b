using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Serialization.Protobuf;
using Apiserver.Kube.Registry.Apps;
using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Core.Pods;

/// <summary>
/// Binds a pod to a node as kube's <c>BindingREST</c> (<c>pkg/registry/core/pod/storage</c>): a
/// Binding sets <c>spec.nodeName</c> once, adds its annotations and a <c>PodScheduled</c> condition;
/// a pod already bound or being deleted answers 409.
/// </summary>
internal sealed class PodBinder(GenericStore pods)
{
    /// <summary>The kind bound with.</summary>
    public static GroupVersionKind BindingKind { get; } = new("", "v1", "Binding");

    /// <summary>The Binding's schema.</summary>
    public static NJsonSchema.JsonSchema Schema => ModelSchemas.For(typeof(k8s.Models.V1Binding));

    /// <summary>The Binding's protobuf message (what the scheduler sends).</summary>
    public static ProtoMessage Protobuf { get; } = new("k8s.io.api.core.v1.Binding",
        new(1, "metadata", ProtoKind.Message, MessageFactory: () => MetaV1Messages.ObjectMeta, Presence: ProtoPresence.Always),
        new(2, "target", ProtoKind.Message, MessageFactory: () => CoreV1Messages.ObjectReference, Presence: ProtoPresence.Always));

    /// <summary>Binds the pod <paramref name="name"/> as <paramref name="binding"/> says; answers a Success status.</summary>
    public async Task<JsonObject> BindAsync(RequestContext context, string name, JsonObject binding, bool dryRun, CancellationToken cancellationToken)
    {
        if (binding.GetName() != name)
        {
            throw StatusException.BadRequest("name in URL does not match name in Binding object");
        }
        var target = binding["target"] as JsonObject ?? [];
        var node = target["name"]?.ToString() ?? "";
        var errors = new List<FieldError>();
        if (target["kind"]?.ToString() is { Length: > 0 } kind && kind != "Node")
        {
            errors.Add(FieldError.NotSupported("target.kind", kind, ["Node", "<empty>"]));
        }
        if (node.Length == 0)
        {
            errors.Add(FieldError.Required("target.name"));
        }
        if (errors.Count > 0)
        {
            throw StatusException.Invalid(BindingKind, name, errors);
        }
        var uid = binding.GetUid();
        var bound = dryRun
            ? await pods.GetAsync(context, name, new GetOptions(), cancellationToken)
            : await pods.UpdateSystemFieldsAsync(context.Namespace, name, pod => Assign(pod, binding, node, uid), cancellationToken);
        if (bound is null)
        {
            throw StatusException.NotFound(new GroupResource("", "pods"), name);
        }
        if (dryRun)
        {
            Assign(bound, binding, node, uid);
        }
        var status = Status.Success();
        status["code"] = 201;
        return status;
    }

    private static bool Assign(JsonObject pod, JsonObject binding, string node, string uid)
    {
        var name = pod.GetName();
        if (uid.Length > 0 && uid != pod.GetUid())
        {
            throw StatusException.Conflict(new GroupResource("", "binding"), name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {pod.GetUid()}");
        }
        if (pod.Metadata()["deletionTimestamp"] is not null)
        {
            throw StatusException.Conflict(new GroupResource("", "binding"), name, $"pod {name} is being deleted, cannot be assigned to a host");
        }
        var spec = pod.ObjectField("spec");
        if (spec["nodeName"]?.ToString() is { Length: > 0 } current)
        {
            throw StatusException.Conflict(new GroupResource("", "binding"), name, $"pod {name} is already assigned to node \"{current}\"");
        }
        spec["nodeName"] = node;
        if (binding.Metadata()["annotations"] is JsonObject { Count: > 0 } annotations)
        {
            var podAnnotations = pod.Metadata().ObjectField("annotations");
            foreach (var (key, value) in annotations)
            {
                podAnnotations[key] = value?.DeepClone();
            }
        }
        var conditions = pod.ObjectField("status")["conditions"] as JsonArray;
        if (conditions is null)
        {
            pod["status"]!["conditions"] = conditions = [];
        }
        var scheduled = conditions.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.ToString() == "PodScheduled");
        if (scheduled is null)
        {
            conditions.Add(scheduled = new JsonObject { ["type"] = "PodScheduled" });
        }
        if (scheduled["status"]?.ToString() != "True")
        {
            scheduled["status"] = "True";
            scheduled["lastProbeTime"] = null;
            scheduled["lastTransitionTime"] = ObjectMeta.FormatTime(DateTimeOffset.UtcNow);
        }
        return true;
    }
}
