using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Apps.ReplicaSets;

/// <summary>
/// The <c>replicasets</c> resource of apps/v1, with <c>status</c> and <c>scale</c> subresources.
/// <c>replicas</c> defaults to 1; the pod template gets its defaults.
/// </summary>
public static class ReplicaSetResource
{
    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("apps", "v1", "ReplicaSet"), "replicasets", "replicaset", Namespaced: true),
        new Strategy())
    {
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1ReplicaSet)),
        Typed = true,
        Protobuf = AppsV1Messages.ReplicaSet,
        ShortNames = ["rs"],
        Categories = ["all"],
        StatusSubresource = true,
        TracksGeneration = true,
        Columns =
        [
            TableColumn.NameColumn,
            new("Desired", "integer", "Replicas is the number of desired pods. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicaset",
                obj => WorkloadValidation.Integer(obj["spec"]?["replicas"]) ?? 0),
            WorkloadColumns.Status("Current", "replicas", "Replicas is the most recently observed number of non-terminating pods. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicaset"),
            WorkloadColumns.Status("Ready", "readyReplicas", "The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition."),
            TableColumn.AgeColumn,
            WorkloadColumns.Containers,
            WorkloadColumns.Images,
            WorkloadColumns.Selector,
        ],
    };

    private sealed class Strategy : WorkloadStrategy
    {
        // kube's replica set validation words the empty selector as the deployment's does.
        public override void Validate(JsonObject obj, List<FieldError> errors) => WorkloadValidation.ValidateSpec(obj, "deployment", errors);

        protected override void Default(JsonObject spec) => spec["replicas"] ??= 1;
    }
}
