using Apiserver.Generic.Storage;
using Apiserver.Generic.Storage.Cacher;
using Apiserver.Generic.Storage.Etcd3;
using Apiserver.Tests.Shared;
using NUnit.Framework;

namespace Apiserver.Generic.Tests.Storage.Cacher;

/// <summary>The storage contract against the watch cache over a real etcd, every key cached as one resource.</summary>
[TestFixture]
[Category("Etcd")]
public sealed class WatchCacheOverEtcdConformanceTests : StorageConformanceTests
{
    private EtcdCluster? _etcd;

    /// <inheritdoc />
    protected override TimeSpan ProgressNotifyTimeout => TimeSpan.FromSeconds(3);

    /// <inheritdoc />
    protected override bool HistoryEndsAtCompaction => false;

    /// <inheritdoc />
    protected override long HistoryStart => 1;

    /// <inheritdoc />
    protected override async Task<IStorage> CreateStorageAsync()
    {
        _etcd = await EtcdCluster.StartAsync();
        var backend = Etcd3Storage.Open(new Etcd3StorageOptions
        {
            Endpoints = _etcd.ClientUrls,
            RequestTimeout = TimeSpan.FromSeconds(5),
            ProgressNotifyInterval = TimeSpan.FromMilliseconds(200),
        });
        var cache = new WatchCache(backend, "", new WatchCacheOptions { ProgressNotifyInterval = TimeSpan.FromMilliseconds(200) });
        cache.Register("", "everything");
        return cache;
    }

    /// <inheritdoc />
    protected override async Task CleanupAsync()
    {
        if (_etcd is not null)
        {
            await _etcd.DisposeAsync();
            _etcd = null;
        }
    }
}
