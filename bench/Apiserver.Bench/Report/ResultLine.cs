using System.Globalization;
using System.Text;
using Apiserver.Bench.Running;

namespace Apiserver.Bench.Report;

/// <summary>
/// One line per phase and concurrency: the server's figures, then each baseline's throughput and
/// the server's as a fraction of it, e.g.
/// <c>create c=16 n=2000 err=0  4,210 ops/s  p50 3.1 p90 5.0 p99 9.8 ms  cpu 0.21 ms/op  rss 180 MiB | storage 9,800 ops/s (0.43x) | kestrel 31,000 ops/s (0.14x)</c>.
/// </summary>
internal static class ResultLine
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Format(string phase, int concurrency, Measurement server, ServerUsage? usage, IEnumerable<Measurement> baselines)
    {
        var line = new StringBuilder();
        line.Append(Invariant, $"{phase,-14} c={concurrency,-3} n={server.Count} err={server.Errors}  ");
        line.Append(Invariant, $"{server.PerSecond,7:N0} ops/s  {Percentiles(server)}");
        AppendUsage(line, usage, server.LatenciesMs.Length, "op");
        if (server.LastBytes > 0)
        {
            line.Append(Invariant, $"  body {Mib(server.LastBytes)} MiB");
        }
        foreach (var baseline in baselines)
        {
            var ratio = baseline.PerSecond > 0 ? server.PerSecond / baseline.PerSecond : double.NaN;
            line.Append(Invariant, $" | {baseline.Target} {baseline.PerSecond:N0} ops/s ({ratio:F2}x){Flags(baseline)}");
        }
        line.Append(Flags(server));
        return line.ToString();
    }

    public static string FormatWatch(int watchers, int events, Measurement server, ServerUsage? usage, IEnumerable<Measurement> baselines)
    {
        var line = new StringBuilder();
        line.Append(Invariant, $"{"watch",-14} w={watchers} e={events} n={server.Count} err={server.Errors} missed={server.Missed}  ");
        line.Append(Invariant, $"{server.PerSecond:N0} ev/s  {Percentiles(server)}");
        AppendUsage(line, usage, server.LatenciesMs.Length, "ev");
        foreach (var baseline in baselines)
        {
            line.Append(Invariant, $" | {baseline.Target} p50 {Ms(baseline.Percentile(0.5))} p99 {Ms(baseline.Percentile(0.99))} ms missed={baseline.Missed}{Flags(baseline)}");
        }
        line.Append(Flags(server));
        return line.ToString();
    }

    public static string FormatMemory(CacheFootprint.Result cache, int serverObjects, long? serverRssGrowth)
    {
        var line = new StringBuilder();
        line.Append(Invariant, $"{"memory",-14} n={cache.Objects}  watch cache {Kib(cache.SteadyBytes)} KiB/object for {Kib(cache.StoredBytes)} KiB stored");
        line.Append(Invariant, $" ({Kib(cache.FreshBytes)} KiB while the 75 s event window holds every create)");
        if (serverRssGrowth is { } growth)
        {
            line.Append(Invariant, $" | server rss +{Mib(growth)} MiB since the warm-up for {serverObjects:N0} objects ({Kib((double)growth / serverObjects)} KiB/object, garbage included)");
        }
        return line.ToString();
    }

    /// <summary>A latency in milliseconds with the digits that matter.</summary>
    public static string Ms(double ms) => ms switch
    {
        double.NaN => "-",
        < 1 => ms.ToString("F2", Invariant),
        < 100 => ms.ToString("F1", Invariant),
        _ => ms.ToString("F0", Invariant),
    };

    private static string Kib(double bytes) => (bytes / 1024).ToString("F2", Invariant);

    public static string Mib(long bytes) => (bytes / 1048576.0).ToString(bytes < 10 * 1048576 ? "F1" : "F0", Invariant);

    private static string Percentiles(Measurement m) =>
        $"p50 {Ms(m.Percentile(0.5))} p90 {Ms(m.Percentile(0.9))} p99 {Ms(m.Percentile(0.99))} ms";

    private static void AppendUsage(StringBuilder line, ServerUsage? usage, int operations, string unit)
    {
        if (usage is null)
        {
            line.Append("  cpu -  rss -");
            return;
        }
        var perOperation = operations > 0 ? usage.Cpu.TotalMilliseconds / operations : double.NaN;
        line.Append(Invariant, $"  cpu {perOperation.ToString(perOperation < 0.1 ? "F3" : "F2", Invariant)} ms/{unit}  rss {Mib(usage.RssBytes)} MiB");
        if (usage.PeakRssBytes is { } peak)
        {
            line.Append(Invariant, $" (peak {Mib(peak)})");
        }
    }

    private static string Flags(Measurement m) =>
        (m.StoppedAtLimit ? " [stopped at the time limit]" : "") + (m.Errors > 0 ? $" [{m.Target} error: {m.FirstError}]" : "");
}
