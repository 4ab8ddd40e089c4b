using System.Diagnostics;
using Apiserver.Bench.Targets;

namespace Apiserver.Bench.Running;

/// <summary>
/// Watch fan-out: W watchers on one namespace, then E creates at a steady rate from one writer.
/// Each delivery's latency runs from the write's response reaching the writer to the event
/// reaching a watcher (0 when the event arrives first); an event a watcher never sees is missed.
/// </summary>
internal static class WatchFanout
{
    private const int OpenAtOnce = 16;
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(10);

    /// <param name="onWritesStarting">Called once every watch is open, just before the first write (starts the server's meter).</param>
    public static async Task<Measurement> RunAsync(
        IBenchTarget target, string ns, int watchers, int events, int eventsPerSecond, TimeSpan limit,
        Action onWritesStarting, CancellationToken cancellationToken)
    {
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var received = new long[watchers][];
        var streams = new IAsyncEnumerable<string>?[watchers];
        var errors = 0;
        string? firstError = null;
        await Parallel.ForEachAsync(Enumerable.Range(0, watchers), new ParallelOptions { MaxDegreeOfParallelism = OpenAtOnce, CancellationToken = cancellationToken },
            async (w, _) =>
            {
                received[w] = new long[events];
                try
                {
                    streams[w] = await target.WatchCreatedAsync(ns, watching.Token);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    Fail(e);
                }
            });

        var delivered = 0;
        var readers = streams.Select((stream, w) => stream is null ? Task.CompletedTask : Task.Run(async () =>
        {
            try
            {
                await foreach (var name in stream.WithCancellation(watching.Token))
                {
                    var i = ConfigMaps.EventIndex(name);
                    if (i >= 0 && i < events && received[w][i] == 0)
                    {
                        received[w][i] = Stopwatch.GetTimestamp();
                        Interlocked.Increment(ref delivered);
                    }
                }
            }
            catch (Exception e) when (!watching.IsCancellationRequested)
            {
                Fail(e);
            }
        }, CancellationToken.None)).ToList();

        onWritesStarting();
        var sent = new long[events];
        var written = 0;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < events && !deadline.IsCancellationRequested; i++)
        {
            try
            {
                if (eventsPerSecond > 0)
                {
                    var due = TimeSpan.FromSeconds((double)i / eventsPerSecond) - Stopwatch.GetElapsedTime(started);
                    if (due > TimeSpan.Zero)
                    {
                        await Task.Delay(due, deadline.Token);
                    }
                }
                await target.CreateAsync(ns, ConfigMaps.EventName(i), deadline.Token);
                sent[i] = Stopwatch.GetTimestamp();
                written++;
            }
            catch (Exception) when (deadline.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                Fail(e);
            }
        }
        cancellationToken.ThrowIfCancellationRequested();

        // Wait, boundedly, for the last deliveries. A create the writer gave up on at the deadline may
        // still have been made and delivered, so the count of deliveries alone cannot tell when every
        // written event has arrived: look for one still missing.
        var open = streams.Count(s => s is not null);
        var drainStarted = Stopwatch.GetTimestamp();
        while (Volatile.Read(ref delivered) < written * open || AnyMissing(received, streams, sent))
        {
            if (Stopwatch.GetElapsedTime(drainStarted) >= DrainLimit)
            {
                break;
            }
            await Task.Delay(10, cancellationToken);
        }
        await watching.CancelAsync();
        await Task.WhenAny(Task.WhenAll(readers), Task.Delay(DrainLimit, cancellationToken));

        var latencies = new List<double>(written * open);
        long missed = 0;
        long last = started;
        for (var w = 0; w < watchers; w++)
        {
            if (streams[w] is null)
            {
                continue;
            }
            for (var i = 0; i < events; i++)
            {
                if (sent[i] == 0)
                {
                    continue;
                }
                var at = received[w][i];
                if (at == 0)
                {
                    missed++;
                    continue;
                }
                latencies.Add(at <= sent[i] ? 0 : Stopwatch.GetElapsedTime(sent[i], at).TotalMilliseconds);
                last = Math.Max(last, at);
            }
        }
        var sorted = latencies.ToArray();
        Array.Sort(sorted);
        return new Measurement(
            target.Name, sorted.Length, errors, Stopwatch.GetElapsedTime(started, last), sorted,
            StoppedAtLimit: written < events, firstError, Missed: missed);

        static bool AnyMissing(long[][] received, IAsyncEnumerable<string>?[] streams, long[] sent)
        {
            for (var w = 0; w < streams.Length; w++)
            {
                if (streams[w] is null)
                {
                    continue;
                }
                for (var i = 0; i < sent.Length; i++)
                {
                    if (sent[i] != 0 && Volatile.Read(ref received[w][i]) == 0)
                    {
                        return true;
                    }
                }
            }
            return false;
        }

        void Fail(Exception e)
        {
            Interlocked.Increment(ref errors);
            Interlocked.CompareExchange(ref firstError, $"{e.GetType().Name}: {e.Message}", null);
        }
    }
}
