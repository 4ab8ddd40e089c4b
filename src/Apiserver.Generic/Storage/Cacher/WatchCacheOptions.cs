namespace Apiserver.Generic.Storage.Cacher;

/// <summary>How the <see cref="WatchCache"/> keeps resources in memory.</summary>
public sealed record WatchCacheOptions
{
    /// <summary>
    /// The least number of recent events each resource keeps for watches to start from (kube's
    /// <c>--default-watch-cache-size</c>, 100). The window grows, up to 1,024 times this, while
    /// its oldest event is younger than <see cref="EventFreshDuration"/>; 0 disables caching of
    /// resources without a size of their own.
    /// </summary>
    public int DefaultCapacity { get; init; } = 100;

    /// <summary>Per-resource sizes (kube's <c>--watch-cache-sizes</c>), keyed <c>resource</c> or <c>resource.group</c>; 0 disables caching of that resource.</summary>
    public IReadOnlyDictionary<string, int> Capacities { get; init; } = new Dictionary<string, int>();

    /// <summary>How long events stay watchable before the window may drop them (kube keeps 75 s).</summary>
    public TimeSpan EventFreshDuration { get; init; } = TimeSpan.FromSeconds(75);

    /// <summary>
    /// How many events a watcher may have waiting; a watcher that falls further behind is closed
    /// (its client re-watches from the last version it saw) rather than slowing everyone down.
    /// </summary>
    public int WatcherBufferSize { get; init; } = 1024;

    /// <summary>How long an idle watch that asked for progress notifications waits before getting one.</summary>
    public TimeSpan ProgressNotifyInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a consistent read waits for the cache to reach the backend's current revision
    /// before it reads the backend instead (a revision the cache never sees: a write outside the
    /// watched prefix, on an etcd shared with other clients).
    /// </summary>
    public TimeSpan FreshnessTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The window size of <paramref name="resource"/> (<c>configmaps</c>, <c>deployments.apps</c>); 0 when not cached.</summary>
    public int CapacityOf(string resource) => Capacities.TryGetValue(resource, out var size) ? size : DefaultCapacity;

    /// <summary>Checks the values; throws <see cref="ArgumentOutOfRangeException"/> naming the first bad one.</summary>
    public WatchCacheOptions Validate()
    {
        if (DefaultCapacity < 0 || Capacities.Values.Any(c => c < 0))
        {
            throw new ArgumentOutOfRangeException(nameof(Capacities), "watch cache sizes cannot be negative");
        }
        if (WatcherBufferSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(WatcherBufferSize), WatcherBufferSize, "a watcher needs room for at least one event");
        }
        if (ProgressNotifyInterval <= TimeSpan.Zero || FreshnessTimeout <= TimeSpan.Zero || EventFreshDuration < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ProgressNotifyInterval), "the cache's intervals must be positive");
        }
        return this;
    }
}
