using Apiserver.Generic.Serialization.Protobuf;
using Apiserver.Kube.Registry.Rbac;

namespace Apiserver.Kube.Registry.Autoscaling.HorizontalPodAutoscalers;

/// <summary>
/// The protobuf messages of <c>k8s.io/api/autoscaling/v1</c> and <c>v2</c> for HorizontalPodAutoscaler
/// (field numbers of their <c>generated.proto</c>), as kubectl sends them (<c>kubectl autoscale</c>).
/// </summary>
public static class AutoscalingMessages
{
    private static ProtoField Metadata => new(1, "metadata", ProtoKind.Message, MessageFactory: () => MetaV1Messages.ObjectMeta, Presence: ProtoPresence.Always);

    private static ProtoMessage Reference(string package) => new(package + "CrossVersionObjectReference",
        new(1, "kind", ProtoKind.String, Presence: ProtoPresence.Always),
        new(2, "name", ProtoKind.String, Presence: ProtoPresence.Always),
        new(3, "apiVersion", ProtoKind.String));

    /// <summary>autoscaling/v1 <c>HorizontalPodAutoscaler</c>.</summary>
    public static ProtoMessage V1 { get; } = new("k8s.io.api.autoscaling.v1.HorizontalPodAutoscaler",
        Metadata,
        new(2, "spec", ProtoKind.Message, Presence: ProtoPresence.Always, MessageFactory: () => new("k8s.io.api.autoscaling.v1.HorizontalPodAutoscalerSpec",
            new(1, "scaleTargetRef", ProtoKind.Message, MessageFactory: () => Reference("k8s.io.api.autoscaling.v1."), Presence: ProtoPresence.Always),
            new(2, "minReplicas", ProtoKind.Int32, Presence: ProtoPresence.Pointer),
            new(3, "maxReplicas", ProtoKind.Int32, Presence: ProtoPresence.Always),
            new(4, "targetCPUUtilizationPercentage", ProtoKind.Int32, Presence: ProtoPresence.Pointer))),
        new(3, "status", ProtoKind.Message, MessageFactory: () => new("k8s.io.api.autoscaling.v1.HorizontalPodAutoscalerStatus",
            new(1, "observedGeneration", ProtoKind.Int64, Presence: ProtoPresence.Pointer),
            new(2, "lastScaleTime", ProtoKind.Time),
            new(3, "currentReplicas", ProtoKind.Int32, Presence: ProtoPresence.Always),
            new(4, "desiredReplicas", ProtoKind.Int32, Presence: ProtoPresence.Always),
            new(5, "currentCPUUtilizationPercentage", ProtoKind.Int32, Presence: ProtoPresence.Pointer))));

    private const string V2Package = "k8s.io.api.autoscaling.v2.";

    private static ProtoMessage Identifier => new(V2Package + "MetricIdentifier",
        new(1, "name", ProtoKind.String, Presence: ProtoPresence.Always),
        new(2, "selector", ProtoKind.Message, MessageFactory: () => RbacV1Messages.LabelSelector, Presence: ProtoPresence.Pointer));

    private static ProtoMessage Target => new(V2Package + "MetricTarget",
        new(1, "type", ProtoKind.String, Presence: ProtoPresence.Always),
        new(2, "value", ProtoKind.Quantity),
        new(3, "averageValue", ProtoKind.Quantity),
        new(4, "averageUtilization", ProtoKind.Int32, Presence: ProtoPresence.Pointer));

    private static ProtoMessage Current => new(V2Package + "MetricValueStatus",
        new(1, "value", ProtoKind.Quantity),
        new(2, "averageValue", ProtoKind.Quantity),
        new(3, "averageUtilization", ProtoKind.Int32, Presence: ProtoPresence.Pointer));

    // A metric spec or status: each source has its name or metric identifier, the target or current value, and extras.
    private static ProtoMessage Metric(string name, string value, Func<ProtoMessage> valueMessage, bool status)
    {
        ProtoField Value(int number) => new(number, value, ProtoKind.Message, MessageFactory: valueMessage, Presence: ProtoPresence.Always);
        ProtoField Id(int number) => new(number, "metric", ProtoKind.Message, MessageFactory: () => Identifier, Presence: ProtoPresence.Always);
        ProtoField Described(int number) => new(number, "describedObject", ProtoKind.Message, MessageFactory: () => Reference(V2Package), Presence: ProtoPresence.Always);
        var suffix = status ? "Status" : "Source";
        return new(V2Package + name,
            new(1, "type", ProtoKind.String, Presence: ProtoPresence.Always),
            new(2, "object", ProtoKind.Message, Presence: ProtoPresence.Pointer, MessageFactory: () => status
                ? new(V2Package + "ObjectMetricStatus", Id(1), Value(2), Described(3))
                : new(V2Package + "ObjectMetricSource", Described(1), Value(2), Id(3))),
            new(3, "pods", ProtoKind.Message, Presence: ProtoPresence.Pointer, MessageFactory: () => new(V2Package + "PodsMetric" + suffix, Id(1), Value(2))),
            new(4, "resource", ProtoKind.Message, Presence: ProtoPresence.Pointer, MessageFactory: () => new(V2Package + "ResourceMetric" + suffix,
                new(1, "name", ProtoKind.String, Presence: ProtoPresence.Always), Value(2))),
            new(7, "containerResource", ProtoKind.Message, Presence: ProtoPresence.Pointer, MessageFactory: () => new(V2Package + "ContainerResourceMetric" + suffix,
                new(1, "name", ProtoKind.String, Presence: ProtoPresence.Always), Value(2), new(3, "container", ProtoKind.String, Presence: ProtoPresence.Always))),
            new(5, "external", ProtoKind.Message, Presence: ProtoPresence.Pointer, MessageFactory: () => new(V2Package + "ExternalMetric" + suffix, Id(1), Value(2))));
    }

    private static ProtoMessage Rules => new(V2Package + "HPAScalingRules",
        new(3, "stabilizationWindowSeconds", ProtoKind.Int32, Presence: ProtoPresence.Pointer),
        new(1, "selectPolicy", ProtoKind.String, Presence: ProtoPresence.Pointer),
        new(2, "policies", ProtoKind.Message, Repeated: true, MessageFactory: () => new(V2Package + "HPAScalingPolicy",
            new(1, "type", ProtoKind.String, Presence: ProtoPresence.Always),
            new(2, "value", ProtoKind.Int32, Presence: ProtoPresence.Always),
            new(3, "periodSeconds", ProtoKind.Int32, Presence: ProtoPresence.Always))),
        new(4, "tolerance", ProtoKind.Quantity));

    /// <summary>autoscaling/v2 <c>HorizontalPodAutoscaler</c>.</summary>
    public static ProtoMessage V2 { get; } = new(V2Package + "HorizontalPodAutoscaler",
        Metadata,
        new(2, "spec", ProtoKind.Message, Presence: ProtoPresence.Always, MessageFactory: () => new(V2Package + "HorizontalPodAutoscalerSpec",
            new(1, "scaleTargetRef", ProtoKind.Message, MessageFactory: () => Reference(V2Package), Presence: ProtoPresence.Always),
            new(2, "minReplicas", ProtoKind.Int32, Presence: ProtoPresence.Pointer),
            new(3, "maxReplicas", ProtoKind.Int32, Presence: ProtoPresence.Always),
            new(4, "metrics", ProtoKind.Message, Repeated: true, MessageFactory: () => Metric("MetricSpec", "target", () => Target, status: false)),
            new(5, "behavior", ProtoKind.Message, Presence: ProtoPresence.Pointer, MessageFactory: () => new(V2Package + "HorizontalPodAutoscalerBehavior",
                new(1, "scaleUp", ProtoKind.Message, MessageFactory: () => Rules, Presence: ProtoPresence.Pointer),
                new(2, "scaleDown", ProtoKind.Message, MessageFactory: () => Rules, Presence: ProtoPresence.Pointer))))),
        new(3, "status", ProtoKind.Message, MessageFactory: () => new(V2Package + "HorizontalPodAutoscalerStatus",
            new(1, "observedGeneration", ProtoKind.Int64, Presence: ProtoPresence.Pointer),
            new(2, "lastScaleTime", ProtoKind.Time),
            new(3, "currentReplicas", ProtoKind.Int32),
            new(4, "desiredReplicas", ProtoKind.Int32, Presence: ProtoPresence.Always),
            new(5, "currentMetrics", ProtoKind.Message, Repeated: true, MessageFactory: () => Metric("MetricStatus", "current", () => Current, status: true)),
            new(6, "conditions", ProtoKind.Message, Repeated: true, MessageFactory: () => new(V2Package + "HorizontalPodAutoscalerCondition",
                new(1, "type", ProtoKind.String, Presence: ProtoPresence.Always),
                new(2, "status", ProtoKind.String, Presence: ProtoPresence.Always),
                new(3, "lastTransitionTime", ProtoKind.Time),
                new(4, "reason", ProtoKind.String),
                new(5, "message", ProtoKind.String))))));
}
