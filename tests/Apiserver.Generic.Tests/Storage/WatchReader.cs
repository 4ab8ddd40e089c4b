using Apiserver.Generic.Storage;
using NUnit.Framework;

namespace Apiserver.Generic.Tests.Storage;

/// <summary>
/// Reads a watch stream with timeouts, so a broken backend fails a test instead of hanging it,
/// and cancels the stream when disposed.
/// </summary>
public sealed class WatchReader : IAsyncDisposable
{
    private readonly CancellationTokenSource _cancellation;
    private readonly IAsyncEnumerator<WatchEvent> _enumerator;
    private Task<bool>? _pending;

    public WatchReader(IStorage storage, string prefix, long afterRevision, bool progressNotify, CancellationToken testToken)
    {
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(testToken);
        _enumerator = storage.WatchAsync(prefix, afterRevision, progressNotify, _cancellation.Token).GetAsyncEnumerator(_cancellation.Token);

        // Start the stream now, so the watch is established when the constructor returns (as far
        // as the backend lets us see), not when the test first reads from it.
        _pending = _enumerator.MoveNextAsync().AsTask();
    }

    /// <summary>Cancels the watch, as its consumer would.</summary>
    public void Cancel() => _cancellation.Cancel();

    /// <summary>
    /// The next event (progress events included), or null if none arrived within <paramref name="timeout"/>.
    /// Throws what the stream throws, and <see cref="InvalidOperationException"/> when the stream ended.
    /// </summary>
    public async Task<WatchEvent?> NextAsync(TimeSpan timeout)
    {
        _pending ??= _enumerator.MoveNextAsync().AsTask();
        var finished = await Task.WhenAny(_pending, Task.Delay(timeout)).ConfigureAwait(false);
        if (finished != _pending)
        {
            return null;
        }

        var pending = _pending;
        _pending = null;
        if (!await pending.ConfigureAwait(false))
        {
            throw new InvalidOperationException("The watch stream ended.");
        }

        return _enumerator.Current;
    }

    /// <summary>Whether the stream ends (rather than yields or hangs) within <paramref name="timeout"/>.</summary>
    public async Task<bool> EndsWithinAsync(TimeSpan timeout)
    {
        _pending ??= _enumerator.MoveNextAsync().AsTask();
        var finished = await Task.WhenAny(_pending, Task.Delay(timeout)).ConfigureAwait(false);
        if (finished != _pending)
        {
            return false;
        }

        var pending = _pending;
        _pending = null;
        return !await pending.ConfigureAwait(false);
    }

    /// <summary>
    /// The next <paramref name="count"/> change events, skipping progress events; fails the test if
    /// they do not all arrive within <paramref name="timeout"/>.
    /// </summary>
    public async Task<List<WatchEvent>> TakeAsync(int count, TimeSpan timeout)
    {
        var events = new List<WatchEvent>(count);
        var deadline = DateTime.UtcNow + timeout;
        while (events.Count < count)
        {
            var left = deadline - DateTime.UtcNow;
            var next = left > TimeSpan.Zero ? await NextAsync(left).ConfigureAwait(false) : null;
            if (next is null)
            {
                Assert.Fail($"Timed out after {events.Count} of {count} watch events: {string.Join(", ", events.Select(e => $"{e.Type} {e.Key}@{e.Revision}"))}");
            }

            if (next!.Type != WatchEventType.Progress)
            {
                events.Add(next);
            }
        }

        return events;
    }

    /// <summary>Fails the test if a change event (not a progress event) arrives within <paramref name="quiet"/>.</summary>
    public async Task AssertNoMoreChangesAsync(TimeSpan quiet)
    {
        var deadline = DateTime.UtcNow + quiet;
        while (DateTime.UtcNow < deadline)
        {
            var next = await NextAsync(deadline - DateTime.UtcNow).ConfigureAwait(false);
            if (next is null)
            {
                return;
            }

            if (next.Type != WatchEventType.Progress)
            {
                Assert.Fail($"Unexpected watch event {next.Type} {next.Key}@{next.Revision}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _cancellation.Cancel();
        try
        {
            if (_pending is not null)
            {
                await Task.WhenAny(_pending, Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
            }

            if (_pending is null || _pending.IsCompleted)
            {
                await _enumerator.DisposeAsync().ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            // The stream's own failure was already reported (or is irrelevant) by now.
        }

        _cancellation.Dispose();
    }
}
