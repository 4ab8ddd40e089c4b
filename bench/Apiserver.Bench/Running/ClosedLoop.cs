using System.Diagnostics;

namespace Apiserver.Bench.Running;

/// <summary>
/// A closed-loop load: <c>concurrency</c> workers take operation indexes 0..count-1 in turn, each
/// starting its next operation as soon as its last one ends, until all are done or the time limit passes.
/// </summary>
internal static class ClosedLoop
{
    /// <param name="target">The target's name, for the report.</param>
    /// <param name="count">How many operations.</param>
    /// <param name="concurrency">How many at a time.</param>
    /// <param name="limit">When to stop, finished or not; operations in flight then are abandoned, not counted.</param>
    /// <param name="operation">Operation <c>i</c>; returns a size in bytes (or 0); throws on failure.</param>
    /// <param name="cancellationToken">Ctrl+C: stops and throws.</param>
    public static async Task<Measurement> RunAsync(
        string target, int count, int concurrency, TimeSpan limit,
        Func<int, CancellationToken, Task<long>> operation, CancellationToken cancellationToken)
    {
        var latencies = new double[count];
        var succeeded = new bool[count];
        var next = -1;
        var errors = 0;
        var finished = 0;
        long lastBytes = 0;
        string? firstError = null;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        var started = Stopwatch.GetTimestamp();
        long ended = started;

        async Task WorkAsync()
        {
            while (!deadline.IsCancellationRequested)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= count)
                {
                    return;
                }
                var start = Stopwatch.GetTimestamp();
                try
                {
                    var bytes = await operation(i, deadline.Token);
                    var end = Stopwatch.GetTimestamp();
                    latencies[i] = Stopwatch.GetElapsedTime(start, end).TotalMilliseconds;
                    succeeded[i] = true;
                    Volatile.Write(ref lastBytes, bytes);
                    InterlockedMax(ref ended, end);
                }
                catch (Exception) when (deadline.IsCancellationRequested)
                {
                    return; // Cut short by the limit (or Ctrl+C): neither a success nor an error.
                }
                catch (Exception e)
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, $"{e.GetType().Name}: {e.Message}", null);
                    InterlockedMax(ref ended, Stopwatch.GetTimestamp());
                }
                Interlocked.Increment(ref finished);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Math.Min(concurrency, count)).Select(_ => Task.Run(WorkAsync, CancellationToken.None)));
        cancellationToken.ThrowIfCancellationRequested();
        var ok = latencies.Where((_, i) => succeeded[i]).ToArray();
        Array.Sort(ok);
        return new Measurement(
            target, finished, errors, Stopwatch.GetElapsedTime(started, ended), ok,
            StoppedAtLimit: finished < count, firstError, lastBytes);
    }

    private static void InterlockedMax(ref long location, long value)
    {
        var current = Volatile.Read(ref location);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current)
            {
                return;
            }
            current = seen;
        }
    }
}
