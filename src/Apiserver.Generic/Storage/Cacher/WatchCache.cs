using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Apiserver.Generic.Storage.Cacher;

/// <summary>
/// The watch cache: an <see cref="IStorage"/> decorator that keeps each registered resource in
/// memory and serves its reads and watches from there. One watch on the backend, over the whole
/// key prefix, feeds every resource in revision order; so the cache knows exactly which revision
/// it has reached, and a consistent read only has to read the backend's current revision (cheap
/// on etcd, free in-process on SQLite) and wait until the cache has applied it. Writes, and reads
/// of keys outside a registered resource, go straight to the backend.
/// </summary>
/// <remarks>
/// A resource is cached once <see cref="Register"/> names its key prefix; reads wait for its
/// first list. Watches may start from any revision inside the resource's window of recent events;
/// older ones fail with <see cref="StorageErrorCode.Compacted"/>, which the REST layer answers
/// with 410 Gone as kube-apiserver's cacher does.
/// </remarks>
public sealed partial class WatchCache : IStorage, IStorageHealth
{
    private readonly IStorage _backend;
    private readonly string _prefix;
    private readonly WatchCacheOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _routeLock = new();
    private readonly CancellationTokenSource _stopping = new();
    private Dictionary<string, ResourceCache> _caches = new(StringComparer.Ordinal);
    private Task? _pump;
    private bool _watching;
    private long _revision;

    /// <summary>Caches resources whose keys are under <paramref name="prefix"/> (e.g. <c>/registry/</c>) of <paramref name="backend"/>, which it owns.</summary>
    public WatchCache(IStorage backend, string prefix, WatchCacheOptions? options = null, ILogger<WatchCache>? logger = null)
    {
        _backend = backend;
        _prefix = prefix;
        _options = (options ?? new WatchCacheOptions()).Validate();
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>The store underneath.</summary>
    public IStorage Backend => _backend;

    /// <summary>Every backend event up to this revision has been applied to the cached resources.</summary>
    internal long Revision => Volatile.Read(ref _revision);

    /// <summary>
    /// Caches the keys under <paramref name="root"/> (a prefix ending in <c>/</c>, e.g.
    /// <c>/registry/configmaps/</c>) with the window size configured for <paramref name="resource"/>
    /// (<c>configmaps</c>, <c>deployments.apps</c>); false when that size is 0 and the resource
    /// is read from the backend. Registering a root again changes nothing.
    /// </summary>
    public bool Register(string root, string resource)
    {
        if (!root.StartsWith(_prefix, StringComparison.Ordinal) || (root.Length > 0 && root[^1] != '/'))
        {
            throw new ArgumentException($"a cached root must be under {_prefix} and end with '/': {root}", nameof(root));
        }
        var capacity = _options.CapacityOf(resource);
        if (capacity == 0)
        {
            return false;
        }
        lock (_routeLock)
        {
            if (_caches.ContainsKey(root))
            {
                return true;
            }
            var cache = new ResourceCache(this, root, capacity, _options.EventFreshDuration);
            _caches = new Dictionary<string, ResourceCache>(_caches, StringComparer.Ordinal) { [root] = cache };
            if (_watching)
            {
                StartLoad(cache);
            }
            _pump ??= Task.Run(PumpAsync);
        }
        return true;
    }

    /// <summary>Completes when every resource registered so far holds its first list.</summary>
    public Task WaitUntilLoadedAsync(CancellationToken cancellationToken = default) =>
        Task.WhenAll(Volatile.Read(ref _caches).Values.Select(c => c.WhenReady)).WaitAsync(cancellationToken);

    /// <summary>The cache holding <paramref name="keyOrPrefix"/>, if its resource is cached.</summary>
    private ResourceCache? Route(string keyOrPrefix)
    {
        var caches = Volatile.Read(ref _caches);
        if (caches.Count == 0)
        {
            return null;
        }
        if (caches.TryGetValue("", out var all))
        {
            return all;
        }
        // Candidate roots end at each '/' of the key: /registry/, /registry/configmaps/, …
        var lookup = caches.GetAlternateLookup<ReadOnlySpan<char>>();
        for (var slash = keyOrPrefix.IndexOf('/', 1); slash >= 0; slash = keyOrPrefix.IndexOf('/', slash + 1))
        {
            if (lookup.TryGetValue(keyOrPrefix.AsSpan(0, slash + 1), out var cache))
            {
                return cache;
            }
        }
        return null;
    }

    /// <inheritdoc/>
    public ValueTask<long> GetCurrentRevisionAsync(CancellationToken cancellationToken = default) =>
        _backend.GetCurrentRevisionAsync(cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var cache = Route(key);
        if (cache is not null && await CurrentAsync(cache, cancellationToken) is { } snapshot)
        {
            return ResourceCache.Get(snapshot, key);
        }
        return await _backend.GetAsync(key, cancellationToken);
    }

    /// <inheritdoc/>
    public async ValueTask<KeyValue?> GetNotOlderThanAsync(string key, long minRevision, CancellationToken cancellationToken = default)
    {
        var cache = Route(key);
        if (cache is not null && await NotOlderThanAsync(cache, minRevision, cancellationToken) is { } snapshot)
        {
            return ResourceCache.Get(snapshot, key);
        }
        return await _backend.GetAsync(key, cancellationToken);
    }

    /// <inheritdoc/>
    public async ValueTask<ListResult> ListAsync(string prefix, ListOptions options, CancellationToken cancellationToken = default)
    {
        var cache = Route(prefix);
        if (cache is not null)
        {
            var snapshot = options switch
            {
                { Revision: > 0 } => await AtAsync(cache, options.Revision, cancellationToken),
                { NotOlderThan: { } least } => await NotOlderThanAsync(cache, least, cancellationToken),
                _ => await CurrentAsync(cache, cancellationToken),
            };
            if (snapshot is { } s)
            {
                return ResourceCache.List(s, prefix, options.Limit, options.StartAfter);
            }
        }
        return await _backend.ListAsync(prefix, options, cancellationToken);
    }

    /// <inheritdoc/>
    public async ValueTask<long> CountAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var cache = Route(prefix);
        if (cache is not null && await CurrentAsync(cache, cancellationToken) is { } snapshot)
        {
            return ResourceCache.Count(snapshot, prefix);
        }
        return await _backend.CountAsync(prefix, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<KeyValue> CreateAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default) =>
        _backend.CreateAsync(key, value, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<KeyValue> UpdateAsync(string key, long expectedModRevision, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default) =>
        _backend.UpdateAsync(key, expectedModRevision, value, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<KeyValue> DeleteAsync(string key, long? expectedModRevision = null, CancellationToken cancellationToken = default) =>
        _backend.DeleteAsync(key, expectedModRevision, cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long afterRevision, bool progressNotify = false, CancellationToken cancellationToken = default) =>
        Route(prefix) is { } cache
            ? WatchCachedAsync(cache, prefix, afterRevision, progressNotify, cancellationToken)
            : _backend.WatchAsync(prefix, afterRevision, progressNotify, cancellationToken);

    private async IAsyncEnumerable<WatchEvent> WatchCachedAsync(ResourceCache cache, string prefix, long afterRevision, bool progressNotify,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        CacheWatcher? watcher;
        do
        {
            await cache.WhenReady.WaitAsync(cancellationToken);
            watcher = cache.Watch(prefix, afterRevision, progressNotify, _options.WatcherBufferSize);
        }
        while (watcher is null);
        await foreach (var e in watcher.ReadAllAsync(_options.ProgressNotifyInterval, cancellationToken))
        {
            yield return e;
        }
    }

    /// <inheritdoc/>
    public ValueTask<long> GetCompactedRevisionAsync(CancellationToken cancellationToken = default) =>
        _backend.GetCompactedRevisionAsync(cancellationToken);

    /// <inheritdoc/>
    /// <remarks>
    /// Waits first until the cache has applied the revisions being discarded, so that the cache's
    /// own watch never falls behind a compaction made through it (which would make it relist and
    /// close every watcher).
    /// </remarks>
    public async ValueTask CompactAsync(long revision, CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _pump) is not null)
        {
            await WaitForRevisionAsync(revision, cancellationToken);
        }
        await _backend.CompactAsync(revision, cancellationToken);
    }

    /// <inheritdoc/>
    public string HealthCheckName => (_backend as IStorageHealth)?.HealthCheckName ?? "storage";

    /// <inheritdoc/>
    public ValueTask<string?> CheckHealthAsync(CancellationToken cancellationToken = default) =>
        _backend is IStorageHealth health ? health.CheckHealthAsync(cancellationToken) : ValueTask.FromResult<string?>(null);

    /// <summary>Stops the pump, ends every watch, and disposes the backend.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_pump is not null)
        {
            try
            {
                await _pump;
            }
            catch (OperationCanceledException)
            {
            }
        }
        foreach (var cache in Volatile.Read(ref _caches).Values)
        {
            cache.CloseWatchers();
        }
        FailWaiters();
        _stopping.Dispose();
        await _backend.DisposeAsync();
    }
}
