using System.Text.Json;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Storage;

namespace Apiserver.Generic.Registry.Generic;

/// <summary>
/// Objects to storage bytes and back. The stored form omits <c>metadata.resourceVersion</c>
/// (the revision is the version, as in kube-apiserver); decoding sets it from the revision.
/// </summary>
internal static class ObjectCodec
{
    public static byte[] Encode(JsonObject obj)
    {
        var meta = obj.Metadata();
        var rv = meta["resourceVersion"];
        meta.Remove("resourceVersion");
        try
        {
            return JsonSerializer.SerializeToUtf8Bytes(obj, JsonOptions.Compact);
        }
        finally
        {
            if (rv is not null)
            {
                meta["resourceVersion"] = rv;
            }
        }
    }

    public static JsonObject Decode(ReadOnlyMemory<byte> value, long revision)
    {
        var obj = JsonNode.Parse(value.Span) as JsonObject
            ?? throw StatusException.Internal("stored value is not a JSON object");
        obj.SetResourceVersion(revision);
        return obj;
    }

    public static JsonObject Decode(KeyValue kv) => Decode(kv.Value, kv.ModRevision);
}
