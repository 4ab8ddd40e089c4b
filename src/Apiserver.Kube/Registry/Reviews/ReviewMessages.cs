using Apiserver.Generic.Serialization.Protobuf;

namespace Apiserver.Kube.Registry.Reviews;

/// <summary>
/// The protobuf messages of <c>k8s.io/api/authorization/v1</c> and <c>authentication/v1</c>
/// that kubectl sends for <c>auth can-i</c> and <c>auth whoami</c> (field numbers of their
/// <c>generated.proto</c>). The <c>extra</c> maps and the field/label selector attributes are
/// not decoded.
/// </summary>
public static class ReviewMessages
{
    private const string Authorization = "k8s.io.api.authorization.v1.";
    private const string Authentication = "k8s.io.api.authentication.v1.";

    private static ProtoField Metadata => new(1, "metadata", ProtoKind.Message, MessageFactory: () => MetaV1Messages.ObjectMeta, Presence: ProtoPresence.Always);

    /// <summary><c>ResourceAttributes</c>.</summary>
    public static ProtoMessage ResourceAttributes { get; } = new(Authorization + "ResourceAttributes",
        new(1, "namespace", ProtoKind.String),
        new(2, "verb", ProtoKind.String),
        new(3, "group", ProtoKind.String),
        new(4, "version", ProtoKind.String),
        new(5, "resource", ProtoKind.String),
        new(6, "subresource", ProtoKind.String),
        new(7, "name", ProtoKind.String));

    /// <summary><c>NonResourceAttributes</c>.</summary>
    public static ProtoMessage NonResourceAttributes { get; } = new(Authorization + "NonResourceAttributes",
        new(1, "path", ProtoKind.String),
        new(2, "verb", ProtoKind.String));

    /// <summary><c>SubjectAccessReviewStatus</c>.</summary>
    public static ProtoMessage AccessReviewStatus { get; } = new(Authorization + "SubjectAccessReviewStatus",
        new(1, "allowed", ProtoKind.Bool, Presence: ProtoPresence.Always),
        new(2, "reason", ProtoKind.String),
        new(3, "evaluationError", ProtoKind.String),
        new(4, "denied", ProtoKind.Bool));

    /// <summary><c>SelfSubjectAccessReviewSpec</c>.</summary>
    public static ProtoMessage SelfSubjectAccessReviewSpec { get; } = new(Authorization + "SelfSubjectAccessReviewSpec",
        new(1, "resourceAttributes", ProtoKind.Message, MessageFactory: () => ResourceAttributes, Presence: ProtoPresence.Pointer),
        new(2, "nonResourceAttributes", ProtoKind.Message, MessageFactory: () => NonResourceAttributes, Presence: ProtoPresence.Pointer));

    /// <summary><c>SubjectAccessReviewSpec</c>.</summary>
    public static ProtoMessage SubjectAccessReviewSpec { get; } = new(Authorization + "SubjectAccessReviewSpec",
        new(1, "resourceAttributes", ProtoKind.Message, MessageFactory: () => ResourceAttributes, Presence: ProtoPresence.Pointer),
        new(2, "nonResourceAttributes", ProtoKind.Message, MessageFactory: () => NonResourceAttributes, Presence: ProtoPresence.Pointer),
        new(3, "user", ProtoKind.String),
        new(4, "groups", ProtoKind.String, Repeated: true),
        new(6, "uid", ProtoKind.String));

    /// <summary><c>SelfSubjectAccessReview</c>.</summary>
    public static ProtoMessage SelfSubjectAccessReview { get; } = new(Authorization + "SelfSubjectAccessReview",
        Metadata,
        new(2, "spec", ProtoKind.Message, MessageFactory: () => SelfSubjectAccessReviewSpec, Presence: ProtoPresence.Always),
        new(3, "status", ProtoKind.Message, MessageFactory: () => AccessReviewStatus, Presence: ProtoPresence.Always));

    /// <summary><c>SubjectAccessReview</c>.</summary>
    public static ProtoMessage SubjectAccessReview { get; } = new(Authorization + "SubjectAccessReview",
        Metadata,
        new(2, "spec", ProtoKind.Message, MessageFactory: () => SubjectAccessReviewSpec, Presence: ProtoPresence.Always),
        new(3, "status", ProtoKind.Message, MessageFactory: () => AccessReviewStatus, Presence: ProtoPresence.Always));

    /// <summary><c>LocalSubjectAccessReview</c>.</summary>
    public static ProtoMessage LocalSubjectAccessReview { get; } = new(Authorization + "LocalSubjectAccessReview",
        Metadata,
        new(2, "spec", ProtoKind.Message, MessageFactory: () => SubjectAccessReviewSpec, Presence: ProtoPresence.Always),
        new(3, "status", ProtoKind.Message, MessageFactory: () => AccessReviewStatus, Presence: ProtoPresence.Always));

    /// <summary><c>ResourceRule</c>.</summary>
    public static ProtoMessage ResourceRule { get; } = new(Authorization + "ResourceRule",
        new(1, "verbs", ProtoKind.String, Repeated: true),
        new(2, "apiGroups", ProtoKind.String, Repeated: true),
        new(3, "resources", ProtoKind.String, Repeated: true),
        new(4, "resourceNames", ProtoKind.String, Repeated: true));

    /// <summary><c>NonResourceRule</c>.</summary>
    public static ProtoMessage NonResourceRule { get; } = new(Authorization + "NonResourceRule",
        new(1, "verbs", ProtoKind.String, Repeated: true),
        new(2, "nonResourceURLs", ProtoKind.String, Repeated: true));

    /// <summary><c>SubjectRulesReviewStatus</c>.</summary>
    public static ProtoMessage SubjectRulesReviewStatus { get; } = new(Authorization + "SubjectRulesReviewStatus",
        new(1, "resourceRules", ProtoKind.Message, Repeated: true, MessageFactory: () => ResourceRule),
        new(2, "nonResourceRules", ProtoKind.Message, Repeated: true, MessageFactory: () => NonResourceRule),
        new(3, "incomplete", ProtoKind.Bool, Presence: ProtoPresence.Always),
        new(4, "evaluationError", ProtoKind.String));

    /// <summary><c>SelfSubjectRulesReviewSpec</c>.</summary>
    public static ProtoMessage SelfSubjectRulesReviewSpec { get; } = new(Authorization + "SelfSubjectRulesReviewSpec",
        new ProtoField(1, "namespace", ProtoKind.String));

    /// <summary><c>SelfSubjectRulesReview</c>.</summary>
    public static ProtoMessage SelfSubjectRulesReview { get; } = new(Authorization + "SelfSubjectRulesReview",
        Metadata,
        new(2, "spec", ProtoKind.Message, MessageFactory: () => SelfSubjectRulesReviewSpec, Presence: ProtoPresence.Always),
        new(3, "status", ProtoKind.Message, MessageFactory: () => SubjectRulesReviewStatus, Presence: ProtoPresence.Always));

    /// <summary><c>authentication/v1 UserInfo</c>.</summary>
    public static ProtoMessage UserInfo { get; } = new(Authentication + "UserInfo",
        new(1, "username", ProtoKind.String),
        new(2, "uid", ProtoKind.String),
        new(3, "groups", ProtoKind.String, Repeated: true));

    /// <summary><c>SelfSubjectReviewStatus</c>.</summary>
    public static ProtoMessage SelfSubjectReviewStatus { get; } = new(Authentication + "SelfSubjectReviewStatus",
        new ProtoField(1, "userInfo", ProtoKind.Message, MessageFactory: () => UserInfo, Presence: ProtoPresence.Always));

    /// <summary><c>SelfSubjectReview</c>.</summary>
    public static ProtoMessage SelfSubjectReview { get; } = new(Authentication + "SelfSubjectReview",
        Metadata,
        new(2, "status", ProtoKind.Message, MessageFactory: () => SelfSubjectReviewStatus, Presence: ProtoPresence.Always));
}
