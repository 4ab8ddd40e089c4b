using Apiserver.Generic.Serialization.Protobuf;
using Apiserver.Kube.Registry.Core;

namespace Apiserver.Kube.Registry.Discovery;

/// <summary>
/// The protobuf messages of <c>k8s.io/api/discovery/v1</c> (field numbers of its
/// <c>generated.proto</c>), fields in Go struct order, complete: controllers write endpoint slices
/// as protobuf.
/// </summary>
public static class DiscoveryV1Messages
{
    private const string Package = "k8s.io.api.discovery.v1.";

    /// <summary><c>EndpointConditions</c>.</summary>
    public static ProtoMessage EndpointConditions { get; } = new(Package + "EndpointConditions",
        new(1, "ready", ProtoKind.Bool, Presence: ProtoPresence.Pointer),
        new(2, "serving", ProtoKind.Bool, Presence: ProtoPresence.Pointer),
        new(3, "terminating", ProtoKind.Bool, Presence: ProtoPresence.Pointer));

    /// <summary><c>ForZone</c>.</summary>
    public static ProtoMessage ForZone { get; } = new(Package + "ForZone",
        new ProtoField(1, "name", ProtoKind.String, Presence: ProtoPresence.Always));

    /// <summary><c>ForNode</c>.</summary>
    public static ProtoMessage ForNode { get; } = new(Package + "ForNode",
        new ProtoField(1, "name", ProtoKind.String, Presence: ProtoPresence.Always));

    /// <summary><c>EndpointHints</c>.</summary>
    public static ProtoMessage EndpointHints { get; } = new(Package + "EndpointHints",
        new(1, "forZones", ProtoKind.Message, Repeated: true, MessageFactory: () => ForZone),
        new(2, "forNodes", ProtoKind.Message, Repeated: true, MessageFactory: () => ForNode));

    /// <summary><c>Endpoint</c>.</summary>
    public static ProtoMessage Endpoint { get; } = new(Package + "Endpoint",
        new(1, "addresses", ProtoKind.String, Repeated: true, Presence: ProtoPresence.Always),
        new(2, "conditions", ProtoKind.Message, MessageFactory: () => EndpointConditions),
        new(3, "hostname", ProtoKind.String, Presence: ProtoPresence.Pointer),
        new(4, "targetRef", ProtoKind.Message, MessageFactory: () => CoreV1Messages.ObjectReference, Presence: ProtoPresence.Pointer),
        new(5, "deprecatedTopology", ProtoKind.StringMap),
        new(6, "nodeName", ProtoKind.String, Presence: ProtoPresence.Pointer),
        new(7, "zone", ProtoKind.String, Presence: ProtoPresence.Pointer),
        new(8, "hints", ProtoKind.Message, MessageFactory: () => EndpointHints, Presence: ProtoPresence.Pointer));

    /// <summary><c>EndpointPort</c>.</summary>
    public static ProtoMessage EndpointPort { get; } = new(Package + "EndpointPort",
        new(1, "name", ProtoKind.String, Presence: ProtoPresence.Pointer),
        new(2, "protocol", ProtoKind.String, Presence: ProtoPresence.Pointer),
        new(3, "port", ProtoKind.Int32, Presence: ProtoPresence.Pointer),
        new(4, "appProtocol", ProtoKind.String, Presence: ProtoPresence.Pointer));

    /// <summary><c>EndpointSlice</c>.</summary>
    public static ProtoMessage EndpointSlice { get; } = new(Package + "EndpointSlice",
        new(1, "metadata", ProtoKind.Message, MessageFactory: () => MetaV1Messages.ObjectMeta, Presence: ProtoPresence.Always),
        new(4, "addressType", ProtoKind.String, Presence: ProtoPresence.Always),
        new(2, "endpoints", ProtoKind.Message, Repeated: true, MessageFactory: () => Endpoint, Presence: ProtoPresence.Always),
        new(3, "ports", ProtoKind.Message, Repeated: true, MessageFactory: () => EndpointPort));
}
