using Apiserver.Generic.Serialization.Protobuf;

namespace Apiserver.Generic.Registry.Rest;

/// <summary>
/// A storage whose objects can also arrive as Kubernetes protobuf
/// (<c>application/vnd.kubernetes.protobuf</c>), as kubectl sends built-in types.
/// </summary>
public interface IProtobufSchemaProvider
{
    /// <summary>The protobuf message of the resource's kind, or null when only JSON is accepted.</summary>
    ProtoMessage? ProtobufMessage { get; }
}
