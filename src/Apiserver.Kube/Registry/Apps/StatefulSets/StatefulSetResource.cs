using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Apps.StatefulSets;

/// <summary>
/// The <c>statefulsets</c> resource of apps/v1, with <c>status</c> and <c>scale</c> subresources.
/// Defaults: OrderedReady pod management, a RollingUpdate strategy from partition 0, one replica,
/// 10 revisions of history, claims retained when deleted or scaled, and the pod template's defaults.
/// </summary>
public static class StatefulSetResource
{
    private static readonly string[] PodManagementPolicies = ["OrderedReady", "Parallel"];
    private static readonly string[] UpdateStrategies = ["RollingUpdate", "OnDelete"];
    private static readonly string[] RetentionPolicies = ["Retain", "Delete"];

    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("apps", "v1", "StatefulSet"), "statefulsets", "statefulset", Namespaced: true),
        new Strategy())
    {
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1StatefulSet)),
        Typed = true,
        Protobuf = AppsV1Messages.StatefulSet,
        ShortNames = ["sts"],
        Categories = ["all"],
        StatusSubresource = true,
        TracksGeneration = true,
        Columns =
        [
            TableColumn.NameColumn,
            new("Ready", "string", "Number of the pod with ready state", WorkloadColumns.Ready),
            TableColumn.AgeColumn,
            WorkloadColumns.Containers,
            WorkloadColumns.Images,
        ],
    };

    private sealed class Strategy : WorkloadStrategy
    {
        public override void Validate(JsonObject obj, List<FieldError> errors)
        {
            WorkloadValidation.ValidateSpec(obj, "statefulset", errors);
            var spec = obj["spec"] as JsonObject ?? [];
            Check(spec["podManagementPolicy"], "spec.podManagementPolicy", PodManagementPolicies, errors);
            Check(spec["updateStrategy"]?["type"], "spec.updateStrategy.type", UpdateStrategies, errors);
            if (spec["updateStrategy"]?["rollingUpdate"] is JsonObject rollingUpdate)
            {
                WorkloadValidation.NonNegative(rollingUpdate, "partition", "spec.updateStrategy.rollingUpdate", errors);
            }
            if (spec["persistentVolumeClaimRetentionPolicy"] is JsonObject retention)
            {
                Check(retention["whenDeleted"], "spec.persistentVolumeClaimRetentionPolicy.whenDeleted", RetentionPolicies, errors);
                Check(retention["whenScaled"], "spec.persistentVolumeClaimRetentionPolicy.whenScaled", RetentionPolicies, errors);
            }
        }

        private static void Check(JsonNode? node, string field, IReadOnlyList<string> supported, List<FieldError> errors)
        {
            var value = node?.ToString() ?? "";
            if (!supported.Contains(value))
            {
                errors.Add(FieldError.NotSupported(field, value, supported));
            }
        }

        protected override void Default(JsonObject spec)
        {
            spec["podManagementPolicy"] ??= "OrderedReady";
            var strategy = spec.ObjectField("updateStrategy");
            if (strategy["type"] is null)
            {
                strategy["type"] = "RollingUpdate";
                strategy["rollingUpdate"] ??= new JsonObject { ["partition"] = 0 };
            }
            if (strategy["type"]?.ToString() == "RollingUpdate" && strategy["rollingUpdate"] is JsonObject rollingUpdate)
            {
                rollingUpdate["partition"] ??= 0;
            }
            spec["replicas"] ??= 1;
            spec["revisionHistoryLimit"] ??= 10;
            var retention = spec.ObjectField("persistentVolumeClaimRetentionPolicy");
            retention["whenDeleted"] ??= "Retain";
            retention["whenScaled"] ??= "Retain";
        }
    }
}
