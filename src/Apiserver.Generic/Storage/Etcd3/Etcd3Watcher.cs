using System.Diagnostics;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;

namespace Apiserver.Generic.Storage.Etcd3;

/// <summary>
/// One prefix watch over its own etcd watch stream, which it re-establishes whenever the stream
/// breaks (with backoff, on whichever member answers), resuming just after the last revision it
/// delivered, so the consumer sees no gap and no duplicate. dotnet-etcd's own watch helper does
/// not recover from a disconnect (dotnet-etcd issue #264), hence this loop.
/// </summary>
/// <remarks>
/// A progress event promises that no change at or below its revision is still to come. So its
/// revision is the last change delivered, or the revision of a progress notification etcd sent for
/// this very watcher (those travel in order with its events, and only once it has caught up).
/// etcd 3.4's on-demand progress request is answered out of band, possibly ahead of events still
/// queued (etcd issue #15220), so it is not used.
/// </remarks>
internal sealed class Etcd3Watcher : IAsyncDisposable
{
    private readonly Etcd3Client _client;
    private readonly string _prefix;
    private readonly ByteString _key;
    private readonly ByteString _rangeEnd;
    private readonly bool _progressNotify;
    private readonly CancellationTokenSource _cancellation;
    private readonly Queue<WatchEvent> _pending = new();
    private AsyncDuplexStreamingCall<WatchRequest, WatchResponse>? _call;
    private Task<bool>? _next;
    private long _watchId = -1;
    private long _lastRevision;
    private long _safeRevision;
    private int _failures;
    private long _lastActivity;

    public Etcd3Watcher(Etcd3Client client, string prefix, long afterRevision, bool progressNotify, CancellationToken stopping, CancellationToken cancellationToken)
    {
        _client = client;
        _prefix = prefix;
        _key = Etcd3Keys.PrefixStart(prefix);
        _rangeEnd = Etcd3Keys.PrefixEnd(prefix);
        _progressNotify = progressNotify;
        _lastRevision = afterRevision;
        _safeRevision = afterRevision;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(stopping, cancellationToken);
        _lastActivity = Stopwatch.GetTimestamp();
    }

    /// <summary>The next event, or null once the watch is cancelled or the store closed.</summary>
    /// <exception cref="StorageException">Compacted: the revision to resume from is gone; Unavailable: etcd cancelled the watch.</exception>
    public async ValueTask<WatchEvent?> NextAsync()
    {
        var token = _cancellation.Token;
        while (true)
        {
            if (_pending.TryDequeue(out var queued))
            {
                return queued;
            }

            if (token.IsCancellationRequested || (_call is null && !await ConnectAsync(token).ConfigureAwait(false)))
            {
                return null;
            }

            _next ??= _call!.ResponseStream.MoveNext(CancellationToken.None);
            var idleLeft = _client.Options.ProgressNotifyInterval - Stopwatch.GetElapsedTime(_lastActivity);
            if (_progressNotify && idleLeft <= TimeSpan.Zero)
            {
                _lastActivity = Stopwatch.GetTimestamp();
                return Progress(_safeRevision);
            }

            var delay = Task.Delay(_progressNotify ? idleLeft : Timeout.InfiniteTimeSpan, token);
            if (await Task.WhenAny(_next, delay).ConfigureAwait(false) != _next)
            {
                continue; // Idle long enough for a progress event, or cancelled: both handled above.
            }

            var next = _next;
            _next = null;
            bool received;
            try
            {
                received = await next.ConfigureAwait(false);
            }
            catch (RpcException) when (!token.IsCancellationRequested)
            {
                received = false;
            }
            catch (RpcException)
            {
                return null;
            }

            if (!received)
            {
                DropStream(); // Broken or closed by etcd: resume on a new stream.
                continue;
            }

            Handle(_call!.ResponseStream.Current);
        }
    }

    public ValueTask DisposeAsync()
    {
        _cancellation.Cancel();
        DropStream();
        _cancellation.Dispose();
        return ValueTask.CompletedTask;
    }

    private static WatchEvent Progress(long revision) =>
        new(WatchEventType.Progress, string.Empty, ReadOnlyMemory<byte>.Empty, null, revision);

    /// <summary>Opens a stream and asks for the changes after the last delivered one; false when cancelled first.</summary>
    private async Task<bool> ConnectAsync(CancellationToken token)
    {
        while (true)
        {
            try
            {
                if (_failures > 0)
                {
                    var backoff = TimeSpan.FromMilliseconds(Math.Min(100 * Math.Pow(2, _failures - 1), _client.Options.MaxReconnectDelay.TotalMilliseconds));
                    await Task.Delay(backoff, token).ConfigureAwait(false);
                }

                _failures++;
                _watchId = -1;
                _call = _client.Watch.Watch(new CallOptions(headers: Etcd3Client.RequireLeader, cancellationToken: token));
                await _call.RequestStream.WriteAsync(new WatchRequest
                {
                    CreateRequest = new WatchCreateRequest
                    {
                        Key = _key,
                        RangeEnd = _rangeEnd,
                        StartRevision = _lastRevision + 1,
                        PrevKv = true,
                        ProgressNotify = _progressNotify,
                    },
                }, token).ConfigureAwait(false);
                return true;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception ex) when (ex is RpcException or IOException or InvalidOperationException && !token.IsCancellationRequested)
            {
                DropStream();
            }
            catch (Exception ex) when (ex is RpcException or IOException or InvalidOperationException)
            {
                return false;
            }
        }
    }

    private void DropStream()
    {
        // The abandoned read fails once the call is disposed; observe that so it is not reported as unobserved.
        _next?.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        _next = null;
        _call?.Dispose();
        _call = null;
    }

    private void Handle(WatchResponse response)
    {
        if (response.CompactRevision != 0)
        {
            throw new StorageException(
                StorageErrorCode.Compacted, _prefix, $"revision {_lastRevision} has been compacted; the oldest watchable is {response.CompactRevision}")
            {
                CompactedRevision = response.CompactRevision,
            };
        }

        if (response.Canceled)
        {
            throw new StorageException(StorageErrorCode.Unavailable, _prefix, $"etcd cancelled the watch: {response.CancelReason}");
        }

        if (response.Created)
        {
            _watchId = response.WatchId;
            _failures = 0;
            return;
        }

        if (response.Events.Count == 0)
        {
            // Only a notification for this watcher is ordered with its events (see the remarks).
            if (response.WatchId == _watchId && response.Header.Revision > _safeRevision)
            {
                _safeRevision = response.Header.Revision;
            }

            if (_progressNotify && response.WatchId == _watchId)
            {
                _lastActivity = Stopwatch.GetTimestamp();
                _pending.Enqueue(Progress(_safeRevision));
            }

            return;
        }

        var delivered = _lastRevision;
        foreach (var e in response.Events)
        {
            var revision = e.Kv.ModRevision;
            if (revision <= delivered)
            {
                continue; // Already delivered before a reconnect (etcd should not resend it).
            }

            _pending.Enqueue(ToWatchEvent(e));
            _lastRevision = revision;
            _safeRevision = Math.Max(_safeRevision, revision);
        }

        _lastActivity = Stopwatch.GetTimestamp();
    }

    private static WatchEvent ToWatchEvent(Mvccpb.Event e)
    {
        var kv = e.Kv;
        var key = kv.Key.ToStringUtf8();
        ReadOnlyMemory<byte>? previous = e.PrevKv is { } prev ? prev.Value.Memory : null;
        if (e.Type == Mvccpb.Event.Types.EventType.Delete)
        {
            // etcd's delete event carries only the key; the last value is the previous one.
            var last = previous ?? ReadOnlyMemory<byte>.Empty;
            return new WatchEvent(WatchEventType.Deleted, key, last, last, kv.ModRevision);
        }

        return kv.CreateRevision == kv.ModRevision
            ? new WatchEvent(WatchEventType.Created, key, kv.Value.Memory, null, kv.ModRevision)
            : new WatchEvent(WatchEventType.Modified, key, kv.Value.Memory, previous, kv.ModRevision);
    }
}
