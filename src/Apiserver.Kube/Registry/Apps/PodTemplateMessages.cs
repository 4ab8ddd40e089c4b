using Apiserver.Generic.Serialization.Protobuf;
using Apiserver.Kube.Registry.Core;

namespace Apiserver.Kube.Registry.Apps;

/// <summary>
/// The protobuf messages of <c>k8s.io/api/core/v1</c> that make a pod template (field numbers of
/// its <c>generated.proto</c>), limited to the fields typed clients such as
/// <c>kubectl create deployment --image --port --replicas</c> send; other fields on the wire are
/// skipped. Clients write the other fields as JSON, which carries every field.
/// </summary>
public static class PodTemplateMessages
{
    private const string Package = "k8s.io.api.core.v1.";

    /// <summary><c>ContainerPort</c>.</summary>
    public static ProtoMessage ContainerPort { get; } = new(Package + "ContainerPort",
        new(1, "name", ProtoKind.String),
        new(2, "hostPort", ProtoKind.Int32),
        new(3, "containerPort", ProtoKind.Int32, Presence: ProtoPresence.Always),
        new(4, "protocol", ProtoKind.String),
        new(5, "hostIP", ProtoKind.String));

    /// <summary><c>EnvVar</c> (without <c>valueFrom</c>).</summary>
    public static ProtoMessage EnvVar { get; } = new(Package + "EnvVar",
        new(1, "name", ProtoKind.String, Presence: ProtoPresence.Always),
        new(2, "value", ProtoKind.String));

    /// <summary><c>ResourceRequirements</c>; its quantity maps are not decoded.</summary>
    public static ProtoMessage ResourceRequirements { get; } = new(Package + "ResourceRequirements");

    /// <summary><c>PodSecurityContext</c>; its fields are not decoded.</summary>
    public static ProtoMessage PodSecurityContext { get; } = new(Package + "PodSecurityContext");

    /// <summary><c>Container</c>.</summary>
    public static ProtoMessage Container { get; } = new(Package + "Container",
        new(1, "name", ProtoKind.String, Presence: ProtoPresence.Always),
        new(2, "image", ProtoKind.String),
        new(3, "command", ProtoKind.String, Repeated: true),
        new(4, "args", ProtoKind.String, Repeated: true),
        new(5, "workingDir", ProtoKind.String),
        new(6, "ports", ProtoKind.Message, Repeated: true, MessageFactory: () => ContainerPort),
        new(7, "env", ProtoKind.Message, Repeated: true, MessageFactory: () => EnvVar),
        new(8, "resources", ProtoKind.Message, MessageFactory: () => ResourceRequirements),
        new(13, "terminationMessagePath", ProtoKind.String),
        new(20, "terminationMessagePolicy", ProtoKind.String),
        new(14, "imagePullPolicy", ProtoKind.String),
        new(16, "stdin", ProtoKind.Bool),
        new(17, "stdinOnce", ProtoKind.Bool),
        new(18, "tty", ProtoKind.Bool));

    /// <summary><c>PodSpec</c>.</summary>
    public static ProtoMessage PodSpec { get; } = new(Package + "PodSpec",
        new(20, "initContainers", ProtoKind.Message, Repeated: true, MessageFactory: () => Container),
        new(2, "containers", ProtoKind.Message, Repeated: true, MessageFactory: () => Container, Presence: ProtoPresence.Always),
        new(3, "restartPolicy", ProtoKind.String),
        new(4, "terminationGracePeriodSeconds", ProtoKind.Int64, Presence: ProtoPresence.Pointer),
        new(5, "activeDeadlineSeconds", ProtoKind.Int64, Presence: ProtoPresence.Pointer),
        new(6, "dnsPolicy", ProtoKind.String),
        new(7, "nodeSelector", ProtoKind.StringMap),
        new(8, "serviceAccountName", ProtoKind.String),
        new(9, "serviceAccount", ProtoKind.String),
        new(21, "automountServiceAccountToken", ProtoKind.Bool, Presence: ProtoPresence.Pointer),
        new(10, "nodeName", ProtoKind.String),
        new(11, "hostNetwork", ProtoKind.Bool),
        new(12, "hostPID", ProtoKind.Bool),
        new(13, "hostIPC", ProtoKind.Bool),
        new(14, "securityContext", ProtoKind.Message, MessageFactory: () => PodSecurityContext, Presence: ProtoPresence.Pointer),
        new(15, "imagePullSecrets", ProtoKind.Message, Repeated: true, MessageFactory: () => CoreV1Messages.LocalObjectReference),
        new(16, "hostname", ProtoKind.String),
        new(17, "subdomain", ProtoKind.String),
        new(19, "schedulerName", ProtoKind.String),
        new(24, "priorityClassName", ProtoKind.String));

    /// <summary><c>PodTemplateSpec</c>.</summary>
    public static ProtoMessage PodTemplateSpec { get; } = new(Package + "PodTemplateSpec",
        new(1, "metadata", ProtoKind.Message, MessageFactory: () => MetaV1Messages.ObjectMeta),
        new(2, "spec", ProtoKind.Message, MessageFactory: () => PodSpec));
}
