using Apiserver.Generic.Serialization.Protobuf;

namespace Apiserver.Kube.Registry.Flowcontrol;

/// <summary>
/// The protobuf messages of <c>k8s.io/api/flowcontrol/v1</c> (field numbers of its <c>generated.proto</c>).
/// The statuses are left to JSON.
/// </summary>
public static class FlowcontrolV1Messages
{
    private const string Package = "k8s.io.api.flowcontrol.v1.";

    private static ProtoMessage Named(string name) => new(Package + name, new ProtoField(1, "name", ProtoKind.String, Presence: ProtoPresence.Always));

    /// <summary><c>ServiceAccountSubject</c>.</summary>
    public static ProtoMessage ServiceAccountSubject { get; } = new(Package + "ServiceAccountSubject",
        new(1, "namespace", ProtoKind.String, Presence: ProtoPresence.Always),
        new(2, "name", ProtoKind.String, Presence: ProtoPresence.Always));

    /// <summary><c>Subject</c>.</summary>
    public static ProtoMessage Subject { get; } = new(Package + "Subject",
        new(1, "kind", ProtoKind.String, Presence: ProtoPresence.Always),
        new(2, "user", ProtoKind.Message, MessageFactory: () => Named("UserSubject"), Presence: ProtoPresence.Pointer),
        new(3, "group", ProtoKind.Message, MessageFactory: () => Named("GroupSubject"), Presence: ProtoPresence.Pointer),
        new(4, "serviceAccount", ProtoKind.Message, MessageFactory: () => ServiceAccountSubject, Presence: ProtoPresence.Pointer));

    /// <summary><c>ResourcePolicyRule</c>.</summary>
    public static ProtoMessage ResourcePolicyRule { get; } = new(Package + "ResourcePolicyRule",
        new(1, "verbs", ProtoKind.String, Repeated: true, Presence: ProtoPresence.Always),
        new(2, "apiGroups", ProtoKind.String, Repeated: true, Presence: ProtoPresence.Always),
        new(3, "resources", ProtoKind.String, Repeated: true, Presence: ProtoPresence.Always),
        new(4, "clusterScope", ProtoKind.Bool),
        new(5, "namespaces", ProtoKind.String, Repeated: true));

    /// <summary><c>NonResourcePolicyRule</c>.</summary>
    public static ProtoMessage NonResourcePolicyRule { get; } = new(Package + "NonResourcePolicyRule",
        new(1, "verbs", ProtoKind.String, Repeated: true, Presence: ProtoPresence.Always),
        new(6, "nonResourceURLs", ProtoKind.String, Repeated: true, Presence: ProtoPresence.Always));

    /// <summary><c>PolicyRulesWithSubjects</c>.</summary>
    public static ProtoMessage PolicyRulesWithSubjects { get; } = new(Package + "PolicyRulesWithSubjects",
        new(1, "subjects", ProtoKind.Message, Repeated: true, MessageFactory: () => Subject, Presence: ProtoPresence.Always),
        new(2, "resourceRules", ProtoKind.Message, Repeated: true, MessageFactory: () => ResourcePolicyRule),
        new(3, "nonResourceRules", ProtoKind.Message, Repeated: true, MessageFactory: () => NonResourcePolicyRule));

    /// <summary><c>FlowSchemaSpec</c>.</summary>
    public static ProtoMessage FlowSchemaSpec { get; } = new(Package + "FlowSchemaSpec",
        new(1, "priorityLevelConfiguration", ProtoKind.Message, MessageFactory: () => Named("PriorityLevelConfigurationReference"), Presence: ProtoPresence.Always),
        new(2, "matchingPrecedence", ProtoKind.Int32),
        new(3, "distinguisherMethod", ProtoKind.Message, MessageFactory: () => new ProtoMessage(Package + "FlowDistinguisherMethod", new ProtoField(1, "type", ProtoKind.String, Presence: ProtoPresence.Always)), Presence: ProtoPresence.Pointer),
        new(4, "rules", ProtoKind.Message, Repeated: true, MessageFactory: () => PolicyRulesWithSubjects));

    /// <summary><c>QueuingConfiguration</c>.</summary>
    public static ProtoMessage QueuingConfiguration { get; } = new(Package + "QueuingConfiguration",
        new(1, "queues", ProtoKind.Int32),
        new(2, "handSize", ProtoKind.Int32),
        new(3, "queueLengthLimit", ProtoKind.Int32));

    /// <summary><c>LimitResponse</c>.</summary>
    public static ProtoMessage LimitResponse { get; } = new(Package + "LimitResponse",
        new(1, "type", ProtoKind.String, Presence: ProtoPresence.Always),
        new(2, "queuing", ProtoKind.Message, MessageFactory: () => QueuingConfiguration, Presence: ProtoPresence.Pointer));

    /// <summary><c>LimitedPriorityLevelConfiguration</c>.</summary>
    public static ProtoMessage LimitedPriorityLevelConfiguration { get; } = new(Package + "LimitedPriorityLevelConfiguration",
        new(1, "nominalConcurrencyShares", ProtoKind.Int32, Presence: ProtoPresence.Pointer),
        new(2, "limitResponse", ProtoKind.Message, MessageFactory: () => LimitResponse),
        new(3, "lendablePercent", ProtoKind.Int32, Presence: ProtoPresence.Pointer),
        new(4, "borrowingLimitPercent", ProtoKind.Int32, Presence: ProtoPresence.Pointer));

    /// <summary><c>ExemptPriorityLevelConfiguration</c>.</summary>
    public static ProtoMessage ExemptPriorityLevelConfiguration { get; } = new(Package + "ExemptPriorityLevelConfiguration",
        new(1, "nominalConcurrencyShares", ProtoKind.Int32, Presence: ProtoPresence.Pointer),
        new(2, "lendablePercent", ProtoKind.Int32, Presence: ProtoPresence.Pointer));

    /// <summary><c>PriorityLevelConfigurationSpec</c>.</summary>
    public static ProtoMessage PriorityLevelConfigurationSpec { get; } = new(Package + "PriorityLevelConfigurationSpec",
        new(1, "type", ProtoKind.String, Presence: ProtoPresence.Always),
        new(2, "limited", ProtoKind.Message, MessageFactory: () => LimitedPriorityLevelConfiguration, Presence: ProtoPresence.Pointer),
        new(3, "exempt", ProtoKind.Message, MessageFactory: () => ExemptPriorityLevelConfiguration, Presence: ProtoPresence.Pointer));

    /// <summary><c>FlowSchema</c>.</summary>
    public static ProtoMessage FlowSchema { get; } = new(Package + "FlowSchema",
        new(1, "metadata", ProtoKind.Message, MessageFactory: () => MetaV1Messages.ObjectMeta, Presence: ProtoPresence.Always),
        new(2, "spec", ProtoKind.Message, MessageFactory: () => FlowSchemaSpec),
        new(3, "status", ProtoKind.Message, MessageFactory: () => new ProtoMessage(Package + "FlowSchemaStatus")));

    /// <summary><c>PriorityLevelConfiguration</c>.</summary>
    public static ProtoMessage PriorityLevelConfiguration { get; } = new(Package + "PriorityLevelConfiguration",
        new(1, "metadata", ProtoKind.Message, MessageFactory: () => MetaV1Messages.ObjectMeta, Presence: ProtoPresence.Always),
        new(2, "spec", ProtoKind.Message, MessageFactory: () => PriorityLevelConfigurationSpec),
        new(3, "status", ProtoKind.Message, MessageFactory: () => new ProtoMessage(Package + "PriorityLevelConfigurationStatus")));
}
