using System.Text.Json;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;

namespace Apiserver.Generic.Registry.Rest;

/// <summary>
/// An object on its way to a client: either a node, or the exact JSON bytes to send (as a store
/// renders them from its cached bytes), parsed into a node only if a caller needs to look inside.
/// </summary>
public sealed class ObjectJson
{
    private readonly ReadOnlyMemory<byte> _utf8;
    private JsonObject? _node;

    /// <summary>An object held as a node.</summary>
    public ObjectJson(JsonObject node) => _node = node;

    /// <summary>An object held as its UTF-8 JSON, which must be one valid JSON object.</summary>
    public ObjectJson(ReadOnlyMemory<byte> utf8) => _utf8 = utf8;

    /// <summary>The object as a node; parsed from the bytes on first use, after which the node is what is written.</summary>
    public JsonObject Node => _node ??= JsonNode.Parse(_utf8.Span) as JsonObject ?? throw StatusException.Internal("object JSON is not an object");

    /// <summary>Writes the object: the bytes as they are, or the node.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        if (_node is not null)
        {
            _node.WriteTo(writer);
        }
        else
        {
            writer.WriteRawValue(_utf8.Span, skipInputValidation: true);
        }
    }

    /// <summary>Wraps a node.</summary>
    public static implicit operator ObjectJson(JsonObject node) => new(node);
}
