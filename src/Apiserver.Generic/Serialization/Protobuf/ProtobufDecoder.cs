using System.Text.Json.Nodes;
using Apiserver.Generic.Api;

namespace Apiserver.Generic.Serialization.Protobuf;

/// <summary>PLACEHOLDER: to be replaced by the real decoder.</summary>
public static class ProtobufDecoder
{
    /// <summary>The media type.</summary>
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    /// <summary>Decodes.</summary>
    public static JsonObject Decode(ReadOnlySpan<byte> data, ProtoMessage message) => throw StatusException.UnsupportedMediaType(MediaType);
}
