namespace Apiserver.Generic.Storage;

/// <summary>
/// The key-value contract the registry needs of a backend, and nothing more: the subset of etcd
/// that kine serves kube-apiserver with. Keys are strings such as
/// <c>/registry/configmaps/default/app</c>; values are opaque bytes (JSON in practice). Every
/// write gets a new, strictly greater, global revision, which is the resource version clients see.
/// </summary>
/// <remarks>
/// Failures are reported with <see cref="StorageException"/> and its <see cref="StorageErrorCode"/>:
/// <see cref="StorageErrorCode.KeyExists"/>, <see cref="StorageErrorCode.KeyNotFound"/>,
/// <see cref="StorageErrorCode.Conflict"/> (a compare-and-swap lost), <see cref="StorageErrorCode.Compacted"/>
/// (a revision older than the compacted one was asked for) and <see cref="StorageErrorCode.Unavailable"/>.
/// </remarks>
public interface IStorage : IAsyncDisposable
{
    /// <summary>The newest revision the store has committed.</summary>
    ValueTask<long> GetCurrentRevisionAsync(CancellationToken cancellationToken = default);

    /// <summary>The value of <paramref name="key"/> at the current revision, or null if absent.</summary>
    ValueTask<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// The value of <paramref name="key"/> at any revision at least <paramref name="minRevision"/>
    /// (0: any), or null if absent then. A backend reads the current revision; a cache may answer
    /// from memory without asking the backend for its current revision.
    /// </summary>
    ValueTask<KeyValue?> GetNotOlderThanAsync(string key, long minRevision, CancellationToken cancellationToken = default) =>
        GetAsync(key, cancellationToken);

    /// <summary>
    /// The live keys under <paramref name="prefix"/> in key order, read at one revision
    /// (<see cref="ListOptions.Revision"/>, or the current one when 0), so that every page of a
    /// paginated list sees the same snapshot.
    /// </summary>
    ValueTask<ListResult> ListAsync(string prefix, ListOptions options, CancellationToken cancellationToken = default);

    /// <summary>How many live keys are under <paramref name="prefix"/> now.</summary>
    ValueTask<long> CountAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Writes <paramref name="value"/> if <paramref name="key"/> is absent; otherwise fails with KeyExists.</summary>
    ValueTask<KeyValue> CreateAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default);

    /// <summary>
    /// Compare-and-swap: replaces the value only if the key's current modification revision is
    /// <paramref name="expectedModRevision"/>. Fails with KeyNotFound when the key is absent and
    /// with Conflict when it was modified since.
    /// </summary>
    ValueTask<KeyValue> UpdateAsync(string key, long expectedModRevision, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the key, only if its modification revision is <paramref name="expectedModRevision"/>
    /// when that is given. Returns the deleted value, whose <see cref="KeyValue.ModRevision"/> is the
    /// revision of the deletion. Fails with KeyNotFound or Conflict.
    /// </summary>
    ValueTask<KeyValue> DeleteAsync(string key, long? expectedModRevision = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Streams, in revision order and without gaps, every change under <paramref name="prefix"/>
    /// with a revision greater than <paramref name="afterRevision"/>, then live changes until
    /// cancelled. Fails with Compacted when <paramref name="afterRevision"/> is older than the
    /// compacted revision. When <paramref name="progressNotify"/> is set, the stream also yields
    /// <see cref="WatchEventType.Progress"/> events carrying the store's current revision while idle.
    /// </summary>
    IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long afterRevision, bool progressNotify = false, CancellationToken cancellationToken = default);

    /// <summary>The oldest revision that can still be read or watched from (0 if never compacted).</summary>
    ValueTask<long> GetCompactedRevisionAsync(CancellationToken cancellationToken = default);

    /// <summary>Discards the history older than <paramref name="revision"/>; the latest value of every key is kept.</summary>
    ValueTask CompactAsync(long revision, CancellationToken cancellationToken = default);
}
