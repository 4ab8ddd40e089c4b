using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Apiserver.Generic.Storage.Sqlite;

/// <summary>
/// The schema, the SQL text and the connection set-up shared by the writer and the readers.
/// </summary>
/// <remarks>
/// One MVCC log table, as in kine: each row is one change, keyed by its revision. A deletion is a
/// row with <c>deleted = 1</c> whose value is the key's last value. <c>prev_rev</c> is the revision
/// of the key's previous row (0 for none), which lets a watch replay previous values.
/// </remarks>
internal static class SqliteSql
{
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS kv_log (
            rev        INTEGER PRIMARY KEY,
            key        TEXT    NOT NULL,
            value      BLOB,
            create_rev INTEGER NOT NULL,
            prev_rev   INTEGER NOT NULL,
            deleted    INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS kv_log_key_rev ON kv_log (key, rev);
        CREATE TABLE IF NOT EXISTS meta (
            name  TEXT PRIMARY KEY,
            value INTEGER NOT NULL
        ) WITHOUT ROWID;
        """;

    public const string CompactedRevisionName = "compacted_revision";

    public const string SelectMaxRevision = "SELECT COALESCE(MAX(rev), 0) FROM kv_log";

    public const string SelectCompactedRevision = "SELECT COALESCE((SELECT value FROM meta WHERE name = 'compacted_revision'), 0)";

    public const string UpsertCompactedRevision =
        "INSERT INTO meta (name, value) VALUES ('compacted_revision', @rev) ON CONFLICT (name) DO UPDATE SET value = excluded.value";

    /// <summary>The newest row of one key (deleted or not) at or below a revision.</summary>
    public const string SelectLatest =
        "SELECT rev, value, create_rev, deleted FROM kv_log WHERE key = @key AND rev <= @maxRev ORDER BY rev DESC LIMIT 1";

    public const string Insert =
        "INSERT INTO kv_log (rev, key, value, create_rev, prev_rev, deleted) VALUES (@rev, @key, @value, @createRev, @prevRev, @deleted)";

    /// <summary>
    /// Drops every row at or below @rev that a later row at or below @rev supersedes, and every
    /// deletion tombstone at or below @rev, but never the newest row of the table (@maxRev), so the
    /// revision counter survives a restart.
    /// </summary>
    public const string Compact = """
        DELETE FROM kv_log
        WHERE rev <= @rev AND rev < @maxRev
          AND (deleted = 1
               OR EXISTS (SELECT 1 FROM kv_log AS newer
                          WHERE newer.key = kv_log.key AND newer.rev > kv_log.rev AND newer.rev <= @rev))
        """;

    public const string Begin = "BEGIN";

    public const string BeginImmediate = "BEGIN IMMEDIATE";

    public const string Commit = "COMMIT";

    public const string Rollback = "ROLLBACK";

    /// <summary>
    /// The key-range condition on column <paramref name="column"/>: at or after @lo (or strictly
    /// after @after when <paramref name="exclusiveLow"/>) and, when <paramref name="bounded"/>, before @hi.
    /// </summary>
    public static string RangeCondition(string column, bool exclusiveLow, bool bounded)
    {
        var low = exclusiveLow ? $"{column} > @after" : $"{column} >= @lo";
        return bounded ? $"{low} AND {column} < @hi" : low;
    }

    /// <summary>
    /// The end of the range holding every key that starts with <paramref name="prefix"/>: the prefix
    /// with its last character incremented (etcd's GetPrefixRangeEnd), or null when there is no upper bound.
    /// </summary>
    public static string? PrefixEnd(string prefix)
    {
        for (var i = prefix.Length - 1; i >= 0; i--)
        {
            if (prefix[i] < char.MaxValue)
            {
                return string.Concat(prefix.AsSpan(0, i), ((char)(prefix[i] + 1)).ToString());
            }
        }

        return null;
    }

    /// <summary>Opens a connection to <paramref name="path"/> set up for durable WAL operation.</summary>
    public static SqliteConnection Open(string path, SqliteStorageOptions options, bool readOnly)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = false,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds)),
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            var busyMs = ((long)options.BusyTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
            Execute(connection, $"PRAGMA busy_timeout = {busyMs}");
            Execute(connection, "PRAGMA journal_mode = WAL");
            Execute(connection, "PRAGMA synchronous = FULL");
            Execute(connection, "PRAGMA foreign_keys = OFF");
            if (readOnly)
            {
                Execute(connection, "PRAGMA query_only = 1");
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Runs a statement that returns nothing of interest.</summary>
    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Runs a statement that returns one integer.</summary>
    public static long Scalar(SqliteCommand command) => Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);

    /// <summary>Reads a value column, treating NULL as empty.</summary>
    public static byte[] ReadBlob(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? [] : reader.GetFieldValue<byte[]>(ordinal);

    /// <summary>Creates a prepared command with the given parameters.</summary>
    public static SqliteCommand Prepare(SqliteConnection connection, string sql, params (string Name, SqliteType Type)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, type) in parameters)
        {
            command.Parameters.Add(name, type);
        }

        command.Prepare();
        return command;
    }
}
