using Apiserver.Generic.Serialization.Protobuf;

namespace Apiserver.Kube.Registry.Core;

/// <summary>
/// The protobuf messages of <c>k8s.io/api/core/v1</c> that clients send for the core resources
/// served here (field numbers of its <c>generated.proto</c>, as in Kubernetes 1.33), fields in Go
/// struct order.
/// </summary>
public static class CoreV1Messages
{
    private const string Package = "k8s.io.api.core.v1.";

    private static ProtoField Metadata => new(1, "metadata", ProtoKind.Message, MessageFactory: () => MetaV1Messages.ObjectMeta, Presence: ProtoPresence.Always);

    /// <summary><c>ObjectReference</c>.</summary>
    public static ProtoMessage ObjectReference { get; } = new(Package + "ObjectReference",
        new(1, "kind", ProtoKind.String),
        new(2, "namespace", ProtoKind.String),
        new(3, "name", ProtoKind.String),
        new(4, "uid", ProtoKind.String),
        new(5, "apiVersion", ProtoKind.String),
        new(6, "resourceVersion", ProtoKind.String),
        new(7, "fieldPath", ProtoKind.String));

    /// <summary><c>LocalObjectReference</c>.</summary>
    public static ProtoMessage LocalObjectReference { get; } = new(Package + "LocalObjectReference",
        new ProtoField(1, "name", ProtoKind.String));

    /// <summary><c>EventSource</c>.</summary>
    public static ProtoMessage EventSource { get; } = new(Package + "EventSource",
        new(1, "component", ProtoKind.String),
        new(2, "host", ProtoKind.String));

    /// <summary><c>EventSeries</c>.</summary>
    public static ProtoMessage EventSeries { get; } = new(Package + "EventSeries",
        new(1, "count", ProtoKind.Int32),
        new(2, "lastObservedTime", ProtoKind.MicroTime));

    /// <summary><c>NamespaceCondition</c>.</summary>
    public static ProtoMessage NamespaceCondition { get; } = new(Package + "NamespaceCondition",
        new(1, "type", ProtoKind.String, Presence: ProtoPresence.Always),
        new(2, "status", ProtoKind.String, Presence: ProtoPresence.Always),
        new(4, "lastTransitionTime", ProtoKind.Time),
        new(5, "reason", ProtoKind.String),
        new(6, "message", ProtoKind.String));

    /// <summary><c>NamespaceSpec</c>.</summary>
    public static ProtoMessage NamespaceSpec { get; } = new(Package + "NamespaceSpec",
        new ProtoField(1, "finalizers", ProtoKind.String, Repeated: true));

    /// <summary><c>NamespaceStatus</c>.</summary>
    public static ProtoMessage NamespaceStatus { get; } = new(Package + "NamespaceStatus",
        new(1, "phase", ProtoKind.String),
        new(2, "conditions", ProtoKind.Message, Repeated: true, MessageFactory: () => NamespaceCondition));

    /// <summary><c>ConfigMap</c>.</summary>
    public static ProtoMessage ConfigMap { get; } = new(Package + "ConfigMap",
        Metadata,
        new(4, "immutable", ProtoKind.Bool, Presence: ProtoPresence.Pointer),
        new(2, "data", ProtoKind.StringMap),
        new(3, "binaryData", ProtoKind.BytesMap));

    /// <summary><c>Secret</c>.</summary>
    public static ProtoMessage Secret { get; } = new(Package + "Secret",
        Metadata,
        new(5, "immutable", ProtoKind.Bool, Presence: ProtoPresence.Pointer),
        new(2, "data", ProtoKind.BytesMap),
        new(4, "stringData", ProtoKind.StringMap),
        new(3, "type", ProtoKind.String));

    /// <summary><c>Namespace</c>.</summary>
    public static ProtoMessage Namespace { get; } = new(Package + "Namespace",
        Metadata,
        new(2, "spec", ProtoKind.Message, MessageFactory: () => NamespaceSpec, Presence: ProtoPresence.Always),
        new(3, "status", ProtoKind.Message, MessageFactory: () => NamespaceStatus, Presence: ProtoPresence.Always));

    /// <summary><c>ServiceAccount</c>.</summary>
    public static ProtoMessage ServiceAccount { get; } = new(Package + "ServiceAccount",
        Metadata,
        new(2, "secrets", ProtoKind.Message, Repeated: true, MessageFactory: () => ObjectReference),
        new(3, "imagePullSecrets", ProtoKind.Message, Repeated: true, MessageFactory: () => LocalObjectReference),
        new(4, "automountServiceAccountToken", ProtoKind.Bool, Presence: ProtoPresence.Pointer));

    /// <summary><c>Event</c> (core/v1).</summary>
    public static ProtoMessage Event { get; } = new(Package + "Event",
        Metadata,
        new(2, "involvedObject", ProtoKind.Message, MessageFactory: () => ObjectReference, Presence: ProtoPresence.Always),
        new(3, "reason", ProtoKind.String),
        new(4, "message", ProtoKind.String),
        new(5, "source", ProtoKind.Message, MessageFactory: () => EventSource, Presence: ProtoPresence.Always),
        new(6, "firstTimestamp", ProtoKind.Time),
        new(7, "lastTimestamp", ProtoKind.Time),
        new(8, "count", ProtoKind.Int32),
        new(9, "type", ProtoKind.String),
        new(10, "eventTime", ProtoKind.MicroTime),
        new(11, "series", ProtoKind.Message, MessageFactory: () => EventSeries, Presence: ProtoPresence.Pointer),
        new(12, "action", ProtoKind.String),
        new(13, "related", ProtoKind.Message, MessageFactory: () => ObjectReference, Presence: ProtoPresence.Pointer),
        new(14, "reportingComponent", ProtoKind.String, Presence: ProtoPresence.Always),
        new(15, "reportingInstance", ProtoKind.String, Presence: ProtoPresence.Always));
}
