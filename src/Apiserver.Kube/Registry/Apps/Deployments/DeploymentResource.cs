using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Schema;

namespace Apiserver.Kube.Registry.Apps.Deployments;

/// <summary>
/// The <c>deployments</c> resource of apps/v1, with <c>status</c> and <c>scale</c> subresources.
/// Defaults as <c>pkg/apis/apps/v1/defaults.go</c>: one replica, a RollingUpdate strategy with 25%
/// surge and unavailability, 10 revisions of history, a 600 s progress deadline, and the pod
/// template's defaults.
/// </summary>
public static class DeploymentResource
{
    private static readonly string[] StrategyTypes = ["Recreate", "RollingUpdate"];

    /// <summary>Its definition.</summary>
    public static ResourceDefinition Definition { get; } = new(
        new ResourceNames(new GroupVersionKind("apps", "v1", "Deployment"), "deployments", "deployment", Namespaced: true),
        new Strategy())
    {
        SchemaFactory = () => ModelSchemas.For(typeof(k8s.Models.V1Deployment)),
        Typed = true,
        Protobuf = AppsV1Messages.Deployment,
        ShortNames = ["deploy"],
        Categories = ["all"],
        StatusSubresource = true,
        TracksGeneration = true,
        Columns =
        [
            TableColumn.NameColumn,
            new("Ready", "string", "Number of the pod with ready state", WorkloadColumns.Ready),
            WorkloadColumns.Status("Up-to-date", "updatedReplicas", "Total number of non-terminating pods targeted by this deployment that have the desired template spec.", "string"),
            WorkloadColumns.Status("Available", "availableReplicas", "Total number of available non-terminating pods (ready for at least minReadySeconds) targeted by this deployment.", "string"),
            TableColumn.AgeColumn,
            WorkloadColumns.Containers,
            WorkloadColumns.Images,
            WorkloadColumns.Selector,
        ],
    };

    private sealed class Strategy : WorkloadStrategy
    {
        public override void Validate(JsonObject obj, List<FieldError> errors)
        {
            WorkloadValidation.ValidateSpec(obj, "deployment", errors);
            var spec = obj["spec"] as JsonObject ?? [];
            ValidateStrategy(spec["strategy"] as JsonObject, errors);
            if (WorkloadValidation.Integer(spec["progressDeadlineSeconds"]) is { } deadline)
            {
                WorkloadValidation.NonNegative(spec, "progressDeadlineSeconds", "spec", errors);
                if (deadline <= (WorkloadValidation.Integer(spec["minReadySeconds"]) ?? 0))
                {
                    errors.Add(FieldError.Invalid("spec.progressDeadlineSeconds", JsonValue.Create(deadline), "must be greater than minReadySeconds"));
                }
            }
        }

        private static void ValidateStrategy(JsonObject? strategy, List<FieldError> errors)
        {
            var type = strategy?["type"]?.ToString() ?? "";
            if (!StrategyTypes.Contains(type))
            {
                errors.Add(type.Length == 0 ? FieldError.Required("spec.strategy.type") : FieldError.NotSupported("spec.strategy.type", type, StrategyTypes));
            }
            var rollingUpdate = strategy?["rollingUpdate"] as JsonObject;
            if (type == "Recreate" && rollingUpdate is not null)
            {
                errors.Add(FieldError.Forbidden("spec.strategy.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'"));
            }
            if (rollingUpdate is not null && IsZero(rollingUpdate["maxUnavailable"]) && IsZero(rollingUpdate["maxSurge"]))
            {
                errors.Add(FieldError.Invalid("spec.strategy.rollingUpdate.maxUnavailable", rollingUpdate["maxUnavailable"]?.DeepClone(), "may not be 0 when `maxSurge` is 0"));
            }
        }

        private static bool IsZero(JsonNode? intOrString) =>
            intOrString?.ToString() is "0" or "0%";

        protected override void Default(JsonObject spec)
        {
            spec["replicas"] ??= 1;
            var strategy = spec.ObjectField("strategy");
            strategy["type"] ??= "RollingUpdate";
            if (strategy["type"]?.ToString() == "RollingUpdate")
            {
                var rollingUpdate = strategy.ObjectField("rollingUpdate");
                rollingUpdate["maxUnavailable"] ??= "25%";
                rollingUpdate["maxSurge"] ??= "25%";
            }
            spec["revisionHistoryLimit"] ??= 10;
            spec["progressDeadlineSeconds"] ??= 600;
        }
    }
}
