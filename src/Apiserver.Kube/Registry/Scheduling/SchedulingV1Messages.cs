using Apiserver.Generic.Serialization.Protobuf;

namespace Apiserver.Kube.Registry.Scheduling;

/// <summary>
/// The protobuf messages of <c>k8s.io/api/scheduling/v1</c> that kubectl sends for
/// <c>create priorityclass</c> (field numbers of its <c>generated.proto</c>), fields in Go struct order.
/// </summary>
public static class SchedulingV1Messages
{
    /// <summary><c>PriorityClass</c>.</summary>
    public static ProtoMessage PriorityClass { get; } = new("k8s.io.api.scheduling.v1.PriorityClass",
        new(1, "metadata", ProtoKind.Message, MessageFactory: () => MetaV1Messages.ObjectMeta, Presence: ProtoPresence.Always),
        new(2, "value", ProtoKind.Int32, Presence: ProtoPresence.Always),
        new(3, "globalDefault", ProtoKind.Bool),
        new(4, "description", ProtoKind.String),
        new(5, "preemptionPolicy", ProtoKind.String, Presence: ProtoPresence.Pointer));
}
