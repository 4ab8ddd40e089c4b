using Microsoft.Data.Sqlite;

namespace Apiserver.Generic.Storage.Sqlite;

/// <summary>
/// A small pool of <see cref="SqliteReadConnection"/>s, opened on demand up to the configured
/// maximum. WAL mode lets them read while the writer writes.
/// </summary>
internal sealed class ReadConnectionPool : IDisposable
{
    private readonly string _path;
    private readonly SqliteStorageOptions _options;
    private readonly SemaphoreSlim _slots;
    private readonly Stack<SqliteReadConnection> _idle = new();
    private bool _disposed;

    public ReadConnectionPool(string path, SqliteStorageOptions options)
    {
        _path = path;
        _options = options;
        _slots = new SemaphoreSlim(options.MaxReadConnections, options.MaxReadConnections);
    }

    /// <summary>Runs <paramref name="read"/> on a pooled connection inside one snapshot.</summary>
    /// <exception cref="ObjectDisposedException">The pool is closed.</exception>
    /// <exception cref="StorageException">Unavailable, when SQLite fails.</exception>
    public async ValueTask<T> RunAsync<T>(Func<SqliteReadConnection, T> read, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        SqliteReadConnection? connection = null;
        try
        {
            connection = Take();
            return connection.InSnapshot(read);
        }
        catch (SqliteException ex)
        {
            // The connection may be in any state; do not return it to the pool.
            connection?.Dispose();
            connection = null;
            throw new StorageException(StorageErrorCode.Unavailable, string.Empty, $"SQLite read failed: {ex.Message}", ex);
        }
        finally
        {
            if (connection is not null)
            {
                Return(connection);
            }

            _slots.Release();
        }
    }

    public void Dispose()
    {
        lock (_idle)
        {
            Volatile.Write(ref _disposed, true);
            while (_idle.TryPop(out var connection))
            {
                connection.Dispose();
            }
        }
    }

    private SqliteReadConnection Take()
    {
        lock (_idle)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_idle.TryPop(out var connection))
            {
                return connection;
            }
        }

        return new SqliteReadConnection(SqliteSql.Open(_path, _options, readOnly: true));
    }

    private void Return(SqliteReadConnection connection)
    {
        lock (_idle)
        {
            if (!_disposed)
            {
                _idle.Push(connection);
                return;
            }
        }

        connection.Dispose();
    }
}
