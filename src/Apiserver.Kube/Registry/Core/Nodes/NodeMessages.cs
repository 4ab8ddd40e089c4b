using Apiserver.Generic.Serialization.Protobuf;

namespace Apiserver.Kube.Registry.Core.Nodes;

/// <summary>
/// The protobuf messages of a core/v1 <c>Node</c> (field numbers of <c>k8s.io/api/core/v1/generated.proto</c>).
/// Having one marks nodes as a built-in kind, so that <c>kubectl cordon</c> and <c>drain</c> may
/// strategic-merge-patch them. The status is left to JSON.
/// </summary>
public static class NodeMessages
{
    private const string Package = "k8s.io.api.core.v1.";

    /// <summary><c>Taint</c>.</summary>
    public static ProtoMessage Taint { get; } = new(Package + "Taint",
        new(1, "key", ProtoKind.String, Presence: ProtoPresence.Always),
        new(2, "value", ProtoKind.String),
        new(3, "effect", ProtoKind.String, Presence: ProtoPresence.Always),
        new(4, "timeAdded", ProtoKind.Time));

    /// <summary><c>NodeSpec</c>.</summary>
    public static ProtoMessage NodeSpec { get; } = new(Package + "NodeSpec",
        new(1, "podCIDR", ProtoKind.String),
        new(7, "podCIDRs", ProtoKind.String, Repeated: true),
        new(3, "providerID", ProtoKind.String),
        new(4, "unschedulable", ProtoKind.Bool),
        new(5, "taints", ProtoKind.Message, Repeated: true, MessageFactory: () => Taint),
        new(2, "externalID", ProtoKind.String));

    /// <summary><c>NodeStatus</c>; its fields are not decoded.</summary>
    public static ProtoMessage NodeStatus { get; } = new(Package + "NodeStatus");

    /// <summary><c>Node</c>.</summary>
    public static ProtoMessage Node { get; } = new(Package + "Node",
        new(1, "metadata", ProtoKind.Message, MessageFactory: () => MetaV1Messages.ObjectMeta, Presence: ProtoPresence.Always),
        new(2, "spec", ProtoKind.Message, MessageFactory: () => NodeSpec),
        new(3, "status", ProtoKind.Message, MessageFactory: () => NodeStatus));
}
