using Microsoft.Data.Sqlite;

namespace Apiserver.Generic.Storage.Sqlite;

/// <summary>
/// One read-only connection with its commands kept (and so their statements prepared) across uses.
/// Every use runs in a read transaction, so all its queries see one snapshot.
/// </summary>
internal sealed class SqliteReadConnection : IDisposable
{
    /// <summary>The live row of a key at @rev: the newest row at or below @rev, when it is not a deletion.</summary>
    private const string LiveAtRevision =
        "rev = (SELECT MAX(newer.rev) FROM kv_log AS newer WHERE newer.key = l.key AND newer.rev <= @rev) AND deleted = 0";

    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteReadConnection(SqliteConnection connection) => _connection = connection;

    /// <summary>Runs <paramref name="read"/> inside one read transaction (one snapshot).</summary>
    public T InSnapshot<T>(Func<SqliteReadConnection, T> read)
    {
        Command(SqliteSql.Begin).ExecuteNonQuery();
        try
        {
            return read(this);
        }
        finally
        {
            Command(SqliteSql.Commit).ExecuteNonQuery();
        }
    }

    /// <summary>The compacted revision in this snapshot.</summary>
    public long ReadCompactedRevision() => SqliteSql.Scalar(Command(SqliteSql.SelectCompactedRevision));

    /// <summary>The live value of <paramref name="key"/> at <paramref name="revision"/>, or null.</summary>
    public KeyValue? Get(string key, long revision)
    {
        var command = Command(SqliteSql.SelectLatest);
        Set(command, "@key", key);
        Set(command, "@maxRev", revision);
        using var reader = command.ExecuteReader();
        if (!reader.Read() || reader.GetInt64(3) != 0)
        {
            return null;
        }

        return new KeyValue(key, SqliteSql.ReadBlob(reader, 1), reader.GetInt64(2), reader.GetInt64(0));
    }

    /// <summary>One page of the live keys in [<paramref name="prefix"/>, <paramref name="prefixEnd"/>) at <paramref name="revision"/>.</summary>
    public ListResult List(string prefix, string? prefixEnd, string? startAfter, long revision, long limit)
    {
        var exclusive = startAfter is not null && string.CompareOrdinal(startAfter, prefix) >= 0;
        var range = SqliteSql.RangeCondition("key", exclusive, prefixEnd is not null);
        var command = Command(
            $"SELECT key, value, create_rev, rev FROM kv_log AS l WHERE {range} AND {LiveAtRevision} ORDER BY key LIMIT @limit");
        SetRange(command, prefix, prefixEnd, exclusive ? startAfter : null);
        Set(command, "@rev", revision);
        Set(command, "@limit", limit > 0 ? limit + 1 : -1);

        var items = new List<KeyValue>(limit > 0 ? (int)Math.Min(limit, 1024) : 16);
        var hasMore = false;
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                if (limit > 0 && items.Count == limit)
                {
                    hasMore = true;
                    break;
                }

                items.Add(new KeyValue(reader.GetString(0), SqliteSql.ReadBlob(reader, 1), reader.GetInt64(2), reader.GetInt64(3)));
            }
        }

        var remaining = hasMore ? Count(prefix, prefixEnd, items[^1].Key, revision) : 0;
        return new ListResult(items, revision, hasMore, remaining);
    }

    /// <summary>How many live keys are in the range at <paramref name="revision"/> (after <paramref name="startAfter"/> when given).</summary>
    public long Count(string prefix, string? prefixEnd, string? startAfter, long revision)
    {
        var exclusive = startAfter is not null;
        var range = SqliteSql.RangeCondition("key", exclusive, prefixEnd is not null);
        var command = Command($"SELECT COUNT(*) FROM kv_log AS l WHERE {range} AND {LiveAtRevision}");
        SetRange(command, prefix, prefixEnd, startAfter);
        Set(command, "@rev", revision);
        return SqliteSql.Scalar(command);
    }

    /// <summary>
    /// The changes in the range with a revision in (<paramref name="afterRevision"/>, <paramref name="untilRevision"/>],
    /// oldest first, at most <paramref name="limit"/> of them, as watch events.
    /// </summary>
    public List<WatchEvent> History(string prefix, string? prefixEnd, long afterRevision, long untilRevision, int limit)
    {
        var range = SqliteSql.RangeCondition("l.key", exclusiveLow: false, prefixEnd is not null);
        var command = Command(
            "SELECT l.rev, l.key, l.value, l.create_rev, l.deleted, p.value, p.rev FROM kv_log AS l " +
            "LEFT JOIN kv_log AS p ON p.rev = l.prev_rev AND l.prev_rev > 0 " +
            $"WHERE l.rev > @afterRev AND l.rev <= @untilRev AND {range} ORDER BY l.rev LIMIT @limit");
        SetRange(command, prefix, prefixEnd, null);
        Set(command, "@afterRev", afterRevision);
        Set(command, "@untilRev", untilRevision);
        Set(command, "@limit", limit);

        var events = new List<WatchEvent>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var revision = reader.GetInt64(0);
            var key = reader.GetString(1);
            var value = SqliteSql.ReadBlob(reader, 2);
            var createRevision = reader.GetInt64(3);
            if (reader.GetInt64(4) != 0)
            {
                events.Add(new WatchEvent(WatchEventType.Deleted, key, value, value, revision));
            }
            else if (createRevision == revision)
            {
                events.Add(new WatchEvent(WatchEventType.Created, key, value, null, revision));
            }
            else
            {
                ReadOnlyMemory<byte>? previous = reader.IsDBNull(6) ? null : SqliteSql.ReadBlob(reader, 5);
                events.Add(new WatchEvent(WatchEventType.Modified, key, value, previous, revision));
            }
        }

        return events;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
        _connection.Dispose();
    }

    private static void SetRange(SqliteCommand command, string prefix, string? prefixEnd, string? startAfter)
    {
        if (startAfter is not null)
        {
            Set(command, "@after", startAfter);
        }
        else
        {
            Set(command, "@lo", prefix);
        }

        if (prefixEnd is not null)
        {
            Set(command, "@hi", prefixEnd);
        }
    }

    private static void Set(SqliteCommand command, string name, object value)
    {
        var index = command.Parameters.IndexOf(name);
        if (index < 0)
        {
            command.Parameters.AddWithValue(name, value);
        }
        else
        {
            command.Parameters[index].Value = value;
        }
    }

    private SqliteCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            _commands.Add(sql, command);
        }

        return command;
    }
}
