using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Apiserver.Generic.Storage.Cacher;

/// <summary>
/// One watch served from a <see cref="ResourceCache"/>: the window's events it missed, then live
/// events through a bounded buffer. When the buffer is full the watcher is closed, and its stream
/// simply ends; the client re-watches from the last version it saw, as it would after a timeout.
/// </summary>
internal sealed class CacheWatcher
{
    private readonly ResourceCache _cache;
    private readonly Channel<WatchEvent> _buffer;
    private readonly List<WatchEvent> _replay;
    private CancellationTokenSource? _idle;

    public CacheWatcher(ResourceCache cache, string prefix, long after, bool progressNotify, int bufferSize, List<WatchEvent> replay)
    {
        _cache = cache;
        Prefix = prefix;
        After = after;
        ProgressNotify = progressNotify;
        _replay = replay;
        _buffer = Channel.CreateBounded<WatchEvent>(new BoundedChannelOptions(bufferSize)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite fails rather than dropping an event.
        });
    }

    /// <summary>The keys this watcher sees.</summary>
    public string Prefix { get; }

    /// <summary>Only events after this revision reach the watcher.</summary>
    public long After { get; }

    /// <summary>Whether the watcher gets progress events while idle.</summary>
    public bool ProgressNotify { get; }

    /// <summary>Whether events wait in the buffer (called under the cache's lock, like every delivery).</summary>
    public bool HasBuffered => _buffer.Reader.Count > 0;

    /// <summary>Queues an event; false (and the watcher closed) when the buffer is full.</summary>
    public bool TryDeliver(WatchEvent e)
    {
        if (_buffer.Writer.TryWrite(e))
        {
            return true;
        }
        Close();
        return false;
    }

    /// <summary>Ends the stream after the events already buffered.</summary>
    public void Close() => _buffer.Writer.TryComplete();

    /// <summary>The replay, then live events (and progress events when idle) until closed or cancelled.</summary>
    public async IAsyncEnumerable<WatchEvent> ReadAllAsync(TimeSpan progressInterval, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        try
        {
            foreach (var e in _replay)
            {
                yield return e;
            }
            _replay.Clear();
            var reader = _buffer.Reader;
            while (true)
            {
                WatchEvent? next;
                try
                {
                    next = await NextAsync(reader, progressInterval, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    yield break;
                }
                catch (ChannelClosedException)
                {
                    yield break;
                }
                if (next is not null)
                {
                    yield return next;
                }
            }
        }
        finally
        {
            _idle?.Dispose();
            _cache.Remove(this);
        }
    }

    /// <summary>The next buffered event; a progress event when idle for the interval and asked for; null to keep waiting.</summary>
    private async ValueTask<WatchEvent?> NextAsync(ChannelReader<WatchEvent> reader, TimeSpan progressInterval, CancellationToken cancellationToken)
    {
        if (reader.TryRead(out var ready))
        {
            return ready;
        }
        if (!ProgressNotify)
        {
            return await reader.ReadAsync(cancellationToken);
        }
        // One idle timer per watcher, re-armed per wait: a watch with bookmarks (every informer's)
        // would otherwise allocate a linked token source per delivered event.
        if (_idle is null || !_idle.TryReset())
        {
            _idle?.Dispose();
            _idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        }
        _idle.CancelAfter(progressInterval);
        try
        {
            return await reader.ReadAsync(_idle.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return _cache.ProgressOf(this) is { } revision
                ? new WatchEvent(WatchEventType.Progress, string.Empty, ReadOnlyMemory<byte>.Empty, null, revision)
                : null;
        }
    }
}
