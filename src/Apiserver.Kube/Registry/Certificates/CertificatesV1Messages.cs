using Apiserver.Generic.Serialization.Protobuf;

namespace Apiserver.Kube.Registry.Certificates;

/// <summary>
/// The protobuf messages of <c>k8s.io/api/certificates/v1</c> (field numbers of its <c>generated.proto</c>):
/// what <c>kubectl certificate approve</c> sends. The spec's <c>extra</c> (a map of lists) is not
/// decoded: the server sets it from the requesting user.
/// </summary>
public static class CertificatesV1Messages
{
    private const string Package = "k8s.io.api.certificates.v1.";

    /// <summary><c>CertificateSigningRequestSpec</c>.</summary>
    public static ProtoMessage CertificateSigningRequestSpec { get; } = new(Package + "CertificateSigningRequestSpec",
        new(1, "request", ProtoKind.Bytes, Presence: ProtoPresence.Always),
        new(7, "signerName", ProtoKind.String, Presence: ProtoPresence.Always),
        new(8, "expirationSeconds", ProtoKind.Int32, Presence: ProtoPresence.Pointer),
        new(5, "usages", ProtoKind.String, Repeated: true),
        new(2, "username", ProtoKind.String),
        new(3, "uid", ProtoKind.String),
        new(4, "groups", ProtoKind.String, Repeated: true));

    /// <summary><c>CertificateSigningRequestCondition</c>.</summary>
    public static ProtoMessage CertificateSigningRequestCondition { get; } = new(Package + "CertificateSigningRequestCondition",
        new(1, "type", ProtoKind.String, Presence: ProtoPresence.Always),
        new(6, "status", ProtoKind.String, Presence: ProtoPresence.Always),
        new(2, "reason", ProtoKind.String),
        new(3, "message", ProtoKind.String),
        new(4, "lastUpdateTime", ProtoKind.Time),
        new(5, "lastTransitionTime", ProtoKind.Time));

    /// <summary><c>CertificateSigningRequestStatus</c>.</summary>
    public static ProtoMessage CertificateSigningRequestStatus { get; } = new(Package + "CertificateSigningRequestStatus",
        new(1, "conditions", ProtoKind.Message, Repeated: true, MessageFactory: () => CertificateSigningRequestCondition),
        new(2, "certificate", ProtoKind.Bytes));

    /// <summary><c>CertificateSigningRequest</c>.</summary>
    public static ProtoMessage CertificateSigningRequest { get; } = new(Package + "CertificateSigningRequest",
        new(1, "metadata", ProtoKind.Message, MessageFactory: () => MetaV1Messages.ObjectMeta, Presence: ProtoPresence.Always),
        new(2, "spec", ProtoKind.Message, MessageFactory: () => CertificateSigningRequestSpec, Presence: ProtoPresence.Always),
        new(3, "status", ProtoKind.Message, MessageFactory: () => CertificateSigningRequestStatus));
}
