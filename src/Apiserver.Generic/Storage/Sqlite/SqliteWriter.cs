using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Apiserver.Generic.Storage.Sqlite;

/// <summary>
/// The single writer, with group commit: writes queue up in a channel while a transaction commits
/// and then all go into the next transaction, so one fsync serves many writes. Operations in a
/// batch run in order on the writer's connection and so see each other's effects.
/// </summary>
internal sealed class SqliteWriter : IAsyncDisposable
{
    private readonly Channel<WriteOperation> _queue = Channel.CreateUnbounded<WriteOperation>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    private readonly SqliteConnection _connection;
    private readonly WatchHub _hub;
    private readonly int _maxBatchSize;
    private readonly SqliteCommand _begin;
    private readonly SqliteCommand _commit;
    private readonly SqliteCommand _rollback;
    private readonly SqliteCommand _selectLatest;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _compact;
    private readonly SqliteCommand _upsertCompacted;
    private readonly Task _loop;

    private SqliteWriter(SqliteConnection connection, WatchHub hub, int maxBatchSize)
    {
        _connection = connection;
        _hub = hub;
        _maxBatchSize = maxBatchSize;
        _begin = SqliteSql.Prepare(connection, SqliteSql.BeginImmediate);
        _commit = SqliteSql.Prepare(connection, SqliteSql.Commit);
        _rollback = SqliteSql.Prepare(connection, SqliteSql.Rollback);
        _selectLatest = SqliteSql.Prepare(connection, SqliteSql.SelectLatest, ("@key", SqliteType.Text), ("@maxRev", SqliteType.Integer));
        _selectLatest.Parameters["@maxRev"].Value = long.MaxValue;
        _insert = SqliteSql.Prepare(
            connection,
            SqliteSql.Insert,
            ("@rev", SqliteType.Integer),
            ("@key", SqliteType.Text),
            ("@value", SqliteType.Blob),
            ("@createRev", SqliteType.Integer),
            ("@prevRev", SqliteType.Integer),
            ("@deleted", SqliteType.Integer));
        _compact = SqliteSql.Prepare(connection, SqliteSql.Compact, ("@rev", SqliteType.Integer), ("@maxRev", SqliteType.Integer));
        _upsertCompacted = SqliteSql.Prepare(connection, SqliteSql.UpsertCompactedRevision, ("@rev", SqliteType.Integer));
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The shared in-memory state; created from what the file holds.</summary>
    public WatchHub Hub => _hub;

    /// <summary>Opens (creating if needed) the database at <paramref name="path"/> and starts the write loop.</summary>
    public static SqliteWriter Open(string path, SqliteStorageOptions options)
    {
        var connection = SqliteSql.Open(path, options, readOnly: false);
        try
        {
            SqliteSql.Execute(connection, SqliteSql.Schema);
            long current, compacted;
            using (var command = connection.CreateCommand())
            {
                command.CommandText = SqliteSql.SelectMaxRevision;
                current = SqliteSql.Scalar(command);
                command.CommandText = SqliteSql.SelectCompactedRevision;
                compacted = SqliteSql.Scalar(command);
            }

            return new SqliteWriter(connection, new WatchHub(Math.Max(current, compacted), compacted), options.MaxBatchSize);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Queues <paramref name="operation"/> and returns its outcome once its batch has committed.</summary>
    public Task<KeyValue?> EnqueueAsync(WriteOperation operation)
    {
        operation.CancellationToken.ThrowIfCancellationRequested();
        if (!_queue.Writer.TryWrite(operation))
        {
            throw new ObjectDisposedException(nameof(SqliteStorage));
        }

        return operation.Completion.Task;
    }

    /// <summary>Stops accepting writes, finishes the queued ones and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        foreach (var command in new[] { _begin, _commit, _rollback, _selectLatest, _insert, _compact, _upsertCompacted })
        {
            command.Dispose();
        }

        _connection.Dispose();
    }

    private async Task RunAsync()
    {
        var batch = new List<WriteOperation>(_maxBatchSize);
        var events = new List<WatchEvent>(_maxBatchSize);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < _maxBatchSize && _queue.Reader.TryRead(out var operation))
            {
                if (operation.CancellationToken.IsCancellationRequested)
                {
                    operation.Completion.TrySetCanceled(operation.CancellationToken);
                }
                else
                {
                    batch.Add(operation);
                }
            }

            if (batch.Count > 0)
            {
                events.Clear();
                CommitBatch(batch, events);
            }
        }
    }

    private void CommitBatch(List<WriteOperation> batch, List<WatchEvent> events)
    {
        var revision = _hub.CurrentRevision;
        var compacted = _hub.CompactedRevision;
        try
        {
            _begin.ExecuteNonQuery();
            foreach (var operation in batch)
            {
                Apply(operation, ref revision, ref compacted);
            }

            _commit.ExecuteNonQuery();
        }
        catch (Exception ex)
        {
            try
            {
                _rollback.ExecuteNonQuery();
            }
            catch (SqliteException)
            {
                // SQLite rolled back on its own already.
            }

            foreach (var operation in batch)
            {
                operation.Reset();
                operation.Error = new StorageException(StorageErrorCode.Unavailable, operation.Key, $"SQLite write failed: {ex.Message}", ex);
                operation.Complete();
            }

            return;
        }

        foreach (var operation in batch)
        {
            if (operation.Event is { } e)
            {
                events.Add(e);
            }
        }

        _hub.Publish(events, revision, compacted);
        foreach (var operation in batch)
        {
            operation.Complete();
        }
    }

    private void Apply(WriteOperation operation, ref long revision, ref long compacted)
    {
        if (operation.Kind == WriteKind.Compact)
        {
            var target = operation.CompactRevision;
            if (target > revision)
            {
                operation.Error = new ArgumentOutOfRangeException(
                    "revision", target, $"Cannot compact to future revision {target}; the current revision is {revision}.");
            }
            else if (target > compacted)
            {
                _compact.Parameters["@rev"].Value = target;
                _compact.Parameters["@maxRev"].Value = revision;
                _compact.ExecuteNonQuery();
                _upsertCompacted.Parameters["@rev"].Value = target;
                _upsertCompacted.ExecuteNonQuery();
                compacted = target;
            }

            return;
        }

        var key = operation.Key;
        var (latestRev, latestValue, latestCreateRev, latestLive) = ReadLatest(key);
        switch (operation.Kind)
        {
            case WriteKind.Create when latestLive:
                operation.Error = new StorageException(StorageErrorCode.KeyExists, key, $"key {key} already exists");
                return;
            case WriteKind.Create:
                revision++;
                Insert(revision, key, operation.Value, revision, latestRev, deleted: false);
                operation.Result = new KeyValue(key, operation.Value, revision, revision);
                operation.Event = new WatchEvent(WatchEventType.Created, key, operation.Value, null, revision);
                return;
            case WriteKind.Update or WriteKind.Delete when !latestLive:
                operation.Error = new StorageException(StorageErrorCode.KeyNotFound, key, $"key {key} not found");
                return;
            case WriteKind.Update or WriteKind.Delete when operation.ExpectedModRevision is { } expected && expected != latestRev:
                operation.Error = new StorageException(
                    StorageErrorCode.Conflict, key, $"key {key} is at revision {latestRev}, not the expected {expected}");
                return;
            case WriteKind.Update:
                revision++;
                Insert(revision, key, operation.Value, latestCreateRev, latestRev, deleted: false);
                operation.Result = new KeyValue(key, operation.Value, latestCreateRev, revision);
                operation.Event = new WatchEvent(WatchEventType.Modified, key, operation.Value, latestValue, revision);
                return;
            default:
                revision++;
                Insert(revision, key, latestValue, latestCreateRev, latestRev, deleted: true);
                operation.Result = new KeyValue(key, latestValue, latestCreateRev, revision);
                operation.Event = new WatchEvent(WatchEventType.Deleted, key, latestValue, latestValue, revision);
                return;
        }
    }

    /// <summary>The key's newest row as this transaction sees it (including the batch's earlier writes).</summary>
    private (long Rev, byte[] Value, long CreateRev, bool Live) ReadLatest(string key)
    {
        _selectLatest.Parameters["@key"].Value = key;
        using var reader = _selectLatest.ExecuteReader();
        if (!reader.Read())
        {
            return (0, [], 0, false);
        }

        return (reader.GetInt64(0), SqliteSql.ReadBlob(reader, 1), reader.GetInt64(2), reader.GetInt64(3) == 0);
    }

    private void Insert(long revision, string key, byte[] value, long createRevision, long previousRevision, bool deleted)
    {
        _insert.Parameters["@rev"].Value = revision;
        _insert.Parameters["@key"].Value = key;
        _insert.Parameters["@value"].Value = value;
        _insert.Parameters["@createRev"].Value = createRevision;
        _insert.Parameters["@prevRev"].Value = previousRevision;
        _insert.Parameters["@deleted"].Value = deleted ? 1L : 0L;
        _insert.ExecuteNonQuery();
    }
}
