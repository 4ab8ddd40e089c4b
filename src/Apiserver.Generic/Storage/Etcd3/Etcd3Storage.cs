using System.Runtime.CompilerServices;
using Etcdserverpb;
using Grpc.Core;

namespace Apiserver.Generic.Storage.Etcd3;

/// <summary>
/// <see cref="IStorage"/> on an etcd v3 cluster over gRPC: keys and values are stored as they are
/// given (so <c>etcdctl get --prefix /registry/</c> shows what kube-apiserver would), revisions are
/// etcd's, creates and compare-and-swaps are etcd transactions, and watches are etcd watches that
/// survive broken connections. Every call has a deadline; an unreachable etcd or one without
/// quorum fails with <see cref="StorageErrorCode.Unavailable"/> rather than hanging.
/// </summary>
public sealed class Etcd3Storage : IStorage, IStorageHealth
{
    private readonly Etcd3Client _client;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _compaction;
    private long _knownCompacted;
    private int _disposed;

    private Etcd3Storage(Etcd3StorageOptions options)
    {
        Options = options;
        _client = new Etcd3Client(options);
        _compaction = options.CompactionInterval is { } interval
            ? Task.Run(() => new Etcd3Compactor(_client, interval, CompactAsync).RunAsync(_stopping.Token))
            : Task.CompletedTask;
    }

    /// <summary>The options the store was opened with.</summary>
    public Etcd3StorageOptions Options { get; }

    /// <inheritdoc />
    public string HealthCheckName => "etcd";

    /// <summary>
    /// Connects to etcd. The connection is lazy, so this succeeds while etcd is down: operations
    /// then fail with Unavailable until it is back.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid (every problem is listed).</exception>
    public static Etcd3Storage Open(Etcd3StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems), nameof(options));
        }

        return new Etcd3Storage(options);
    }

    /// <inheritdoc />
    public async ValueTask<long> GetCurrentRevisionAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        var response = await _client.RangeAsync(
            new RangeRequest { Key = Etcd3Keys.RevisionProbeKey, CountOnly = true }, string.Empty, cancellationToken).ConfigureAwait(false);
        return response.Header.Revision;
    }

    /// <inheritdoc />
    public async ValueTask<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ThrowIfDisposed();
        var response = await _client.RangeAsync(new RangeRequest { Key = Etcd3Keys.Key(key) }, key, cancellationToken).ConfigureAwait(false);
        return response.Kvs.Count == 0 ? null : Etcd3Keys.ToKeyValue(response.Kvs[0]);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">The revision is newer than the current one, or the limit is negative.</exception>
    public async ValueTask<ListResult> ListAsync(string prefix, ListOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Limit, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Revision, nameof(options));
        ThrowIfDisposed();
        var request = new RangeRequest
        {
            Key = Etcd3Keys.RangeStart(prefix, options.StartAfter),
            RangeEnd = Etcd3Keys.PrefixEnd(prefix),
            Revision = options.Revision,
            Limit = options.Limit,
        };
        RangeResponse response;
        try
        {
            response = await _client.RangeAsync(request, prefix, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException ex) when (ex.Code == StorageErrorCode.Compacted)
        {
            throw await CompactedErrorAsync(prefix, options.Revision, ex, cancellationToken).ConfigureAwait(false);
        }

        var items = response.Kvs.Select(Etcd3Keys.ToKeyValue).ToList();
        var revision = options.Revision == 0 ? response.Header.Revision : options.Revision;
        return new ListResult(items, revision, response.More, response.More ? response.Count - items.Count : 0);
    }

    /// <inheritdoc />
    public async ValueTask<long> CountAsync(string prefix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ThrowIfDisposed();
        var request = new RangeRequest { Key = Etcd3Keys.PrefixStart(prefix), RangeEnd = Etcd3Keys.PrefixEnd(prefix), CountOnly = true };
        return (await _client.RangeAsync(request, prefix, cancellationToken).ConfigureAwait(false)).Count;
    }

    /// <inheritdoc />
    public async ValueTask<KeyValue> CreateAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ThrowIfDisposed();
        var response = await _client.TxnAsync(Etcd3Txns.Create(key, value), key, cancellationToken).ConfigureAwait(false);
        if (!response.Succeeded)
        {
            throw new StorageException(StorageErrorCode.KeyExists, key, $"key {key} already exists");
        }

        var revision = response.Header.Revision;
        return new KeyValue(key, value, revision, revision);
    }

    /// <inheritdoc />
    public async ValueTask<KeyValue> UpdateAsync(string key, long expectedModRevision, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ThrowIfDisposed();
        var response = await _client.TxnAsync(Etcd3Txns.Update(key, expectedModRevision, value), key, cancellationToken).ConfigureAwait(false);
        if (!response.Succeeded)
        {
            throw Etcd3Txns.Failure(key, expectedModRevision, response);
        }

        var written = response.Responses[1].ResponseRange.Kvs[0];
        return new KeyValue(key, value, written.CreateRevision, response.Header.Revision);
    }

    /// <inheritdoc />
    public async ValueTask<KeyValue> DeleteAsync(string key, long? expectedModRevision = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ThrowIfDisposed();
        var response = await _client.TxnAsync(Etcd3Txns.Delete(key, expectedModRevision), key, cancellationToken).ConfigureAwait(false);
        if (!response.Succeeded)
        {
            throw Etcd3Txns.Failure(key, expectedModRevision, response);
        }

        var last = response.Responses[0].ResponseDeleteRange.PrevKvs[0];
        return new KeyValue(key, last.Value.Memory, last.CreateRevision, response.Header.Revision);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="afterRevision"/> is negative.</exception>
    public async IAsyncEnumerable<WatchEvent> WatchAsync(
        string prefix, long afterRevision, bool progressNotify = false, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentOutOfRangeException.ThrowIfNegative(afterRevision);
        ThrowIfDisposed();
        await using var watcher = new Etcd3Watcher(_client, prefix, afterRevision, progressNotify, _stopping.Token, cancellationToken);
        while (await watcher.NextAsync().ConfigureAwait(false) is { } next)
        {
            yield return next;
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// etcd does not report its compacted revision, so it is found by reading at revisions between the
    /// last one known and the current one (a binary search of a few cheap reads).
    /// </remarks>
    public async ValueTask<long> GetCompactedRevisionAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        var known = Interlocked.Read(ref _knownCompacted);
        var low = Math.Max(known, 1);
        if (await IsReadableAsync(low, cancellationToken).ConfigureAwait(false))
        {
            return known;
        }

        // Invariant: low is compacted away, high is readable (the current revision always is).
        var high = await GetCurrentRevisionAsync(cancellationToken).ConfigureAwait(false);
        while (high - low > 1)
        {
            var middle = low + ((high - low) / 2);
            if (await IsReadableAsync(middle, cancellationToken).ConfigureAwait(false))
            {
                high = middle;
            }
            else
            {
                low = middle;
            }
        }

        NoteCompacted(high);
        return high;
    }

    /// <inheritdoc />
    /// <exception cref="StorageException">Compacted, when <paramref name="revision"/> is at or below the compacted revision (as etcd reports it).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="revision"/> is newer than the current revision.</exception>
    public async ValueTask CompactAsync(long revision, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        await _client.CallAsync(
            o => _client.Kv.CompactAsync(new CompactionRequest { Revision = revision }, o), isRead: false, string.Empty, cancellationToken).ConfigureAwait(false);
        NoteCompacted(revision);
    }

    /// <inheritdoc />
    public async ValueTask<string?> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        try
        {
            // A linearizable read needs a leader and a quorum, as etcd's own /health does.
            await _client.RangeAsync(new RangeRequest { Key = Etcd3Keys.HealthKey, CountOnly = true }, string.Empty, cancellationToken, Options.HealthCheckTimeout)
                .ConfigureAwait(false);
            return null;
        }
        catch (StorageException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>Ends every watch, stops compacting and closes the connections.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _compaction.ConfigureAwait(false);
        _client.Dispose();
        _stopping.Dispose();
    }

    private async Task<bool> IsReadableAsync(long revision, CancellationToken cancellationToken)
    {
        try
        {
            await _client.RangeAsync(
                new RangeRequest { Key = Etcd3Keys.RevisionProbeKey, Revision = revision, CountOnly = true }, string.Empty, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (StorageException ex) when (ex.Code == StorageErrorCode.Compacted)
        {
            return false;
        }
    }

    /// <summary>The Compacted error for a read at <paramref name="revision"/>, with the compacted revision when it can be learnt.</summary>
    private async Task<StorageException> CompactedErrorAsync(string key, long revision, StorageException error, CancellationToken cancellationToken)
    {
        long compacted = 0;
        try
        {
            compacted = await GetCompactedRevisionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException)
        {
            // Report the error without it.
        }

        return new StorageException(StorageErrorCode.Compacted, key, $"revision {revision} has been compacted; the oldest readable is {compacted}", error)
        {
            CompactedRevision = compacted,
        };
    }

    private void NoteCompacted(long revision)
    {
        var known = Interlocked.Read(ref _knownCompacted);
        while (revision > known)
        {
            var seen = Interlocked.CompareExchange(ref _knownCompacted, revision, known);
            if (seen == known)
            {
                return;
            }

            known = seen;
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
