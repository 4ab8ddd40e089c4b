namespace Apiserver.Generic.Serialization.Protobuf;

/// <summary>PLACEHOLDER: to be replaced.</summary>
public static class MetaV1Messages
{
    /// <summary>DeleteOptions.</summary>
    public static ProtoMessage DeleteOptions { get; } = new("k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions");
}
