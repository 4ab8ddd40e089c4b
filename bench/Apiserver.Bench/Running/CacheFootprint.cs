using Apiserver.Bench.Servers;
using Apiserver.Bench.Targets;
using Apiserver.Generic.Storage;
using Apiserver.Generic.Storage.Cacher;
using Apiserver.Generic.Storage.Sqlite;

namespace Apiserver.Bench.Running;

/// <summary>
/// What the watch cache holds per object: the server's own <see cref="WatchCache"/> over a fresh
/// SQLite store in this process, its managed heap read after full collections before and after
/// the objects are created through it. Measured twice: with the event window at its least (what
/// a server holds once its events are older than 75 s) and with every create still in the
/// window (what it holds right after a burst of writes).
/// </summary>
internal static class CacheFootprint
{
    /// <summary>Heap bytes per object, beside the bytes of the stored value itself.</summary>
    public sealed record Result(int Objects, double StoredBytes, double SteadyBytes, double FreshBytes);

    private const string Root = "/registry/configmaps/";

    public static async Task<Result> MeasureAsync(int count, ConfigMaps objects, CancellationToken cancellationToken)
    {
        var (stored, steady) = await HeapPerObjectAsync(count, objects, TimeSpan.Zero, cancellationToken);
        var (_, fresh) = await HeapPerObjectAsync(count, objects, new WatchCacheOptions().EventFreshDuration, cancellationToken);
        return new Result(count, stored, steady, fresh);
    }

    private static async Task<(double Stored, double Held)> HeapPerObjectAsync(int count, ConfigMaps objects, TimeSpan eventFreshDuration, CancellationToken cancellationToken)
    {
        var dir = Directory.CreateTempSubdirectory("kube-apiserver-bench-cache-").FullName;
        try
        {
            var backend = await SqliteStorage.OpenInDirectoryAsync(dir, new SqliteStorageOptions(), cancellationToken);
            await using var cache = new WatchCache(backend, "/registry", new WatchCacheOptions { EventFreshDuration = eventFreshDuration });
            cache.Register(Root, "configmaps");
            await cache.WaitUntilLoadedAsync(cancellationToken);
            var before = GC.GetTotalMemory(forceFullCollection: true);
            long stored = 0;
            KeyValue? last = null;
            for (var i = 0; i < count; i++)
            {
                var value = objects.StoredValue("bench-cache", ConfigMaps.Name(i), 0);
                stored += value.Length;
                last = await cache.CreateAsync($"{Root}bench-cache/{ConfigMaps.Name(i)}", value, cancellationToken);
            }
            if (last is not null)
            {
                // Served from memory once the cache has applied the last create.
                await cache.GetNotOlderThanAsync(last.Key, last.ModRevision, cancellationToken);
            }
            last = null;
            var after = GC.GetTotalMemory(forceFullCollection: true);
            GC.KeepAlive(cache);
            return ((double)stored / count, (double)(after - before) / count);
        }
        finally
        {
            TempDirectory.Delete(dir);
        }
    }
}
