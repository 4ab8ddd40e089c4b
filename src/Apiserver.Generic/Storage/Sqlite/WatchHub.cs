namespace Apiserver.Generic.Storage.Sqlite;

/// <summary>
/// The in-memory state shared by the writer, the readers and the watches: the current and the
/// compacted revision, and the live watchers to which committed changes are fanned out.
/// </summary>
/// <remarks>
/// The current revision is advanced and the batch's events are handed to the watchers under one
/// lock, so a watcher that subscribes (under the same lock) knows exactly which revisions it will
/// be told about live and which it must read from the table.
/// </remarks>
internal sealed class WatchHub
{
    private readonly Lock _gate = new();
    private readonly HashSet<Watcher> _watchers = [];
    private long _currentRevision;
    private long _compactedRevision;
    private bool _completed;

    public WatchHub(long currentRevision, long compactedRevision)
    {
        _currentRevision = currentRevision;
        _compactedRevision = compactedRevision;
    }

    /// <summary>The newest revision whose changes have been committed and published.</summary>
    public long CurrentRevision => Volatile.Read(ref _currentRevision);

    /// <summary>The compacted revision as of the last committed compaction.</summary>
    public long CompactedRevision => Volatile.Read(ref _compactedRevision);

    /// <summary>
    /// Registers <paramref name="watcher"/> for live events and returns the current revision: every
    /// later change reaches the watcher live, every earlier one is in the table.
    /// </summary>
    public long Subscribe(Watcher watcher)
    {
        lock (_gate)
        {
            if (_completed)
            {
                watcher.Complete();
            }
            else
            {
                _watchers.Add(watcher);
            }

            return _currentRevision;
        }
    }

    /// <summary>Stops sending live events to <paramref name="watcher"/>.</summary>
    public void Unsubscribe(Watcher watcher)
    {
        lock (_gate)
        {
            _watchers.Remove(watcher);
        }
    }

    /// <summary>Publishes one committed batch: its events, in revision order, and the revisions it reached.</summary>
    public void Publish(List<WatchEvent> events, long currentRevision, long compactedRevision)
    {
        lock (_gate)
        {
            Volatile.Write(ref _currentRevision, currentRevision);
            Volatile.Write(ref _compactedRevision, compactedRevision);
            if (_watchers.Count == 0 || events.Count == 0)
            {
                return;
            }

            foreach (var watcher in _watchers)
            {
                foreach (var e in events)
                {
                    if (watcher.Matches(e.Key))
                    {
                        watcher.Offer(e);
                    }
                }
            }
        }
    }

    /// <summary>
    /// The revision a progress notification may report to <paramref name="watcher"/>: the current
    /// one, provided the watcher has no undelivered event (which it must send first).
    /// </summary>
    public bool TryGetProgressRevision(Watcher watcher, out long revision)
    {
        lock (_gate)
        {
            revision = _currentRevision;
            return !watcher.HasPendingEvents;
        }
    }

    /// <summary>Ends every watch (the store is closing) and refuses new ones.</summary>
    public void CompleteAll()
    {
        lock (_gate)
        {
            _completed = true;
            foreach (var watcher in _watchers)
            {
                watcher.Complete();
            }

            _watchers.Clear();
        }
    }
}
