using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using Apiserver.Generic.Api;

namespace Apiserver.Generic.Registry.Generic;

/// <summary>
/// Turns an object's stored bytes into the bytes a client is sent, without building a JSON tree:
/// one pass of <see cref="Utf8JsonReader"/> finds the top-level properties, and the output is
/// the stored slices with <c>metadata.resourceVersion</c> put in (and, for a list item,
/// <c>kind</c> and <c>apiVersion</c> left out). Reads and watches served from the watch cache
/// send each object this way instead of parsing and re-serializing it.
/// </summary>
internal static class StoredJson
{
    /// <summary>The object as sent: stored JSON with <paramref name="revision"/> as its resource version.</summary>
    public static ReadOnlyMemory<byte> Render(ReadOnlySpan<byte> stored, long revision, bool asListItem)
    {
        var output = new ArrayBufferWriter<byte>(stored.Length + 48);
        output.Write("{"u8);
        var first = true;
        var sawMetadata = false;
        var reader = new Utf8JsonReader(stored);
        Expect(reader.Read() && reader.TokenType == JsonTokenType.StartObject);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var start = (int)reader.TokenStartIndex;
            var isMetadata = reader.ValueTextEquals("metadata"u8);
            var skip = asListItem && (reader.ValueTextEquals("kind"u8) || reader.ValueTextEquals("apiVersion"u8));
            Expect(reader.Read());
            if (isMetadata && reader.TokenType == JsonTokenType.StartObject)
            {
                sawMetadata = true;
                Separate(output, ref first);
                output.Write("\"metadata\":"u8);
                WriteMetadata(output, stored, ref reader, revision);
                continue;
            }
            reader.Skip();
            if (!skip)
            {
                Separate(output, ref first);
                output.Write(stored[start..(int)reader.BytesConsumed]);
            }
        }
        Expect(reader.TokenType == JsonTokenType.EndObject);
        if (!sawMetadata)
        {
            Separate(output, ref first);
            output.Write("\"metadata\":{"u8);
            WriteResourceVersion(output, revision);
            output.Write("}"u8);
        }
        output.Write("}"u8);
        return output.WrittenMemory; // The writer's own buffer: no second copy.
    }

    /// <summary>Copies the metadata object (the reader is on its start) with the resource version first and any stored one dropped.</summary>
    private static void WriteMetadata(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> stored, ref Utf8JsonReader reader, long revision)
    {
        output.Write("{"u8);
        WriteResourceVersion(output, revision);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var start = (int)reader.TokenStartIndex;
            var stale = reader.ValueTextEquals("resourceVersion"u8);
            Expect(reader.Read());
            reader.Skip();
            if (!stale)
            {
                output.Write(","u8);
                output.Write(stored[start..(int)reader.BytesConsumed]);
            }
        }
        Expect(reader.TokenType == JsonTokenType.EndObject);
        output.Write("}"u8);
    }

    private static void WriteResourceVersion(ArrayBufferWriter<byte> output, long revision)
    {
        output.Write("\"resourceVersion\":\""u8);
        var span = output.GetSpan(20);
        Expect(Utf8Formatter.TryFormat(revision, span, out var written));
        output.Advance(written);
        output.Write("\""u8);
    }

    private static void Separate(ArrayBufferWriter<byte> output, ref bool first)
    {
        if (!first)
        {
            output.Write(","u8);
        }
        first = false;
    }

    private static void Expect(bool condition)
    {
        if (!condition)
        {
            throw StatusException.Internal("stored value is not a JSON object");
        }
    }
}
