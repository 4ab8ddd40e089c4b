using Apiserver.Generic.Storage;
using Apiserver.Generic.Storage.Etcd3;
using Apiserver.Tests.Shared;
using NUnit.Framework;

namespace Apiserver.Generic.Tests.Storage.Etcd3;

/// <summary>
/// The storage contract against <see cref="Etcd3Storage"/> on a real etcd. Every test gets its own
/// freshly started single-member etcd (about a tenth of a second), so each starts from an empty store
/// that was never compacted, as the suite expects.
/// </summary>
[TestFixture]
[Category("Etcd")]
public sealed class Etcd3StorageConformanceTests : StorageConformanceTests
{
    private EtcdCluster? _etcd;

    /// <inheritdoc />
    protected override TimeSpan ProgressNotifyTimeout => TimeSpan.FromSeconds(3);

    /// <inheritdoc />
    protected override async Task<IStorage> CreateStorageAsync()
    {
        _etcd = await EtcdCluster.StartAsync();
        return Etcd3Storage.Open(new Etcd3StorageOptions
        {
            Endpoints = _etcd.ClientUrls,
            RequestTimeout = TimeSpan.FromSeconds(5),
            ProgressNotifyInterval = TimeSpan.FromMilliseconds(200),
        });
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
