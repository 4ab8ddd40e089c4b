namespace Apiserver.Bench.Running;

/// <summary>What one target did in one phase.</summary>
/// <param name="Target">The target's name.</param>
/// <param name="Count">Operations finished (succeeded or failed); delivered events for a watch.</param>
/// <param name="Errors">Operations that failed; for a watch, failed writes and watches.</param>
/// <param name="Elapsed">From the first operation's start to the last one's end.</param>
/// <param name="LatenciesMs">The latency of every successful operation, sorted.</param>
/// <param name="StoppedAtLimit">Whether the phase's time limit cut it short.</param>
/// <param name="FirstError">The first failure's message, if any.</param>
/// <param name="LastBytes">The size of the last response (lists), or 0.</param>
/// <param name="Missed">For a watch: events written but never seen by a watcher (one per watcher).</param>
internal sealed record Measurement(
    string Target,
    int Count,
    int Errors,
    TimeSpan Elapsed,
    double[] LatenciesMs,
    bool StoppedAtLimit,
    string? FirstError,
    long LastBytes = 0,
    long Missed = 0)
{
    /// <summary>Successful operations per second.</summary>
    public double PerSecond => Elapsed > TimeSpan.Zero ? LatenciesMs.Length / Elapsed.TotalSeconds : 0;

    /// <summary>The latency below which a fraction <paramref name="p"/> of the operations finished (nearest rank).</summary>
    public double Percentile(double p)
    {
        if (LatenciesMs.Length == 0)
        {
            return double.NaN;
        }
        var rank = (int)Math.Ceiling(p * LatenciesMs.Length) - 1;
        return LatenciesMs[Math.Clamp(rank, 0, LatenciesMs.Length - 1)];
    }
}
