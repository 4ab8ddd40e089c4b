using Apiserver.Generic.Serialization.Protobuf;
using Apiserver.Kube.Registry.Core;

namespace Apiserver.Kube.Registry.Events;

/// <summary>The protobuf messages of <c>k8s.io/api/events/v1</c> (field numbers of its <c>generated.proto</c>).</summary>
public static class EventsV1Messages
{
    private const string Package = "k8s.io.api.events.v1.";

    /// <summary><c>EventSeries</c>.</summary>
    public static ProtoMessage EventSeries { get; } = new(Package + "EventSeries",
        new(1, "count", ProtoKind.Int32, Presence: ProtoPresence.Always),
        new(2, "lastObservedTime", ProtoKind.MicroTime));

    /// <summary><c>Event</c> (events.k8s.io/v1).</summary>
    public static ProtoMessage Event { get; } = new(Package + "Event",
        new(1, "metadata", ProtoKind.Message, MessageFactory: () => MetaV1Messages.ObjectMeta, Presence: ProtoPresence.Always),
        new(2, "eventTime", ProtoKind.MicroTime),
        new(3, "series", ProtoKind.Message, MessageFactory: () => EventSeries, Presence: ProtoPresence.Pointer),
        new(4, "reportingController", ProtoKind.String),
        new(5, "reportingInstance", ProtoKind.String),
        new(6, "action", ProtoKind.String),
        new(7, "reason", ProtoKind.String),
        new(8, "regarding", ProtoKind.Message, MessageFactory: () => CoreV1Messages.ObjectReference, Presence: ProtoPresence.Always),
        new(9, "related", ProtoKind.Message, MessageFactory: () => CoreV1Messages.ObjectReference, Presence: ProtoPresence.Pointer),
        new(10, "note", ProtoKind.String),
        new(11, "type", ProtoKind.String),
        new(12, "deprecatedSource", ProtoKind.Message, MessageFactory: () => CoreV1Messages.EventSource, Presence: ProtoPresence.Always),
        new(13, "deprecatedFirstTimestamp", ProtoKind.Time),
        new(14, "deprecatedLastTimestamp", ProtoKind.Time),
        new(15, "deprecatedCount", ProtoKind.Int32));
}
