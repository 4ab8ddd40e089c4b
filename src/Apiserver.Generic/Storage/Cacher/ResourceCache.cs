using System.Collections.Immutable;
using System.Diagnostics;

namespace Apiserver.Generic.Storage.Cacher;

/// <summary>
/// One resource in memory: its live keys in key order, a window of its recent events (each with
/// the state after it, so that a paginated list keeps reading the revision it started at), and
/// the watchers fed from it. The watch cache's pump applies events in revision order; readers
/// take immutable snapshots and never block the pump for longer than a pointer copy.
/// </summary>
internal sealed class ResourceCache
{
    private static readonly IComparer<KeyValue> ByKey = Comparer<KeyValue>.Create((a, b) => string.CompareOrdinal(a.Key, b.Key));

    private readonly object _lock = new();
    private readonly WatchCache _hub;
    private readonly int _minCapacity;
    private readonly int _maxCapacity;
    private readonly long _freshTicks;
    private readonly List<CacheWatcher> _watchers = [];
    private ImmutableList<KeyValue> _items = [];
    private long _revision;

    // What readers take without the lock: published under it after every change to the fields above.
    private volatile State _state = new([], 0, Loading: true);

    // The window: a ring of the newest events; _base, with the events evicted since folded in, is
    // the state at _windowStart, before the oldest.
    // Every SnapshotInterval-th entry keeps the state after it, and the state after any other entry
    // is rebuilt from the nearest earlier one: a state kept per event would pin each event's path
    // copy of the tree (a dozen nodes) for as long as the window holds the event.
    private const int SnapshotInterval = 32;
    private WindowEntry[] _ring = [];
    private int _head;
    private int _count;
    private int _sinceSnapshot;
    private readonly List<WatchEvent> _evictedSinceBase = [];
    private ImmutableList<KeyValue> _base = [];
    private long _windowStart;

    // While loading, the pump's events wait here for the list they follow.
    private List<WatchEvent>? _pending = [];
    private int _generation;
    private volatile TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ResourceCache(WatchCache hub, string root, int capacity, TimeSpan eventFreshDuration)
    {
        _hub = hub;
        Root = root;
        _minCapacity = capacity;
        _maxCapacity = capacity * 1024;
        _freshTicks = (long)(eventFreshDuration.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>The key prefix this cache holds (ends with <c>/</c>, or empty for every key).</summary>
    public string Root { get; }

    /// <summary>Completes when the cache holds the resource's state; a reload starts a new wait.</summary>
    public Task WhenReady
    {
        get { return _ready.Task; }
    }

    /// <summary>The number of the current (re)load.</summary>
    public int Generation
    {
        get { lock (_lock) { return _generation; } }
    }

    /// <summary>The state as of <see cref="Revision"/>.</summary>
    public readonly record struct Snapshot(ImmutableList<KeyValue> Items, long Revision);

    private sealed record State(ImmutableList<KeyValue> Items, long Revision, bool Loading);

    private void PublishLocked() => _state = new State(_items, _revision, Loading: _pending is not null);

    private readonly record struct WindowEntry(WatchEvent Event, ImmutableList<KeyValue>? After, long Timestamp);

    /// <summary>Starts a (re)load: closes the watchers and queues events until <see cref="Load"/>. Called under the hub's route lock.</summary>
    public int BeginLoad()
    {
        lock (_lock)
        {
            _generation++;
            if (_pending is null)
            {
                _pending = [];
                _ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            _pending.Clear();
            PublishLocked();
            CloseWatchersLocked();
            return _generation;
        }
    }

    /// <summary>Installs the state listed at <paramref name="revision"/>, then the events queued since; false if a newer load started.</summary>
    public bool Load(IReadOnlyList<KeyValue> items, long revision, int generation)
    {
        lock (_lock)
        {
            if (generation != _generation || _pending is null)
            {
                return false;
            }
            _items = [.. items];
            _revision = revision;
            _base = _items;
            _evictedSinceBase.Clear();
            _windowStart = revision;
            _ring = new WindowEntry[Math.Min(Math.Max(_minCapacity, 1), 64)];
            _head = _count = _sinceSnapshot = 0;
            // Replayed while still marked loading: readers see the listed state only with every
            // queued event applied.
            foreach (var e in _pending.Where(e => e.Revision > revision))
            {
                ApplyLocked(e);
            }
            _pending = null;
            PublishLocked();
            _ready.TrySetResult();
            return true;
        }
    }

    /// <summary>Applies one event of this resource (the pump calls it in revision order).</summary>
    public void Apply(WatchEvent e)
    {
        lock (_lock)
        {
            if (_pending is not null)
            {
                _pending.Add(e);
                return;
            }
            ApplyLocked(e);
        }
    }

    private void ApplyLocked(WatchEvent e)
    {
        _items = Applied(_items, e);
        _revision = e.Revision;
        PublishLocked();
        var snapshot = ++_sinceSnapshot == SnapshotInterval;
        if (snapshot)
        {
            _sinceSnapshot = 0;
        }
        Append(new WindowEntry(e, snapshot ? _items : null, Stopwatch.GetTimestamp()));
        for (var i = _watchers.Count - 1; i >= 0; i--)
        {
            var watcher = _watchers[i];
            if (e.Revision > watcher.After && e.Key.StartsWith(watcher.Prefix, StringComparison.Ordinal) && !watcher.TryDeliver(e))
            {
                _watchers.RemoveAt(i); // Too slow to keep up: closed, and its client re-watches.
            }
        }
    }

    /// <summary>The state <paramref name="items"/> with the event applied.</summary>
    private static ImmutableList<KeyValue> Applied(ImmutableList<KeyValue> items, WatchEvent e)
    {
        var index = IndexOf(items, e.Key);
        if (e.Type == WatchEventType.Deleted)
        {
            return index >= 0 ? items.RemoveAt(index) : items;
        }
        if (index >= 0)
        {
            var created = e.Type == WatchEventType.Created ? e.Revision : items[index].CreateRevision;
            return items.SetItem(index, new KeyValue(e.Key, e.Value, created, e.Revision));
        }
        return items.Insert(~index, new KeyValue(e.Key, e.Value, e.Revision, e.Revision));
    }

    /// <summary>The state after the window's entry <paramref name="i"/>: the nearest kept state at or before it, with the events since replayed.</summary>
    private ImmutableList<KeyValue> StateAfter(int i)
    {
        var kept = i;
        while (kept >= 0 && EntryAt(kept).After is null)
        {
            kept--;
        }
        var state = kept < 0 ? Base() : EntryAt(kept).After!;
        for (var j = kept + 1; j <= i; j++)
        {
            state = Applied(state, EntryAt(j).Event);
        }
        return state;
    }

    /// <summary>The state before the window's oldest entry.</summary>
    private ImmutableList<KeyValue> Base()
    {
        foreach (var e in _evictedSinceBase)
        {
            _base = Applied(_base, e);
        }
        _evictedSinceBase.Clear();
        return _base;
    }

    private void Append(WindowEntry entry)
    {
        if (_count == _ring.Length)
        {
            var oldest = _ring[_head];
            var fresh = Stopwatch.GetTimestamp() - oldest.Timestamp < _freshTicks;
            if (_ring.Length < _minCapacity || (fresh && _ring.Length < _maxCapacity))
            {
                var grown = new WindowEntry[Math.Min(Math.Max(_ring.Length * 2, 1), Math.Max(_maxCapacity, 1))];
                for (var i = 0; i < _count; i++)
                {
                    grown[i] = _ring[(_head + i) % _ring.Length];
                }
                _ring = grown;
                _head = 0;
            }
            else
            {
                if (oldest.After is { } after)
                {
                    _base = after;
                    _evictedSinceBase.Clear();
                }
                else
                {
                    _evictedSinceBase.Add(oldest.Event); // Folded into _base when a read needs it.
                }
                _windowStart = oldest.Event.Revision;
                _ring[_head] = default;
                _head = (_head + 1) % _ring.Length;
                _count--;
            }
        }
        _ring[(_head + _count) % _ring.Length] = entry;
        _count++;
    }

    private WindowEntry EntryAt(int i) => _ring[(_head + i) % _ring.Length];

    /// <summary>The current state, or false while (re)loading.</summary>
    public bool TryCurrent(out Snapshot snapshot)
    {
        // Every event up to the hub's revision has been applied here; read it first so the
        // snapshot's revision never claims less than its content.
        var hubRevision = _hub.Revision;
        var state = _state;
        snapshot = new Snapshot(state.Items, Math.Max(hubRevision, state.Revision));
        return !state.Loading;
    }

    /// <summary>
    /// The state at exactly <paramref name="revision"/> (which the cache has reached), or null when
    /// the window no longer reaches back that far or the cache is (re)loading.
    /// </summary>
    public Snapshot? At(long revision)
    {
        lock (_lock)
        {
            if (_pending is not null || revision < _windowStart)
            {
                return null;
            }
            // The state after the last event at or before the revision: binary search over the ring.
            int lo = 0, hi = _count - 1, found = -1;
            while (lo <= hi)
            {
                var mid = (lo + hi) >>> 1;
                if (EntryAt(mid).Event.Revision <= revision)
                {
                    found = mid;
                    lo = mid + 1;
                }
                else
                {
                    hi = mid - 1;
                }
            }
            return new Snapshot(found < 0 ? Base() : StateAfter(found), revision);
        }
    }

    /// <summary>
    /// Registers a watcher of the keys under <paramref name="prefix"/> after <paramref name="after"/>:
    /// the window's events since then are its replay, and every later event reaches it live, with no
    /// gap between the two. Fails with Compacted when the window does not reach back that far.
    /// </summary>
    public CacheWatcher? Watch(string prefix, long after, bool progressNotify, int bufferSize)
    {
        lock (_lock)
        {
            if (_pending is not null)
            {
                return null;
            }
            if (after < _windowStart)
            {
                throw new StorageException(StorageErrorCode.Compacted, prefix,
                    $"revision {after} is older than the oldest the watch cache can replay ({_windowStart})")
                { CompactedRevision = _windowStart };
            }
            var replay = new List<WatchEvent>();
            for (var i = 0; i < _count; i++)
            {
                var e = EntryAt(i).Event;
                if (e.Revision > after && e.Key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    replay.Add(e);
                }
            }
            var watcher = new CacheWatcher(this, prefix, after, progressNotify, bufferSize, replay);
            _watchers.Add(watcher);
            return watcher;
        }
    }

    /// <summary>The revision an idle watcher may be told it has reached, or null while events wait in its buffer.</summary>
    public long? ProgressOf(CacheWatcher watcher)
    {
        lock (_lock)
        {
            return watcher.HasBuffered ? null : Math.Max(_hub.Revision, _revision);
        }
    }

    public void Remove(CacheWatcher watcher)
    {
        lock (_lock)
        {
            _watchers.Remove(watcher);
        }
    }

    /// <summary>Closes every watcher (shutdown, or a reload that breaks the event sequence).</summary>
    public void CloseWatchers()
    {
        lock (_lock)
        {
            CloseWatchersLocked();
        }
    }

    private void CloseWatchersLocked()
    {
        foreach (var watcher in _watchers)
        {
            watcher.Close();
        }
        _watchers.Clear();
    }

    /// <summary>The watchers now registered (for tests and metrics).</summary>
    public int WatcherCount
    {
        get { lock (_lock) { return _watchers.Count; } }
    }

    /// <summary>One page of the keys under <paramref name="prefix"/> in <paramref name="snapshot"/>, as a backend would answer it.</summary>
    public static ListResult List(Snapshot snapshot, string prefix, long limit, string? startAfter)
    {
        var items = snapshot.Items;
        var (start, end) = Range(items, prefix);
        if (startAfter is not null)
        {
            var after = IndexOf(items, startAfter);
            start = Math.Max(start, after >= 0 ? after + 1 : ~after);
        }
        var available = Math.Max(end - start, 0);
        var take = limit > 0 ? (int)Math.Min(limit, available) : available;
        var page = new KeyValue[take];
        if (take > 0)
        {
            items.CopyTo(start, page, 0, take);
        }
        return new ListResult(page, snapshot.Revision, take < available, available - take);
    }

    /// <summary>How many keys are under <paramref name="prefix"/> in <paramref name="snapshot"/>.</summary>
    public static long Count(Snapshot snapshot, string prefix)
    {
        var (start, end) = Range(snapshot.Items, prefix);
        return end - start;
    }

    /// <summary>The value of <paramref name="key"/> in <paramref name="snapshot"/>, or null.</summary>
    public static KeyValue? Get(Snapshot snapshot, string key) =>
        IndexOf(snapshot.Items, key) is var i and >= 0 ? snapshot.Items[i] : null;

    private static (int Start, int End) Range(ImmutableList<KeyValue> items, string prefix)
    {
        if (prefix.Length == 0)
        {
            return (0, items.Count);
        }
        // Keys under the prefix sort between it and the prefix with its last character raised by one.
        var upper = string.Concat(prefix.AsSpan(0, prefix.Length - 1), ((char)(prefix[^1] + 1)).ToString());
        return (LowerBound(items, prefix), LowerBound(items, upper));
    }

    /// <summary>The index of the first key not less than <paramref name="key"/>.</summary>
    private static int LowerBound(ImmutableList<KeyValue> items, string key)
    {
        var i = IndexOf(items, key);
        return i >= 0 ? i : ~i;
    }

    private static int IndexOf(ImmutableList<KeyValue> items, string key) =>
        items.BinarySearch(new KeyValue(key, default, 0, 0), ByKey);
}
