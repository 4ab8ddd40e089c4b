namespace Apiserver.Generic.Serialization.Protobuf;

/// <summary>
/// The protobuf messages of <c>k8s.io/apimachinery/pkg/apis/meta/v1</c> (field numbers of its
/// <c>generated.proto</c>, as in Kubernetes 1.33), fields in Go struct order.
/// </summary>
public static class MetaV1Messages
{
    private const string Package = "k8s.io.apimachinery.pkg.apis.meta.v1.";

    /// <summary><c>OwnerReference</c>.</summary>
    public static ProtoMessage OwnerReference { get; } = new(Package + "OwnerReference",
        new(5, "apiVersion", ProtoKind.String, Presence: ProtoPresence.Always),
        new(1, "kind", ProtoKind.String, Presence: ProtoPresence.Always),
        new(3, "name", ProtoKind.String, Presence: ProtoPresence.Always),
        new(4, "uid", ProtoKind.String, Presence: ProtoPresence.Always),
        new(6, "controller", ProtoKind.Bool, Presence: ProtoPresence.Pointer),
        new(7, "blockOwnerDeletion", ProtoKind.Bool, Presence: ProtoPresence.Pointer));

    /// <summary><c>ManagedFieldsEntry</c>; its <c>fieldsV1</c> is embedded JSON.</summary>
    public static ProtoMessage ManagedFieldsEntry { get; } = new(Package + "ManagedFieldsEntry",
        new(1, "manager", ProtoKind.String),
        new(2, "operation", ProtoKind.String),
        new(3, "apiVersion", ProtoKind.String),
        new(4, "time", ProtoKind.Time, Presence: ProtoPresence.Pointer),
        new(6, "fieldsType", ProtoKind.String),
        new(7, "fieldsV1", ProtoKind.RawJson, Presence: ProtoPresence.Pointer),
        new(8, "subresource", ProtoKind.String));

    /// <summary><c>ObjectMeta</c>.</summary>
    public static ProtoMessage ObjectMeta { get; } = new(Package + "ObjectMeta",
        new(1, "name", ProtoKind.String),
        new(2, "generateName", ProtoKind.String),
        new(3, "namespace", ProtoKind.String),
        new(4, "selfLink", ProtoKind.String),
        new(5, "uid", ProtoKind.String),
        new(6, "resourceVersion", ProtoKind.String),
        new(7, "generation", ProtoKind.Int64),
        // A zero creationTimestamp (Go's null) is left out.
        new(8, "creationTimestamp", ProtoKind.Time),
        new(9, "deletionTimestamp", ProtoKind.Time, Presence: ProtoPresence.Pointer),
        new(10, "deletionGracePeriodSeconds", ProtoKind.Int64, Presence: ProtoPresence.Pointer),
        new(11, "labels", ProtoKind.StringMap),
        new(12, "annotations", ProtoKind.StringMap),
        new(13, "ownerReferences", ProtoKind.Message, Repeated: true, MessageFactory: () => OwnerReference),
        new(14, "finalizers", ProtoKind.String, Repeated: true),
        new(17, "managedFields", ProtoKind.Message, Repeated: true, MessageFactory: () => ManagedFieldsEntry));

    /// <summary><c>ListMeta</c>.</summary>
    public static ProtoMessage ListMeta { get; } = new(Package + "ListMeta",
        new(1, "selfLink", ProtoKind.String),
        new(2, "resourceVersion", ProtoKind.String),
        new(3, "continue", ProtoKind.String),
        new(4, "remainingItemCount", ProtoKind.Int64, Presence: ProtoPresence.Pointer));

    /// <summary><c>Preconditions</c>.</summary>
    public static ProtoMessage Preconditions { get; } = new(Package + "Preconditions",
        new(1, "uid", ProtoKind.String, Presence: ProtoPresence.Pointer),
        new(2, "resourceVersion", ProtoKind.String, Presence: ProtoPresence.Pointer));

    /// <summary><c>DeleteOptions</c> (a zero <c>gracePeriodSeconds</c> is kept: it means "now").</summary>
    public static ProtoMessage DeleteOptions { get; } = new(Package + "DeleteOptions",
        new(1, "gracePeriodSeconds", ProtoKind.Int64, Presence: ProtoPresence.Pointer),
        new(2, "preconditions", ProtoKind.Message, MessageFactory: () => Preconditions, Presence: ProtoPresence.Pointer),
        new(3, "orphanDependents", ProtoKind.Bool, Presence: ProtoPresence.Pointer),
        new(4, "propagationPolicy", ProtoKind.String, Presence: ProtoPresence.Pointer),
        new(5, "dryRun", ProtoKind.String, Repeated: true),
        new(6, "ignoreStoreReadErrorWithClusterBreakingPotential", ProtoKind.Bool, Presence: ProtoPresence.Pointer));
}
