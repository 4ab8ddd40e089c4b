using System.Text.Json.Nodes;
using Apiserver.Generic.Storage;

namespace Apiserver.Kube.Registry.Core.Services.Allocation;

/// <summary>
/// A bitmap of taken offsets in a range, kept in storage as kube keeps it: a core/v1
/// <c>RangeAllocation</c> object (<c>range</c>, and <c>data</c> the base64 bitmap) at
/// <c>/registry/ranges/…</c>. Every change is a compare-and-swap on the key's revision, retried when
/// another writer (another replica) won, so replicas over one etcd never hand out the same offset.
/// </summary>
internal sealed class AllocationBitmap(IStorage storage, string key, string range, int size)
{
    /// <summary>How many offsets the range holds.</summary>
    public int Size => size;

    /// <summary>Takes <paramref name="offset"/>; false when it was taken already.</summary>
    public Task<bool> AllocateAsync(int offset, CancellationToken cancellationToken) =>
        MutateAsync(bits => Get(bits, offset) ? (false, false) : (Set(bits, offset, true), true), cancellationToken);

    /// <summary>
    /// Takes a free offset, looking first in [<paramref name="from"/>, size) from a random start and
    /// then in [0, <paramref name="from"/>) (kube's dynamic band above the static one); null when full.
    /// </summary>
    public async Task<int?> AllocateNextAsync(int from, CancellationToken cancellationToken)
    {
        int? found = null;
        await MutateAsync(bits =>
        {
            var band = Math.Min(from, size);
            found = FindFree(bits, band, size) ?? FindFree(bits, 0, band);
            return found is { } offset ? (Set(bits, offset, true), true) : (false, false);
        }, cancellationToken);
        return found;
    }

    /// <summary>Frees <paramref name="offset"/> (nothing when it was free).</summary>
    public Task ReleaseAsync(int offset, CancellationToken cancellationToken) =>
        MutateAsync(bits => Get(bits, offset) ? (Set(bits, offset, false), true) : (false, true), cancellationToken);

    /// <summary>Whether <paramref name="offset"/> is taken.</summary>
    public async Task<bool> IsAllocatedAsync(int offset, CancellationToken cancellationToken)
    {
        var (bits, _) = await ReadAsync(cancellationToken);
        return Get(bits, offset);
    }

    /// <summary>The taken offsets.</summary>
    public async Task<IReadOnlySet<int>> AllocatedAsync(CancellationToken cancellationToken)
    {
        var (bits, _) = await ReadAsync(cancellationToken);
        return Enumerable.Range(0, size).Where(i => Get(bits, i)).ToHashSet();
    }

    /// <summary>Changes the bitmap with <paramref name="change"/> (given the taken offsets, it returns the ones to set and clear).</summary>
    public Task UpdateAsync(Func<IReadOnlySet<int>, (IEnumerable<int> Set, IEnumerable<int> Clear)> change, CancellationToken cancellationToken) =>
        MutateAsync(bits =>
        {
            var (toSet, toClear) = change(Enumerable.Range(0, size).Where(i => Get(bits, i)).ToHashSet());
            var changed = false;
            foreach (var i in toSet) changed |= !Get(bits, i) && Set(bits, i, true);
            foreach (var i in toClear) changed |= Get(bits, i) && Set(bits, i, false);
            return (changed, true);
        }, cancellationToken);

    /// <summary>Reads, changes and writes back the bitmap until the write wins; <paramref name="mutate"/> says whether it changed anything.</summary>
    private async Task<bool> MutateAsync(Func<byte[], (bool Changed, bool Result)> mutate, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (bits, revision) = await ReadAsync(cancellationToken);
            var (changed, result) = mutate(bits);
            if (!changed)
            {
                return result;
            }
            try
            {
                var value = System.Text.Encoding.UTF8.GetBytes(Encode(bits).ToJsonString());
                if (revision is { } rev)
                {
                    await storage.UpdateAsync(key, rev, value, cancellationToken);
                }
                else
                {
                    await storage.CreateAsync(key, value, cancellationToken);
                }
                return result;
            }
            catch (StorageException e) when (e.Code is StorageErrorCode.Conflict or StorageErrorCode.KeyExists or StorageErrorCode.KeyNotFound)
            {
                // Another writer changed the bitmap meanwhile: read it again.
            }
        }
    }

    /// <summary>The stored bitmap and its revision; an empty one (and no revision) when absent or kept for another range.</summary>
    private async Task<(byte[] Bits, long? Revision)> ReadAsync(CancellationToken cancellationToken)
    {
        var empty = new byte[(size + 7) / 8];
        if (await storage.GetAsync(key, cancellationToken) is not { } kv)
        {
            return (empty, null);
        }
        var obj = JsonNode.Parse(kv.Value.Span) as JsonObject ?? [];
        // A bitmap of another range (the flag changed) starts empty; the repair controller refills it.
        if (obj["range"]?.ToString() != range || obj["data"]?.ToString() is not { } data)
        {
            return (empty, kv.ModRevision);
        }
        var stored = Convert.FromBase64String(data);
        Array.Copy(stored, empty, Math.Min(stored.Length, empty.Length));
        return (empty, kv.ModRevision);
    }

    private JsonObject Encode(byte[] bits)
    {
        // Trailing zero bytes are not stored, as Go's big.Int bytes are not.
        var length = bits.Length;
        while (length > 0 && bits[length - 1] == 0) length--;
        return new JsonObject
        {
            ["kind"] = "RangeAllocation",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["range"] = range,
            ["data"] = Convert.ToBase64String(bits, 0, length),
        };
    }

    private static int? FindFree(byte[] bits, int from, int to)
    {
        var count = to - from;
        if (count <= 0)
        {
            return null;
        }
        var start = Random.Shared.Next(count);
        for (var i = 0; i < count; i++)
        {
            var offset = from + (start + i) % count;
            if (!Get(bits, offset))
            {
                return offset;
            }
        }
        return null;
    }

    private static bool Get(byte[] bits, int offset) => (bits[offset / 8] & (1 << (offset % 8))) != 0;

    private static bool Set(byte[] bits, int offset, bool value)
    {
        if (value) bits[offset / 8] |= (byte)(1 << (offset % 8));
        else bits[offset / 8] &= (byte)~(1 << (offset % 8));
        return true;
    }
}
