using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Registry.Apps;
using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Core.Pods;

/// <summary>
/// The <c>pods</c> resource of core/v1, with a <c>status</c> subresource. As kube's pod strategy
/// (<c>pkg/registry/core/pod/strategy.go</c>): the pod spec's defaults, generation 1 on create, a
/// status of phase <c>Pending</c> with its QoS class, the field selectors kube supports, and
/// updates restricted to the fields kube lets change.
/// </summary>
public static class PodResource
{
    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("", "v1", "Pod"), "pods", "pod", Namespaced: true),
        new Strategy())
    {
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1Pod)),
        Typed = true,
        Protobuf = PodMessages.Pod,
        ShortNames = ["po"],
        Categories = ["all"],
        StatusSubresource = true,
        TracksGeneration = true,
        Columns = PodColumns.All,
    };

    private sealed class Strategy : IRestStrategy
    {
        public void PrepareForCreate(JsonObject obj)
        {
            PodDefaults.Apply(obj);
            obj["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = PodQos.Compute(obj["spec"] as JsonObject ?? []) };
        }

        public void PrepareForUpdate(JsonObject obj, JsonObject old)
        {
            PodDefaults.Apply(obj);
            if (JsonNode.DeepEquals(obj["spec"], old["spec"]) && old.Metadata()["generation"] is { } generation)
            {
                obj.Metadata()["generation"] = generation.DeepClone();
            }
        }

        public void Validate(JsonObject obj, List<FieldError> errors)
        {
            PodValidation.ValidateSpec(obj["spec"] as JsonObject, errors);
            // Ephemeral containers join a running pod, through pods/ephemeralcontainers only.
            if (obj["spec"]?["ephemeralContainers"] is JsonArray { Count: > 0 })
            {
                errors.Add(FieldError.Forbidden("spec.ephemeralContainers", "cannot be set on create"));
            }
        }

        public void ValidateUpdate(JsonObject obj, JsonObject old, List<FieldError> errors)
        {
            PodValidation.ValidateSpec(obj["spec"] as JsonObject, errors);
            PodValidation.ValidateUpdate(obj["spec"] as JsonObject ?? [], old["spec"] as JsonObject ?? [], errors);
        }

        public string? GetSelectableField(JsonObject obj, string field) => field switch
        {
            "spec.nodeName" or "spec.restartPolicy" or "spec.schedulerName" or "spec.serviceAccountName" =>
                obj["spec"]?[field[5..]]?.ToString() ?? "",
            "spec.hostNetwork" => obj["spec"]?["hostNetwork"] is JsonValue v && v.TryGetValue<bool>(out var b) && b ? "true" : "false",
            "status.phase" or "status.podIP" or "status.nominatedNodeName" => obj["status"]?[field[7..]]?.ToString() ?? "",
            _ => null,
        };
    }
}
