using Apiserver.Generic.Serialization.Protobuf;

namespace Apiserver.Kube.Registry.Networking.Ingresses;

/// <summary>
/// The protobuf messages of networking.k8s.io/v1 Ingress (field numbers of its <c>generated.proto</c>),
/// as <c>kubectl create ingress</c> sends them. An IngressRule embeds its IngressRuleValue inline in
/// JSON but as field 2 on the wire (<see cref="ProtoKind.Inline"/>).
/// </summary>
public static class IngressMessages
{
    private const string Package = "k8s.io.api.networking.v1.";

    private static ProtoMessage ServiceBackendPort => new(Package + "ServiceBackendPort",
        new(1, "name", ProtoKind.String),
        new(2, "number", ProtoKind.Int32));

    private static ProtoMessage TypedLocalObjectReference => new("k8s.io.api.core.v1.TypedLocalObjectReference",
        new(1, "apiGroup", ProtoKind.String, Presence: ProtoPresence.Pointer),
        new(2, "kind", ProtoKind.String, Presence: ProtoPresence.Always),
        new(3, "name", ProtoKind.String, Presence: ProtoPresence.Always));

    private static ProtoMessage Backend => new(Package + "IngressBackend",
        new(4, "service", ProtoKind.Message, Presence: ProtoPresence.Pointer, MessageFactory: () => new(Package + "IngressServiceBackend",
            new(1, "name", ProtoKind.String, Presence: ProtoPresence.Always),
            new(2, "port", ProtoKind.Message, MessageFactory: () => ServiceBackendPort, Presence: ProtoPresence.Always))),
        new(3, "resource", ProtoKind.Message, Presence: ProtoPresence.Pointer, MessageFactory: () => TypedLocalObjectReference));

    private static ProtoMessage Path => new(Package + "HTTPIngressPath",
        new(1, "path", ProtoKind.String),
        new(3, "pathType", ProtoKind.String, Presence: ProtoPresence.Pointer),
        new(2, "backend", ProtoKind.Message, MessageFactory: () => Backend, Presence: ProtoPresence.Always));

    private static ProtoMessage Rule => new(Package + "IngressRule",
        new(1, "host", ProtoKind.String),
        new(2, "ingressRuleValue", ProtoKind.Inline, MessageFactory: () => new(Package + "IngressRuleValue",
            new ProtoField(1, "http", ProtoKind.Message, Presence: ProtoPresence.Pointer, MessageFactory: () => new(Package + "HTTPIngressRuleValue",
                new ProtoField(1, "paths", ProtoKind.Message, Repeated: true, MessageFactory: () => Path))))));

    private static ProtoMessage Status => new(Package + "IngressStatus",
        new ProtoField(1, "loadBalancer", ProtoKind.Message, Presence: ProtoPresence.Always, MessageFactory: () => new(Package + "IngressLoadBalancerStatus",
            new ProtoField(1, "ingress", ProtoKind.Message, Repeated: true, MessageFactory: () => new(Package + "IngressLoadBalancerIngress",
                new(1, "ip", ProtoKind.String),
                new(2, "hostname", ProtoKind.String),
                new(4, "ports", ProtoKind.Message, Repeated: true, MessageFactory: () => new(Package + "IngressPortStatus",
                    new(1, "port", ProtoKind.Int32, Presence: ProtoPresence.Always),
                    new(2, "protocol", ProtoKind.String, Presence: ProtoPresence.Always),
                    new(3, "error", ProtoKind.String, Presence: ProtoPresence.Pointer))))))));

    /// <summary><c>Ingress</c>.</summary>
    public static ProtoMessage Ingress { get; } = new(Package + "Ingress",
        new(1, "metadata", ProtoKind.Message, MessageFactory: () => MetaV1Messages.ObjectMeta, Presence: ProtoPresence.Always),
        new(2, "spec", ProtoKind.Message, Presence: ProtoPresence.Always, MessageFactory: () => new(Package + "IngressSpec",
            new(4, "ingressClassName", ProtoKind.String, Presence: ProtoPresence.Pointer),
            new(1, "defaultBackend", ProtoKind.Message, MessageFactory: () => Backend, Presence: ProtoPresence.Pointer),
            new(2, "tls", ProtoKind.Message, Repeated: true, MessageFactory: () => new(Package + "IngressTLS",
                new(1, "hosts", ProtoKind.String, Repeated: true),
                new(2, "secretName", ProtoKind.String))),
            new(3, "rules", ProtoKind.Message, Repeated: true, MessageFactory: () => Rule))),
        new(3, "status", ProtoKind.Message, MessageFactory: () => Status, Presence: ProtoPresence.Always));
}
