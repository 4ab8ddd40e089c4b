namespace Apiserver.Generic.Storage.Sqlite;

/// <summary>Tuning knobs of <see cref="SqliteStorage"/>; the defaults suit a single-node server.</summary>
public sealed class SqliteStorageOptions
{
    /// <summary>The file name <see cref="SqliteStorage.OpenInDirectoryAsync"/> uses inside its directory.</summary>
    public const string DefaultFileName = "apiserver.db";

    /// <summary>How many read connections may be open at once (WAL lets them read concurrently with the writer). Default 4.</summary>
    public int MaxReadConnections { get; set; } = 4;

    /// <summary>The most write operations committed together in one transaction (group commit). Default 256.</summary>
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>How long a connection waits for a lock held by another connection before failing. Default 5 seconds.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a watch opened with progress notification may stay silent before it yields a progress event. Default 5 seconds.</summary>
    public TimeSpan ProgressNotifyInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many history rows a watch reads per query while it replays history. Default 500.</summary>
    public int WatchHistoryPageSize { get; set; } = 500;

    /// <summary>
    /// How often the store compacts its own history; null (the default) disables automatic compaction,
    /// leaving it to whoever calls <see cref="IStorage.CompactAsync"/>.
    /// </summary>
    public TimeSpan? CompactionInterval { get; set; }

    /// <summary>How many of the newest revisions automatic compaction keeps readable. Default 1000.</summary>
    public long CompactionRetainRevisions { get; set; } = 1000;

    /// <summary>Throws when a setting is out of range.</summary>
    internal void Validate()
    {
        if (MaxReadConnections < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxReadConnections), MaxReadConnections, "At least one read connection is needed.");
        }

        if (MaxBatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBatchSize), MaxBatchSize, "A batch holds at least one write.");
        }

        if (BusyTimeout < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(BusyTimeout), BusyTimeout, "The busy timeout cannot be negative.");
        }

        if (ProgressNotifyInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ProgressNotifyInterval), ProgressNotifyInterval, "The progress interval must be positive.");
        }

        if (WatchHistoryPageSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(WatchHistoryPageSize), WatchHistoryPageSize, "A history page holds at least one row.");
        }

        if (CompactionInterval is { } interval && interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(CompactionInterval), interval, "The compaction interval must be positive.");
        }

        if (CompactionRetainRevisions < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(CompactionRetainRevisions), CompactionRetainRevisions, "Cannot retain a negative number of revisions.");
        }
    }

    /// <summary>A copy, so later changes by the caller do not reach an open store.</summary>
    internal SqliteStorageOptions Clone() => (SqliteStorageOptions)MemberwiseClone();
}
