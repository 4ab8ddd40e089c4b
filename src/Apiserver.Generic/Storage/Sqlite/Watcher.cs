using System.Diagnostics;
using System.Threading.Channels;

namespace Apiserver.Generic.Storage.Sqlite;

/// <summary>
/// One watch: it subscribes to live events first, then replays the history up to the revision it
/// subscribed at from the table, then drains the live events, skipping any revision already sent,
/// so the stream has no gap and no duplicate across the handover.
/// </summary>
internal sealed class Watcher : IDisposable
{
    private readonly Channel<WatchEvent> _live = Channel.CreateUnbounded<WatchEvent>(
        new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });

    private readonly Queue<WatchEvent> _history = new();
    private readonly WatchHub _hub;
    private readonly ReadConnectionPool _pool;
    private readonly string _prefix;
    private readonly string? _prefixEnd;
    private readonly bool _progressNotify;
    private readonly TimeSpan _progressInterval;
    private readonly int _pageSize;
    private long _lastSent;
    private long _historyUntil;
    private bool _historyExhausted;
    private bool _historyDone;
    private long _lastActivity;

    public Watcher(WatchHub hub, ReadConnectionPool pool, SqliteStorageOptions options, string prefix, long afterRevision, bool progressNotify)
    {
        _hub = hub;
        _pool = pool;
        _prefix = prefix;
        _prefixEnd = SqliteSql.PrefixEnd(prefix);
        _lastSent = afterRevision;
        _progressNotify = progressNotify;
        _progressInterval = options.ProgressNotifyInterval;
        _pageSize = options.WatchHistoryPageSize;
    }

    /// <summary>Whether live events are waiting to be delivered.</summary>
    public bool HasPendingEvents => _live.Reader.TryPeek(out _);

    public bool Matches(string key) => key.StartsWith(_prefix, StringComparison.Ordinal);

    /// <summary>Queues a live event (called by the hub under its lock).</summary>
    public void Offer(WatchEvent e) => _live.Writer.TryWrite(e);

    /// <summary>Ends the live stream once what is queued has been read.</summary>
    public void Complete() => _live.Writer.TryComplete();

    /// <summary>Subscribes; throws Compacted when the requested history is gone already.</summary>
    public void Start()
    {
        _historyUntil = _hub.Subscribe(this);
        var compacted = _hub.CompactedRevision;
        if (_lastSent < compacted)
        {
            throw CompactedError(compacted);
        }

        _historyDone = _lastSent >= _historyUntil;
        _lastActivity = Stopwatch.GetTimestamp();
    }

    /// <summary>The next event, or null when the stream has ended (the store closed).</summary>
    public async ValueTask<WatchEvent?> NextAsync(CancellationToken cancellationToken)
    {
        while (!_historyDone)
        {
            if (_history.TryDequeue(out var past))
            {
                return Sent(past);
            }

            if (_historyExhausted)
            {
                _historyDone = true;
                break;
            }

            if (!await LoadHistoryPageAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
        }

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_live.Reader.TryRead(out var e))
            {
                if (e.Revision > _lastSent)
                {
                    return Sent(e);
                }

                continue;
            }

            if (_live.Reader.Completion.IsCompleted)
            {
                return null;
            }

            if (!_progressNotify)
            {
                if (!await _live.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                continue;
            }

            var idle = Stopwatch.GetElapsedTime(_lastActivity);
            if (idle >= _progressInterval)
            {
                if (_hub.TryGetProgressRevision(this, out var revision))
                {
                    _lastActivity = Stopwatch.GetTimestamp();
                    return new WatchEvent(WatchEventType.Progress, string.Empty, ReadOnlyMemory<byte>.Empty, null, revision);
                }

                continue;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_progressInterval - idle);
            try
            {
                if (!await _live.Reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false))
                {
                    return null;
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Idle for the whole interval: loop round to send a progress notification.
            }
        }
    }

    public void Dispose()
    {
        _hub.Unsubscribe(this);
        _live.Writer.TryComplete();
    }

    private WatchEvent Sent(WatchEvent e)
    {
        _lastSent = e.Revision;
        _lastActivity = Stopwatch.GetTimestamp();
        return e;
    }

    /// <summary>Reads the next page of history; false when the store has closed meanwhile.</summary>
    private async ValueTask<bool> LoadHistoryPageAsync(CancellationToken cancellationToken)
    {
        var after = _lastSent;
        List<WatchEvent> page;
        try
        {
            page = await _pool.RunAsync(
                connection =>
                {
                    // Rows above the compacted revision are intact; below it some may be gone.
                    var compacted = connection.ReadCompactedRevision();
                    if (after < compacted)
                    {
                        throw CompactedError(compacted);
                    }

                    return connection.History(_prefix, _prefixEnd, after, _historyUntil, _pageSize);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            return false;
        }

        foreach (var e in page)
        {
            _history.Enqueue(e);
        }

        _historyExhausted = page.Count < _pageSize;
        return true;
    }

    private StorageException CompactedError(long compacted) =>
        new(StorageErrorCode.Compacted, _prefix, $"revision {_lastSent} has been compacted; the oldest watchable is {compacted}")
        {
            CompactedRevision = compacted,
        };
}
