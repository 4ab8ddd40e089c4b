using Apiserver.Generic.Serialization.Protobuf;
using Apiserver.Kube.Registry.Rbac;

namespace Apiserver.Kube.Registry.Apps;

/// <summary>
/// The protobuf messages of <c>k8s.io/api/apps/v1</c> (field numbers of its <c>generated.proto</c>),
/// fields in Go struct order. Typed clients send Deployments as protobuf
/// (<c>kubectl create deployment</c>); the other kinds have their messages so that they count as
/// built-in kinds (strategic merge patch, typed decoding errors), with the pod template limited as
/// <see cref="PodTemplateMessages"/> says and their status left to JSON.
/// </summary>
public static class AppsV1Messages
{
    private const string Package = "k8s.io.api.apps.v1.";

    private static ProtoField Metadata => new(1, "metadata", ProtoKind.Message, MessageFactory: () => MetaV1Messages.ObjectMeta, Presence: ProtoPresence.Always);

    private static ProtoMessage EmptyStatus(string kind) => new(Package + kind + "Status");

    /// <summary><c>DeploymentCondition</c>.</summary>
    public static ProtoMessage DeploymentCondition { get; } = new(Package + "DeploymentCondition",
        new(1, "type", ProtoKind.String, Presence: ProtoPresence.Always),
        new(2, "status", ProtoKind.String, Presence: ProtoPresence.Always),
        new(6, "lastUpdateTime", ProtoKind.Time),
        new(7, "lastTransitionTime", ProtoKind.Time),
        new(4, "reason", ProtoKind.String),
        new(5, "message", ProtoKind.String));

    /// <summary><c>RollingUpdateDeployment</c>.</summary>
    public static ProtoMessage RollingUpdateDeployment { get; } = new(Package + "RollingUpdateDeployment",
        new(1, "maxUnavailable", ProtoKind.IntOrString, Presence: ProtoPresence.Pointer),
        new(2, "maxSurge", ProtoKind.IntOrString, Presence: ProtoPresence.Pointer));

    /// <summary><c>DeploymentStrategy</c>.</summary>
    public static ProtoMessage DeploymentStrategy { get; } = new(Package + "DeploymentStrategy",
        new(1, "type", ProtoKind.String),
        new(2, "rollingUpdate", ProtoKind.Message, MessageFactory: () => RollingUpdateDeployment, Presence: ProtoPresence.Pointer));

    /// <summary><c>DeploymentSpec</c>.</summary>
    public static ProtoMessage DeploymentSpec { get; } = new(Package + "DeploymentSpec",
        new(1, "replicas", ProtoKind.Int32, Presence: ProtoPresence.Pointer),
        new(2, "selector", ProtoKind.Message, MessageFactory: () => RbacV1Messages.LabelSelector, Presence: ProtoPresence.Pointer),
        new(3, "template", ProtoKind.Message, MessageFactory: () => PodTemplateMessages.PodTemplateSpec, Presence: ProtoPresence.Always),
        new(4, "strategy", ProtoKind.Message, MessageFactory: () => DeploymentStrategy),
        new(5, "minReadySeconds", ProtoKind.Int32),
        new(6, "revisionHistoryLimit", ProtoKind.Int32, Presence: ProtoPresence.Pointer),
        new(7, "paused", ProtoKind.Bool),
        new(9, "progressDeadlineSeconds", ProtoKind.Int32, Presence: ProtoPresence.Pointer));

    /// <summary><c>DeploymentStatus</c>.</summary>
    public static ProtoMessage DeploymentStatus { get; } = new(Package + "DeploymentStatus",
        new(1, "observedGeneration", ProtoKind.Int64),
        new(2, "replicas", ProtoKind.Int32),
        new(3, "updatedReplicas", ProtoKind.Int32),
        new(7, "readyReplicas", ProtoKind.Int32),
        new(4, "availableReplicas", ProtoKind.Int32),
        new(5, "unavailableReplicas", ProtoKind.Int32),
        new(9, "terminatingReplicas", ProtoKind.Int32, Presence: ProtoPresence.Pointer),
        new(6, "conditions", ProtoKind.Message, Repeated: true, MessageFactory: () => DeploymentCondition),
        new(8, "collisionCount", ProtoKind.Int32, Presence: ProtoPresence.Pointer));

    /// <summary><c>Deployment</c>.</summary>
    public static ProtoMessage Deployment { get; } = new(Package + "Deployment",
        Metadata,
        new(2, "spec", ProtoKind.Message, MessageFactory: () => DeploymentSpec),
        new(3, "status", ProtoKind.Message, MessageFactory: () => DeploymentStatus));

    /// <summary><c>ReplicaSetSpec</c>.</summary>
    public static ProtoMessage ReplicaSetSpec { get; } = new(Package + "ReplicaSetSpec",
        new(1, "replicas", ProtoKind.Int32, Presence: ProtoPresence.Pointer),
        new(4, "minReadySeconds", ProtoKind.Int32),
        new(2, "selector", ProtoKind.Message, MessageFactory: () => RbacV1Messages.LabelSelector, Presence: ProtoPresence.Pointer),
        new(3, "template", ProtoKind.Message, MessageFactory: () => PodTemplateMessages.PodTemplateSpec));

    /// <summary><c>ReplicaSet</c>.</summary>
    public static ProtoMessage ReplicaSet { get; } = new(Package + "ReplicaSet",
        Metadata,
        new(2, "spec", ProtoKind.Message, MessageFactory: () => ReplicaSetSpec),
        new(3, "status", ProtoKind.Message, MessageFactory: () => EmptyStatus("ReplicaSet")));

    /// <summary><c>RollingUpdateStatefulSetStrategy</c>.</summary>
    public static ProtoMessage RollingUpdateStatefulSetStrategy { get; } = new(Package + "RollingUpdateStatefulSetStrategy",
        new(1, "partition", ProtoKind.Int32, Presence: ProtoPresence.Pointer),
        new(2, "maxUnavailable", ProtoKind.IntOrString, Presence: ProtoPresence.Pointer));

    /// <summary><c>StatefulSetUpdateStrategy</c>.</summary>
    public static ProtoMessage StatefulSetUpdateStrategy { get; } = new(Package + "StatefulSetUpdateStrategy",
        new(1, "type", ProtoKind.String),
        new(2, "rollingUpdate", ProtoKind.Message, MessageFactory: () => RollingUpdateStatefulSetStrategy, Presence: ProtoPresence.Pointer));

    /// <summary><c>StatefulSetPersistentVolumeClaimRetentionPolicy</c>.</summary>
    public static ProtoMessage StatefulSetPersistentVolumeClaimRetentionPolicy { get; } = new(Package + "StatefulSetPersistentVolumeClaimRetentionPolicy",
        new(1, "whenDeleted", ProtoKind.String),
        new(2, "whenScaled", ProtoKind.String));

    /// <summary><c>StatefulSetOrdinals</c>.</summary>
    public static ProtoMessage StatefulSetOrdinals { get; } = new(Package + "StatefulSetOrdinals",
        new ProtoField(1, "start", ProtoKind.Int32));

    /// <summary><c>StatefulSetSpec</c> (without <c>volumeClaimTemplates</c>).</summary>
    public static ProtoMessage StatefulSetSpec { get; } = new(Package + "StatefulSetSpec",
        new(1, "replicas", ProtoKind.Int32, Presence: ProtoPresence.Pointer),
        new(2, "selector", ProtoKind.Message, MessageFactory: () => RbacV1Messages.LabelSelector, Presence: ProtoPresence.Pointer),
        new(3, "template", ProtoKind.Message, MessageFactory: () => PodTemplateMessages.PodTemplateSpec, Presence: ProtoPresence.Always),
        new(5, "serviceName", ProtoKind.String),
        new(6, "podManagementPolicy", ProtoKind.String),
        new(7, "updateStrategy", ProtoKind.Message, MessageFactory: () => StatefulSetUpdateStrategy),
        new(8, "revisionHistoryLimit", ProtoKind.Int32, Presence: ProtoPresence.Pointer),
        new(9, "minReadySeconds", ProtoKind.Int32),
        new(10, "persistentVolumeClaimRetentionPolicy", ProtoKind.Message, MessageFactory: () => StatefulSetPersistentVolumeClaimRetentionPolicy, Presence: ProtoPresence.Pointer),
        new(11, "ordinals", ProtoKind.Message, MessageFactory: () => StatefulSetOrdinals, Presence: ProtoPresence.Pointer));

    /// <summary><c>StatefulSet</c>.</summary>
    public static ProtoMessage StatefulSet { get; } = new(Package + "StatefulSet",
        Metadata,
        new(2, "spec", ProtoKind.Message, MessageFactory: () => StatefulSetSpec),
        new(3, "status", ProtoKind.Message, MessageFactory: () => EmptyStatus("StatefulSet")));

    /// <summary><c>RollingUpdateDaemonSet</c>.</summary>
    public static ProtoMessage RollingUpdateDaemonSet { get; } = new(Package + "RollingUpdateDaemonSet",
        new(1, "maxUnavailable", ProtoKind.IntOrString, Presence: ProtoPresence.Pointer),
        new(2, "maxSurge", ProtoKind.IntOrString, Presence: ProtoPresence.Pointer));

    /// <summary><c>DaemonSetUpdateStrategy</c>.</summary>
    public static ProtoMessage DaemonSetUpdateStrategy { get; } = new(Package + "DaemonSetUpdateStrategy",
        new(1, "type", ProtoKind.String),
        new(2, "rollingUpdate", ProtoKind.Message, MessageFactory: () => RollingUpdateDaemonSet, Presence: ProtoPresence.Pointer));

    /// <summary><c>DaemonSetSpec</c>.</summary>
    public static ProtoMessage DaemonSetSpec { get; } = new(Package + "DaemonSetSpec",
        new(1, "selector", ProtoKind.Message, MessageFactory: () => RbacV1Messages.LabelSelector, Presence: ProtoPresence.Pointer),
        new(2, "template", ProtoKind.Message, MessageFactory: () => PodTemplateMessages.PodTemplateSpec, Presence: ProtoPresence.Always),
        new(3, "updateStrategy", ProtoKind.Message, MessageFactory: () => DaemonSetUpdateStrategy),
        new(4, "minReadySeconds", ProtoKind.Int32),
        new(6, "revisionHistoryLimit", ProtoKind.Int32, Presence: ProtoPresence.Pointer));

    /// <summary><c>DaemonSet</c>.</summary>
    public static ProtoMessage DaemonSet { get; } = new(Package + "DaemonSet",
        Metadata,
        new(2, "spec", ProtoKind.Message, MessageFactory: () => DaemonSetSpec),
        new(3, "status", ProtoKind.Message, MessageFactory: () => EmptyStatus("DaemonSet")));

    /// <summary><c>ControllerRevision</c>.</summary>
    public static ProtoMessage ControllerRevision { get; } = new(Package + "ControllerRevision",
        Metadata,
        new(2, "data", ProtoKind.RawJson, Presence: ProtoPresence.Pointer),
        new(3, "revision", ProtoKind.Int64, Presence: ProtoPresence.Always));
}
