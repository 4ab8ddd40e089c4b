using System.Text.Json;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;

namespace Apiserver.Generic.Registry.Rest;

/// <summary>
/// An object on its way to a client: either a node, or the exact JSON bytes to send (as a store
/// renders them from its cached bytes), parsed into a node only if a caller needs to look inside.
/// One rendering may be shared by every watcher of an event, so the bytes never change.
/// </summary>
public sealed class ObjectJson
{
    private readonly ReadOnlyMemory<byte> _utf8;
    private readonly JsonObject? _node;

    /// <summary>An object held as a node.</summary>
    public ObjectJson(JsonObject node) => _node = node;

    /// <summary>An object held as its UTF-8 JSON, which must be one valid JSON object.</summary>
    public ObjectJson(ReadOnlyMemory<byte> utf8) => _utf8 = utf8;

    /// <summary>The object as a node: the node it holds, or a new one parsed from its bytes on each call (the caller's to change).</summary>
    public JsonObject Node => _node ?? JsonNode.Parse(_utf8.Span) as JsonObject ?? throw StatusException.Internal("object JSON is not an object");

    /// <summary>The JSON bytes, when the object is held as bytes.</summary>
    public ReadOnlyMemory<byte>? Utf8 => _node is null ? _utf8 : (ReadOnlyMemory<byte>?)null;

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
