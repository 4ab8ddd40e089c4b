using Apiserver.Generic.Serialization.Protobuf;

namespace Apiserver.Kube.Registry.Rbac;

/// <summary>
/// The protobuf messages of <c>k8s.io/api/rbac/v1</c> that kubectl sends for
/// <c>create role|clusterrole|rolebinding|clusterrolebinding</c> (field numbers of its
/// <c>generated.proto</c>), fields in Go struct order with the presence of their <c>json</c> tags.
/// </summary>
public static class RbacV1Messages
{
    private const string Package = "k8s.io.api.rbac.v1.";
    private const string MetaPackage = "k8s.io.apimachinery.pkg.apis.meta.v1.";

    private static ProtoField Metadata => new(1, "metadata", ProtoKind.Message, MessageFactory: () => MetaV1Messages.ObjectMeta, Presence: ProtoPresence.Always);

    /// <summary><c>metav1.LabelSelectorRequirement</c>.</summary>
    public static ProtoMessage LabelSelectorRequirement { get; } = new(MetaPackage + "LabelSelectorRequirement",
        new(1, "key", ProtoKind.String, Presence: ProtoPresence.Always),
        new(2, "operator", ProtoKind.String, Presence: ProtoPresence.Always),
        new(3, "values", ProtoKind.String, Repeated: true));

    /// <summary><c>metav1.LabelSelector</c>.</summary>
    public static ProtoMessage LabelSelector { get; } = new(MetaPackage + "LabelSelector",
        new(1, "matchLabels", ProtoKind.StringMap),
        new(2, "matchExpressions", ProtoKind.Message, Repeated: true, MessageFactory: () => LabelSelectorRequirement));

    /// <summary><c>PolicyRule</c>.</summary>
    public static ProtoMessage PolicyRule { get; } = new(Package + "PolicyRule",
        new(1, "verbs", ProtoKind.String, Repeated: true),
        new(2, "apiGroups", ProtoKind.String, Repeated: true),
        new(3, "resources", ProtoKind.String, Repeated: true),
        new(4, "resourceNames", ProtoKind.String, Repeated: true),
        new(5, "nonResourceURLs", ProtoKind.String, Repeated: true));

    /// <summary><c>AggregationRule</c>.</summary>
    public static ProtoMessage AggregationRule { get; } = new(Package + "AggregationRule",
        new ProtoField(1, "clusterRoleSelectors", ProtoKind.Message, Repeated: true, MessageFactory: () => LabelSelector));

    /// <summary><c>Subject</c>.</summary>
    public static ProtoMessage Subject { get; } = new(Package + "Subject",
        new(1, "kind", ProtoKind.String, Presence: ProtoPresence.Always),
        new(2, "apiGroup", ProtoKind.String),
        new(3, "name", ProtoKind.String, Presence: ProtoPresence.Always),
        new(4, "namespace", ProtoKind.String));

    /// <summary><c>RoleRef</c>.</summary>
    public static ProtoMessage RoleRef { get; } = new(Package + "RoleRef",
        new(1, "apiGroup", ProtoKind.String, Presence: ProtoPresence.Always),
        new(2, "kind", ProtoKind.String, Presence: ProtoPresence.Always),
        new(3, "name", ProtoKind.String, Presence: ProtoPresence.Always));

    /// <summary><c>Role</c>.</summary>
    public static ProtoMessage Role { get; } = new(Package + "Role",
        Metadata,
        new(2, "rules", ProtoKind.Message, Repeated: true, MessageFactory: () => PolicyRule));

    /// <summary><c>ClusterRole</c>.</summary>
    public static ProtoMessage ClusterRole { get; } = new(Package + "ClusterRole",
        Metadata,
        new(2, "rules", ProtoKind.Message, Repeated: true, MessageFactory: () => PolicyRule),
        new(3, "aggregationRule", ProtoKind.Message, MessageFactory: () => AggregationRule, Presence: ProtoPresence.Pointer));

    /// <summary><c>RoleBinding</c>.</summary>
    public static ProtoMessage RoleBinding { get; } = new(Package + "RoleBinding",
        Metadata,
        new(2, "subjects", ProtoKind.Message, Repeated: true, MessageFactory: () => Subject),
        new(3, "roleRef", ProtoKind.Message, MessageFactory: () => RoleRef, Presence: ProtoPresence.Always));

    /// <summary><c>ClusterRoleBinding</c>.</summary>
    public static ProtoMessage ClusterRoleBinding { get; } = new(Package + "ClusterRoleBinding",
        Metadata,
        new(2, "subjects", ProtoKind.Message, Repeated: true, MessageFactory: () => Subject),
        new(3, "roleRef", ProtoKind.Message, MessageFactory: () => RoleRef, Presence: ProtoPresence.Always));
}
