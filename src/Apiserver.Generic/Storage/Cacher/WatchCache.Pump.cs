using Microsoft.Extensions.Logging;

namespace Apiserver.Generic.Storage.Cacher;

// The feeding side of the watch cache: one backend watch applied in revision order, the first
// list of each resource, and the waits of consistent reads for a revision.
public sealed partial class WatchCache
{
    private const int LoadPageSize = 5000;
    private static readonly TimeSpan MinRetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    private readonly List<(long Revision, TaskCompletionSource Reached)> _waiters = [];

    private async Task PumpAsync()
    {
        var stopping = _stopping.Token;
        var delay = MinRetryDelay;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var start = await _backend.GetCurrentRevisionAsync(stopping);
                lock (_routeLock)
                {
                    // Every resource (re)lists at the revision the watch starts from: no gap, no overlap.
                    Volatile.Write(ref _revision, start);
                    _watching = true;
                    foreach (var cache in _caches.Values)
                    {
                        StartLoad(cache);
                    }
                }
                ReleaseWaiters(start);
                await foreach (var e in _backend.WatchAsync(_prefix, start, progressNotify: true, stopping))
                {
                    lock (_routeLock)
                    {
                        if (e.Type != WatchEventType.Progress && e.Key != ProbeKey)
                        {
                            Route(e.Key)?.Apply(e);
                        }
                        if (e.Revision > _revision)
                        {
                            Volatile.Write(ref _revision, e.Revision);
                        }
                    }
                    ReleaseWaiters(e.Revision);
                    delay = MinRetryDelay;
                }
                WatchCacheLog.WatchEnded(_logger, _prefix);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Compacted (the cache fell behind the backend's history), or the backend is gone:
                // start over from a fresh list. Watchers are closed by the reload and re-watch.
                WatchCacheLog.WatchFailed(_logger, _prefix, e);
            }
            lock (_routeLock)
            {
                _watching = false;
            }
            try
            {
                await Task.Delay(delay, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    /// <summary>Lists <paramref name="cache"/>'s resource at the revision the pump has reached. Called under the route lock.</summary>
    private void StartLoad(ResourceCache cache)
    {
        var generation = cache.BeginLoad();
        _ = LoadAsync(cache, Revision, generation);
    }

    private async Task LoadAsync(ResourceCache cache, long revision, int generation)
    {
        var stopping = _stopping.Token;
        try
        {
            var items = new List<KeyValue>();
            string? after = null;
            ListResult page;
            do
            {
                page = await _backend.ListAsync(cache.Root, new ListOptions(revision, LoadPageSize, after), stopping);
                items.AddRange(page.Items);
                after = page.Items.Count > 0 ? page.Items[^1].Key : null;
            }
            while (page.HasMore && after is not null);
            if (cache.Load(items, revision, generation))
            {
                WatchCacheLog.Loaded(_logger, cache.Root, items.Count, revision);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            WatchCacheLog.LoadFailed(_logger, cache.Root, e);
            try
            {
                await Task.Delay(MinRetryDelay, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            lock (_routeLock)
            {
                if (_watching && cache.Generation == generation)
                {
                    StartLoad(cache);
                }
            }
        }
    }

    /// <summary>The resource's current state, fresh as of the backend's current revision; null to read the backend instead.</summary>
    private async ValueTask<ResourceCache.Snapshot?> CurrentAsync(ResourceCache cache, CancellationToken cancellationToken)
    {
        await cache.WhenReady.WaitAsync(cancellationToken);
        var current = await BackendRevisionAsync().WaitAsync(cancellationToken);
        if (!await WaitForRevisionAsync(current, cancellationToken))
        {
            return null;
        }
        return cache.TryCurrent(out var snapshot) ? snapshot : null;
    }

    /// <summary>The resource's current state in memory, once it is at least <paramref name="revision"/>; null to read the backend instead.</summary>
    private async ValueTask<ResourceCache.Snapshot?> NotOlderThanAsync(ResourceCache cache, long revision, CancellationToken cancellationToken)
    {
        await cache.WhenReady.WaitAsync(cancellationToken);
        return await WaitForRevisionAsync(revision, cancellationToken) && cache.TryCurrent(out var snapshot) ? snapshot : null;
    }

    private Task<long>? _revisionRead;
    private TaskCompletionSource<long>? _nextRevisionRead;

    /// <summary>
    /// The backend's current revision, read after this call began. Concurrent consistent reads
    /// share reads: a caller arriving while one is in flight waits for the next, which starts when
    /// that one ends, so a burst of reads costs two round trips to etcd instead of one each.
    /// </summary>
    private Task<long> BackendRevisionAsync()
    {
        lock (_waiters)
        {
            if (_nextRevisionRead is { } next)
            {
                return next.Task;
            }
            if (_revisionRead is { IsCompleted: false })
            {
                _nextRevisionRead = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
                return _nextRevisionRead.Task;
            }
            return _revisionRead = ReadRevisionAsync();
        }
    }

    private async Task<long> ReadRevisionAsync()
    {
        long revision;
        try
        {
            revision = await _backend.GetCurrentRevisionAsync(_stopping.Token);
        }
        catch (Exception e)
        {
            // The readers queued behind a failed read fail with it: the backend was unavailable
            // while they waited, and a second timeout would only double their wait.
            StartNextRevisionRead(e);
            throw;
        }
        StartNextRevisionRead(null);
        return revision;
    }

    private void StartNextRevisionRead(Exception? failure)
    {
        TaskCompletionSource<long>? next;
        Task<long>? read;
        lock (_waiters)
        {
            next = _nextRevisionRead;
            _nextRevisionRead = null;
            // Kept in a local: once the lock is released, another reader may replace the field.
            _revisionRead = read = next is null || failure is not null ? null : ReadRevisionAsync();
        }
        if (next is null)
        {
            return;
        }
        if (failure is not null)
        {
            next.TrySetException(failure);
            return;
        }
        _ = read!.ContinueWith(static (completed, state) => ((TaskCompletionSource<long>)state!).TrySetFromTask(completed), next, TaskScheduler.Default);
    }

    /// <summary>The resource's state at exactly <paramref name="revision"/>; null to read the backend instead.</summary>
    private async ValueTask<ResourceCache.Snapshot?> AtAsync(ResourceCache cache, long revision, CancellationToken cancellationToken)
    {
        await cache.WhenReady.WaitAsync(cancellationToken);
        return await WaitForRevisionAsync(revision, cancellationToken) ? cache.At(revision) : null;
    }

    /// <summary>
    /// Waits until the pump has applied <paramref name="revision"/>; false after the freshness
    /// timeout. A revision the watch does not bring soon was made outside the cached prefix (another
    /// client of a shared etcd): a write under the prefix then brings the watch past it.
    /// </summary>
    private async ValueTask<bool> WaitForRevisionAsync(long revision, CancellationToken cancellationToken)
    {
        if (Revision >= revision)
        {
            return true;
        }
        var entry = (revision, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_waiters)
        {
            if (Revision >= revision)
            {
                return true;
            }
            _waiters.Add(entry);
        }
        try
        {
            try
            {
                await entry.Item2.Task.WaitAsync(ProbeDelay, cancellationToken);
                return true;
            }
            catch (TimeoutException)
            {
                _ = ProbeAsync(revision);
            }
            await entry.Item2.Task.WaitAsync(_options.FreshnessTimeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            WatchCacheLog.NotFresh(_logger, revision, Revision);
            return false;
        }
        finally
        {
            lock (_waiters)
            {
                _waiters.Remove(entry);
            }
        }
    }

    /// <summary>How long a read waits for the watch before it writes the progress key.</summary>
    private static readonly TimeSpan ProbeDelay = TimeSpan.FromMilliseconds(50);

    /// <summary>The key under the cached prefix that <see cref="ProbeAsync"/> writes; no resource's.</summary>
    private string ProbeKey => _prefix + "watch-cache-progress";

    private Task? _probe;
    private long _probedBeyond;

    /// <summary>
    /// Writes the progress key, so that the watch brings an event newer than <paramref name="revision"/>
    /// (etcd 3.4's progress requests cannot stand in: etcd #15220). One write at a time serves every
    /// waiting read.
    /// </summary>
    private Task ProbeAsync(long revision)
    {
        lock (_waiters)
        {
            if (_probe is { IsCompleted: false } || _probedBeyond >= revision)
            {
                return _probe ?? Task.CompletedTask;
            }
            return _probe = Task.Run(async () =>
            {
                try
                {
                    var written = await TouchProbeKeyAsync(_stopping.Token);
                    lock (_waiters)
                    {
                        _probedBeyond = Math.Max(_probedBeyond, written - 1);
                    }
                }
                catch (Exception e) when (e is StorageException or OperationCanceledException)
                {
                    WatchCacheLog.ProbeFailed(_logger, e);
                }
            });
        }
    }

    /// <summary>Creates or replaces the progress key; returns the revision of the write.</summary>
    private async Task<long> TouchProbeKeyAsync(CancellationToken cancellationToken)
    {
        var value = System.Text.Encoding.UTF8.GetBytes(DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var current = await _backend.GetAsync(ProbeKey, cancellationToken);
                var written = current is null
                    ? await _backend.CreateAsync(ProbeKey, value, cancellationToken)
                    : await _backend.UpdateAsync(ProbeKey, current.ModRevision, value, cancellationToken);
                return written.ModRevision;
            }
            catch (StorageException e) when (attempt < 3 && e.Code is StorageErrorCode.Conflict or StorageErrorCode.KeyExists or StorageErrorCode.KeyNotFound)
            {
                // Another replica wrote it meanwhile: write again, after its write.
            }
        }
    }

    private void ReleaseWaiters(long revision)
    {
        lock (_waiters)
        {
            foreach (var (wanted, reached) in _waiters)
            {
                if (wanted <= revision)
                {
                    reached.TrySetResult();
                }
            }
        }
    }

    private void FailWaiters()
    {
        lock (_waiters)
        {
            foreach (var (_, reached) in _waiters)
            {
                reached.TrySetCanceled();
            }
        }
    }
}

internal static partial class WatchCacheLog
{
    [LoggerMessage(1, LogLevel.Debug, "Watch cache loaded {Root}: {Count} objects at revision {Revision}")]
    public static partial void Loaded(ILogger logger, string root, int count, long revision);

    [LoggerMessage(2, LogLevel.Warning, "Watch cache could not list {Root}; retrying")]
    public static partial void LoadFailed(ILogger logger, string root, Exception exception);

    [LoggerMessage(3, LogLevel.Warning, "Watch cache's watch of {Prefix} failed; relisting")]
    public static partial void WatchFailed(ILogger logger, string prefix, Exception exception);

    [LoggerMessage(4, LogLevel.Warning, "Watch cache's watch of {Prefix} ended; relisting")]
    public static partial void WatchEnded(ILogger logger, string prefix);

    [LoggerMessage(5, LogLevel.Debug, "Watch cache did not reach revision {Wanted} in time (at {Reached}); reading the backend")]
    public static partial void NotFresh(ILogger logger, long wanted, long reached);

    [LoggerMessage(6, LogLevel.Warning, "Watch cache could not write its progress key")]
    public static partial void ProbeFailed(ILogger logger, Exception exception);
}
