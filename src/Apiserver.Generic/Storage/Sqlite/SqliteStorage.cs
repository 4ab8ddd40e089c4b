using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Apiserver.Generic.Storage.Sqlite;

/// <summary>
/// An embedded <see cref="IStorage"/> in one SQLite file: an MVCC log table keyed by revision (as in
/// kine), WAL mode with <c>synchronous=FULL</c> so an acknowledged write survives a crash, a single
/// in-process writer with group commit, a small pool of read connections, and in-process watches.
/// </summary>
/// <remarks>Only one <see cref="SqliteStorage"/> may have a given file open at a time.</remarks>
public sealed class SqliteStorage : IStorage, IStorageHealth
{
    private readonly SqliteStorageOptions _options;
    private readonly SqliteWriter _writer;
    private readonly WatchHub _hub;
    private readonly ReadConnectionPool _readers;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _compactionLoop;
    private int _disposed;

    private SqliteStorage(string path, SqliteStorageOptions options, SqliteWriter writer)
    {
        Path = path;
        _options = options;
        _writer = writer;
        _hub = writer.Hub;
        _readers = new ReadConnectionPool(path, options);
        _compactionLoop = options.CompactionInterval is { } interval
            ? Task.Run(() => CompactPeriodicallyAsync(interval, _stopping.Token))
            : Task.CompletedTask;
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>Opens the database file at <paramref name="path"/>, creating it (and its schema) if needed.</summary>
    /// <param name="path">The SQLite file; its directory must exist.</param>
    /// <param name="options">Tuning; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    /// <exception cref="StorageException">Unavailable, when the file cannot be opened.</exception>
    public static Task<SqliteStorage> OpenAsync(string path, SqliteStorageOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var settings = (options ?? new SqliteStorageOptions()).Clone();
        settings.Validate();
        return Task.Run(
            () =>
            {
                try
                {
                    return new SqliteStorage(path, settings, SqliteWriter.Open(path, settings));
                }
                catch (SqliteException ex)
                {
                    throw new StorageException(StorageErrorCode.Unavailable, string.Empty, $"Cannot open SQLite database {path}: {ex.Message}", ex);
                }
            },
            cancellationToken);
    }

    /// <summary>
    /// Opens the store kept in <paramref name="directory"/> (file <see cref="SqliteStorageOptions.DefaultFileName"/>),
    /// creating the directory and the file if needed.
    /// </summary>
    /// <param name="directory">The data directory.</param>
    /// <param name="options">Tuning; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    public static Task<SqliteStorage> OpenInDirectoryAsync(string directory, SqliteStorageOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        return OpenAsync(System.IO.Path.Combine(directory, SqliteStorageOptions.DefaultFileName), options, cancellationToken);
    }

    /// <inheritdoc />
    public string HealthCheckName => "sqlite";

    /// <inheritdoc />
    /// <remarks>Healthy while the store is open and a read connection can read the database.</remarks>
    public async ValueTask<string?> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return "the store is closed";
        }

        try
        {
            await _readers.RunAsync(connection => connection.ReadCompactedRevision(), cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (ex is SqliteException or StorageException or ObjectDisposedException)
        {
            return ex.Message;
        }
    }

    /// <inheritdoc />
    public ValueTask<long> GetCurrentRevisionAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return ValueTask.FromResult(_hub.CurrentRevision);
    }

    /// <inheritdoc />
    public ValueTask<long> GetCompactedRevisionAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return ValueTask.FromResult(_hub.CompactedRevision);
    }

    /// <inheritdoc />
    public ValueTask<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ThrowIfDisposed();
        var revision = _hub.CurrentRevision;
        return _readers.RunAsync(connection => connection.Get(key, revision), cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">The revision is negative or newer than the current one, or the limit is negative.</exception>
    public ValueTask<ListResult> ListAsync(string prefix, ListOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Limit, nameof(options));
        ThrowIfDisposed();
        var current = _hub.CurrentRevision;
        var revision = options.Revision == 0 ? current : options.Revision;
        if (revision < 0 || revision > current)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options), options.Revision, $"Revision {options.Revision} is not in [0, {current}] (current revision).");
        }

        var prefixEnd = SqliteSql.PrefixEnd(prefix);
        return _readers.RunAsync(
            connection =>
            {
                var compacted = connection.ReadCompactedRevision();
                if (revision < compacted)
                {
                    throw new StorageException(
                        StorageErrorCode.Compacted, prefix, $"revision {revision} has been compacted; the oldest readable is {compacted}")
                    {
                        CompactedRevision = compacted,
                    };
                }

                return connection.List(prefix, prefixEnd, options.StartAfter, revision, options.Limit);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<long> CountAsync(string prefix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ThrowIfDisposed();
        var revision = _hub.CurrentRevision;
        var prefixEnd = SqliteSql.PrefixEnd(prefix);
        return _readers.RunAsync(connection => connection.Count(prefix, prefixEnd, null, revision), cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<KeyValue> CreateAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ThrowIfDisposed();
        return (await _writer.EnqueueAsync(WriteOperation.Create(key, value, cancellationToken)).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public async ValueTask<KeyValue> UpdateAsync(string key, long expectedModRevision, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ThrowIfDisposed();
        return (await _writer.EnqueueAsync(WriteOperation.Update(key, expectedModRevision, value, cancellationToken)).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public async ValueTask<KeyValue> DeleteAsync(string key, long? expectedModRevision = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ThrowIfDisposed();
        return (await _writer.EnqueueAsync(WriteOperation.Delete(key, expectedModRevision, cancellationToken)).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    /// <remarks>Compacting to a revision at or below the compacted one does nothing.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="revision"/> is newer than the current revision.</exception>
    public async ValueTask CompactAsync(long revision, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        await _writer.EnqueueAsync(WriteOperation.Compact(revision, cancellationToken)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="afterRevision"/> is negative.</exception>
    public async IAsyncEnumerable<WatchEvent> WatchAsync(
        string prefix, long afterRevision, bool progressNotify = false, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentOutOfRangeException.ThrowIfNegative(afterRevision);
        ThrowIfDisposed();
        using var watcher = new Watcher(_hub, _readers, _options, prefix, afterRevision, progressNotify);
        watcher.Start();
        while (true)
        {
            WatchEvent? next;
            try
            {
                next = await watcher.NextAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                next = null;
            }

            if (next is null)
            {
                yield break;
            }

            yield return next;
        }
    }

    /// <summary>Finishes queued writes, ends every watch and closes the database.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _compactionLoop.ConfigureAwait(false);
        await _writer.DisposeAsync().ConfigureAwait(false);
        _hub.CompleteAll();
        _readers.Dispose();
        _stopping.Dispose();
    }

    private async Task CompactPeriodicallyAsync(TimeSpan interval, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                var target = _hub.CurrentRevision - _options.CompactionRetainRevisions;
                if (target > _hub.CompactedRevision)
                {
                    try
                    {
                        await CompactAsync(target, stopping).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is StorageException or ArgumentOutOfRangeException or ObjectDisposedException)
                    {
                        // Try again at the next tick (or stop, the store is closing).
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The store is closing.
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
