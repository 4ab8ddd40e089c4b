using Apiserver.Generic.Serialization.Protobuf;

namespace Apiserver.Kube.Registry.Reviews;

/// <summary>
/// The protobuf messages of <c>k8s.io/api/authentication/v1</c> TokenRequest and TokenReview
/// (field numbers of its <c>generated.proto</c>), which kubectl and client-go send.
/// </summary>
public static class TokenMessages
{
    private const string Authentication = "k8s.io.api.authentication.v1.";

    private static ProtoField Metadata => new(1, "metadata", ProtoKind.Message, MessageFactory: () => MetaV1Messages.ObjectMeta, Presence: ProtoPresence.Always);

    /// <summary><c>BoundObjectReference</c>.</summary>
    public static ProtoMessage BoundObjectReference { get; } = new(Authentication + "BoundObjectReference",
        new(1, "kind", ProtoKind.String),
        new(2, "apiVersion", ProtoKind.String),
        new(3, "name", ProtoKind.String),
        new(4, "uid", ProtoKind.String));

    /// <summary><c>TokenRequestSpec</c>.</summary>
    public static ProtoMessage TokenRequestSpec { get; } = new(Authentication + "TokenRequestSpec",
        new(1, "audiences", ProtoKind.String, Repeated: true, Presence: ProtoPresence.Always),
        new(4, "expirationSeconds", ProtoKind.Int64, Presence: ProtoPresence.Pointer),
        new(3, "boundObjectRef", ProtoKind.Message, MessageFactory: () => BoundObjectReference, Presence: ProtoPresence.Pointer));

    /// <summary><c>TokenRequestStatus</c>.</summary>
    public static ProtoMessage TokenRequestStatus { get; } = new(Authentication + "TokenRequestStatus",
        new(1, "token", ProtoKind.String, Presence: ProtoPresence.Always),
        new(2, "expirationTimestamp", ProtoKind.Time, Presence: ProtoPresence.Always));

    /// <summary><c>TokenRequest</c>.</summary>
    public static ProtoMessage TokenRequest { get; } = new(Authentication + "TokenRequest",
        Metadata,
        new(2, "spec", ProtoKind.Message, MessageFactory: () => TokenRequestSpec, Presence: ProtoPresence.Always),
        new(3, "status", ProtoKind.Message, MessageFactory: () => TokenRequestStatus));

    /// <summary><c>TokenReviewSpec</c>.</summary>
    public static ProtoMessage TokenReviewSpec { get; } = new(Authentication + "TokenReviewSpec",
        new(1, "token", ProtoKind.String),
        new(2, "audiences", ProtoKind.String, Repeated: true));

    /// <summary><c>TokenReview</c> (its status is the server's to write, so it is not decoded).</summary>
    public static ProtoMessage TokenReview { get; } = new(Authentication + "TokenReview",
        Metadata,
        new(2, "spec", ProtoKind.Message, MessageFactory: () => TokenReviewSpec, Presence: ProtoPresence.Always));
}
