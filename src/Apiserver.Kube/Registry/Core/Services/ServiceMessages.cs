using Apiserver.Generic.Serialization.Protobuf;

namespace Apiserver.Kube.Registry.Core.Services;

/// <summary>
/// The protobuf messages of a core/v1 <c>Service</c> (field numbers of <c>k8s.io/api/core/v1/generated.proto</c>):
/// what <c>kubectl create service</c> sends. The status is left to JSON.
/// </summary>
public static class ServiceMessages
{
    private const string Package = "k8s.io.api.core.v1.";

    /// <summary><c>ServicePort</c>.</summary>
    public static ProtoMessage ServicePort { get; } = new(Package + "ServicePort",
        new(1, "name", ProtoKind.String),
        new(2, "protocol", ProtoKind.String),
        new(6, "appProtocol", ProtoKind.String, Presence: ProtoPresence.Pointer),
        new(3, "port", ProtoKind.Int32, Presence: ProtoPresence.Always),
        new(4, "targetPort", ProtoKind.IntOrString),
        new(5, "nodePort", ProtoKind.Int32));

    /// <summary><c>ClientIPConfig</c>.</summary>
    public static ProtoMessage ClientIPConfig { get; } = new(Package + "ClientIPConfig",
        new ProtoField(1, "timeoutSeconds", ProtoKind.Int32, Presence: ProtoPresence.Pointer));

    /// <summary><c>SessionAffinityConfig</c>.</summary>
    public static ProtoMessage SessionAffinityConfig { get; } = new(Package + "SessionAffinityConfig",
        new ProtoField(1, "clientIP", ProtoKind.Message, MessageFactory: () => ClientIPConfig, Presence: ProtoPresence.Pointer));

    /// <summary><c>ServiceSpec</c>.</summary>
    public static ProtoMessage ServiceSpec { get; } = new(Package + "ServiceSpec",
        new(1, "ports", ProtoKind.Message, Repeated: true, MessageFactory: () => ServicePort),
        new(2, "selector", ProtoKind.StringMap),
        new(3, "clusterIP", ProtoKind.String),
        new(18, "clusterIPs", ProtoKind.String, Repeated: true),
        new(4, "type", ProtoKind.String),
        new(5, "externalIPs", ProtoKind.String, Repeated: true),
        new(7, "sessionAffinity", ProtoKind.String),
        new(8, "loadBalancerIP", ProtoKind.String),
        new(9, "loadBalancerSourceRanges", ProtoKind.String, Repeated: true),
        new(10, "externalName", ProtoKind.String),
        new(11, "externalTrafficPolicy", ProtoKind.String),
        new(12, "healthCheckNodePort", ProtoKind.Int32),
        new(13, "publishNotReadyAddresses", ProtoKind.Bool),
        new(14, "sessionAffinityConfig", ProtoKind.Message, MessageFactory: () => SessionAffinityConfig, Presence: ProtoPresence.Pointer),
        new(17, "ipFamilies", ProtoKind.String, Repeated: true),
        new(19, "ipFamilyPolicy", ProtoKind.String, Presence: ProtoPresence.Pointer),
        new(20, "allocateLoadBalancerNodePorts", ProtoKind.Bool, Presence: ProtoPresence.Pointer),
        new(21, "loadBalancerClass", ProtoKind.String, Presence: ProtoPresence.Pointer),
        new(22, "internalTrafficPolicy", ProtoKind.String, Presence: ProtoPresence.Pointer),
        new(23, "trafficDistribution", ProtoKind.String, Presence: ProtoPresence.Pointer));

    /// <summary><c>ServiceStatus</c>; its fields are not decoded.</summary>
    public static ProtoMessage ServiceStatus { get; } = new(Package + "ServiceStatus");

    /// <summary><c>Service</c>.</summary>
    public static ProtoMessage Service { get; } = new(Package + "Service",
        new(1, "metadata", ProtoKind.Message, MessageFactory: () => MetaV1Messages.ObjectMeta, Presence: ProtoPresence.Always),
        new(2, "spec", ProtoKind.Message, MessageFactory: () => ServiceSpec),
        new(3, "status", ProtoKind.Message, MessageFactory: () => ServiceStatus));
}
