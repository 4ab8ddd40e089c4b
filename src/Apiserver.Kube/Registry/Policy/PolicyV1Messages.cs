using Apiserver.Generic.Serialization.Protobuf;
using Apiserver.Kube.Registry.Rbac;

namespace Apiserver.Kube.Registry.Policy;

/// <summary>
/// The protobuf messages of <c>k8s.io/api/policy/v1</c> (field numbers of its
/// <c>generated.proto</c>): what <c>kubectl create poddisruptionbudget</c> sends. The status is
/// left to JSON.
/// </summary>
public static class PolicyV1Messages
{
    private const string Package = "k8s.io.api.policy.v1.";

    /// <summary><c>PodDisruptionBudgetSpec</c>.</summary>
    public static ProtoMessage PodDisruptionBudgetSpec { get; } = new(Package + "PodDisruptionBudgetSpec",
        new(1, "minAvailable", ProtoKind.IntOrString, Presence: ProtoPresence.Pointer),
        new(2, "selector", ProtoKind.Message, MessageFactory: () => RbacV1Messages.LabelSelector, Presence: ProtoPresence.Pointer),
        new(3, "maxUnavailable", ProtoKind.IntOrString, Presence: ProtoPresence.Pointer),
        new(4, "unhealthyPodEvictionPolicy", ProtoKind.String, Presence: ProtoPresence.Pointer));

    /// <summary><c>PodDisruptionBudgetStatus</c>; its fields are not decoded.</summary>
    public static ProtoMessage PodDisruptionBudgetStatus { get; } = new(Package + "PodDisruptionBudgetStatus");

    /// <summary><c>PodDisruptionBudget</c>.</summary>
    public static ProtoMessage PodDisruptionBudget { get; } = new(Package + "PodDisruptionBudget",
        new(1, "metadata", ProtoKind.Message, MessageFactory: () => MetaV1Messages.ObjectMeta, Presence: ProtoPresence.Always),
        new(2, "spec", ProtoKind.Message, MessageFactory: () => PodDisruptionBudgetSpec),
        new(3, "status", ProtoKind.Message, MessageFactory: () => PodDisruptionBudgetStatus));
}
