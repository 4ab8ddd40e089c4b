using Apiserver.Generic.Serialization.Protobuf;
using Apiserver.Kube.Registry.Apps;

namespace Apiserver.Kube.Registry.Core.Pods;

/// <summary>
/// The protobuf message of <c>k8s.io/api/core/v1.Pod</c>, which <c>kubectl run</c> sends: its spec
/// as <see cref="PodTemplateMessages.PodSpec"/> decodes it; its status is left to JSON.
/// </summary>
public static class PodMessages
{
    /// <summary><c>PodStatus</c>; its fields are not decoded.</summary>
    public static ProtoMessage PodStatus { get; } = new("k8s.io.api.core.v1.PodStatus");

    /// <summary><c>Pod</c>.</summary>
    public static ProtoMessage Pod { get; } = new("k8s.io.api.core.v1.Pod",
        new(1, "metadata", ProtoKind.Message, MessageFactory: () => MetaV1Messages.ObjectMeta, Presence: ProtoPresence.Always),
        new(2, "spec", ProtoKind.Message, MessageFactory: () => PodTemplateMessages.PodSpec),
        new(3, "status", ProtoKind.Message, MessageFactory: () => PodStatus));
}
