using System.Text;
using Google.Protobuf;

namespace Apiserver.Generic.Storage.Etcd3;

/// <summary>Conversions between the storage contract's strings and etcd's byte keys, and key ranges.</summary>
internal static class Etcd3Keys
{
    /// <summary>A key no one writes, read to learn the current revision cheaply.</summary>
    public static readonly ByteString RevisionProbeKey = ByteString.CopyFromUtf8("\0revision-probe");

    /// <summary>The key etcd's health check reads, as kube-apiserver's does.</summary>
    public static readonly ByteString HealthKey = ByteString.CopyFromUtf8("health");

    /// <summary>The key with which kube-apiserver replicas agree on who compacts (kube's <c>compact_rev_key</c>).</summary>
    public static readonly ByteString CompactRevisionKey = ByteString.CopyFromUtf8("compact_rev_key");

    public static ByteString Key(string key) => ByteString.CopyFromUtf8(key);

    /// <summary>The first key of the range under <paramref name="prefix"/>: etcd takes an empty key as "no key", so every key starts at a zero byte.</summary>
    public static ByteString PrefixStart(string prefix) => prefix.Length == 0 ? ByteString.CopyFrom(0) : Key(prefix);

    /// <summary>Wraps a value without copying it; the bytes must not change while the request is in flight.</summary>
    public static ByteString Value(ReadOnlyMemory<byte> value) => UnsafeByteOperations.UnsafeWrap(value);

    /// <summary>The end of the range of keys starting with <paramref name="prefix"/> (etcd's <c>GetPrefixRangeEnd</c>).</summary>
    public static ByteString PrefixEnd(string prefix)
    {
        var bytes = Encoding.UTF8.GetBytes(prefix);
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            if (bytes[i] < 0xff)
            {
                bytes[i]++;
                return ByteString.CopyFrom(bytes, 0, i + 1);
            }
        }

        // Every byte is 0xff (or the prefix is empty): the range has no end.
        return ByteString.CopyFrom(0);
    }

    /// <summary>
    /// Where a range under <paramref name="prefix"/> starts: the prefix itself, or just past
    /// <paramref name="startAfter"/> (the key followed by a zero byte) when that lies inside the range.
    /// </summary>
    public static ByteString RangeStart(string prefix, string? startAfter)
    {
        if (startAfter is null || string.CompareOrdinal(startAfter, prefix) < 0)
        {
            return PrefixStart(prefix);
        }

        return Key(startAfter + "\0");
    }

    public static KeyValue ToKeyValue(Mvccpb.KeyValue kv) =>
        new(kv.Key.ToStringUtf8(), kv.Value.Memory, kv.CreateRevision, kv.ModRevision);
}
