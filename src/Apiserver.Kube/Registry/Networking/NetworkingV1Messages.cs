using Apiserver.Generic.Serialization.Protobuf;
using Apiserver.Kube.Registry.Rbac;

namespace Apiserver.Kube.Registry.Networking;

/// <summary>
/// The protobuf messages of <c>k8s.io/api/networking/v1</c> (field numbers of its
/// <c>generated.proto</c>), so that these kinds count as built-in (strategic merge patch). kubectl
/// has no typed create for them; a network policy's rules are left to JSON.
/// </summary>
public static class NetworkingV1Messages
{
    private const string Package = "k8s.io.api.networking.v1.";

    private static ProtoField Metadata => new(1, "metadata", ProtoKind.Message, MessageFactory: () => MetaV1Messages.ObjectMeta, Presence: ProtoPresence.Always);

    /// <summary><c>NetworkPolicySpec</c> (without its ingress and egress rules).</summary>
    public static ProtoMessage NetworkPolicySpec { get; } = new(Package + "NetworkPolicySpec",
        new(1, "podSelector", ProtoKind.Message, MessageFactory: () => RbacV1Messages.LabelSelector, Presence: ProtoPresence.Always),
        new(4, "policyTypes", ProtoKind.String, Repeated: true));

    /// <summary><c>NetworkPolicy</c>.</summary>
    public static ProtoMessage NetworkPolicy { get; } = new(Package + "NetworkPolicy",
        Metadata,
        new(2, "spec", ProtoKind.Message, MessageFactory: () => NetworkPolicySpec));

    /// <summary><c>IngressClassParametersReference</c>.</summary>
    public static ProtoMessage IngressClassParametersReference { get; } = new(Package + "IngressClassParametersReference",
        new(1, "apiGroup", ProtoKind.String, Presence: ProtoPresence.Pointer),
        new(2, "kind", ProtoKind.String, Presence: ProtoPresence.Always),
        new(3, "name", ProtoKind.String, Presence: ProtoPresence.Always),
        new(4, "scope", ProtoKind.String, Presence: ProtoPresence.Pointer),
        new(5, "namespace", ProtoKind.String, Presence: ProtoPresence.Pointer));

    /// <summary><c>IngressClassSpec</c>.</summary>
    public static ProtoMessage IngressClassSpec { get; } = new(Package + "IngressClassSpec",
        new(1, "controller", ProtoKind.String),
        new(2, "parameters", ProtoKind.Message, MessageFactory: () => IngressClassParametersReference, Presence: ProtoPresence.Pointer));

    /// <summary><c>IngressClass</c>.</summary>
    public static ProtoMessage IngressClass { get; } = new(Package + "IngressClass",
        Metadata,
        new(2, "spec", ProtoKind.Message, MessageFactory: () => IngressClassSpec));
}
