using System.Globalization;

namespace Apiserver.Bench.Servers;

/// <summary>
/// A process's CPU time and memory read from <c>/proc</c> (Linux): user+system time from
/// <c>/proc/&lt;pid&gt;/stat</c>, resident set and its peak (VmRSS, VmHWM) from <c>/proc/&lt;pid&gt;/status</c>.
/// </summary>
internal sealed class ProcessMeter(int pid)
{
    // /proc reports times in USER_HZ, which the kernel fixes at 100 for user space.
    private const double TicksPerSecond = 100;

    private bool _peakResettable = true;

    public int Pid => pid;

    /// <summary>User plus system CPU time so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name, which is in parentheses and may hold spaces.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / TicksPerSecond);
        }
    }

    /// <summary>The resident set now, in bytes.</summary>
    public long RssBytes => StatusKilobytes("VmRSS:") * 1024;

    /// <summary>The resident set's peak since start or since <see cref="ResetPeak"/>, in bytes; null when it cannot be reset.</summary>
    public long? PeakRssBytes => _peakResettable ? StatusKilobytes("VmHWM:") * 1024 : null;

    /// <summary>Starts a new peak (writes 5 to <c>/proc/&lt;pid&gt;/clear_refs</c>, Linux 4.0 and later).</summary>
    public void ResetPeak()
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _peakResettable = false;
        }
    }

    private long StatusKilobytes(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }
        return 0;
    }
}
