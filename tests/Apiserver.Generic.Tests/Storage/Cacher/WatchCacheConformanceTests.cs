using Apiserver.Generic.Storage;
using Apiserver.Generic.Storage.Cacher;
using Apiserver.Generic.Storage.Sqlite;
using NUnit.Framework;

namespace Apiserver.Generic.Tests.Storage.Cacher;

/// <summary>The storage contract against the watch cache over SQLite, every key cached as one resource.</summary>
[TestFixture]
public sealed class WatchCacheConformanceTests : StorageConformanceTests
{
    private string? _directory;

    /// <inheritdoc />
    protected override TimeSpan ProgressNotifyTimeout => TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    protected override bool HistoryEndsAtCompaction => false;

    /// <inheritdoc />
    protected override async Task<IStorage> CreateStorageAsync()
    {
        _directory = Path.Combine(Path.GetTempPath(), "watch-cache-tests-" + Guid.NewGuid().ToString("N"));
        var backend = await SqliteStorage.OpenInDirectoryAsync(_directory, new SqliteStorageOptions { ProgressNotifyInterval = TimeSpan.FromMilliseconds(100) }, Ct);
        var cache = new WatchCache(backend, "", new WatchCacheOptions { ProgressNotifyInterval = TimeSpan.FromMilliseconds(100) });
        Assert.That(cache.Register("", "everything"), Is.True);
        return cache;
    }

    /// <inheritdoc />
    protected override Task CleanupAsync()
    {
        if (_directory is not null && Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
        return Task.CompletedTask;
    }
}
