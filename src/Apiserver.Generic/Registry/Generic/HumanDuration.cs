using System.Globalization;

namespace Apiserver.Generic.Registry.Generic;

/// <summary>Durations as kubectl prints ages: <c>42s</c>, <c>5m</c>, <c>3h12m</c>, <c>4d</c>, <c>2y</c>.</summary>
public static class HumanDuration
{
    /// <summary>The age of something created at <paramref name="time"/>, or <c>&lt;unknown&gt;</c>.</summary>
    public static string Since(DateTimeOffset? time) =>
        time is null ? "<unknown>" : Format(DateTimeOffset.UtcNow - time.Value);

    /// <summary>Formats a duration the way Kubernetes' <c>duration.HumanDuration</c> does.</summary>
    public static string Format(TimeSpan d)
    {
        static string I(double v) => ((long)v).ToString(CultureInfo.InvariantCulture);
        // Whole seconds first (truncated toward zero), as duration.HumanDuration compares them.
        var seconds = (long)d.TotalSeconds;
        if (seconds < -1)
        {
            return "<invalid>";
        }
        if (seconds < 0 || d < TimeSpan.Zero)
        {
            return "0s";
        }
        if (seconds < 60 * 2)
        {
            return $"{seconds}s";
        }
        var minutes = (long)d.TotalMinutes;
        if (minutes < 10)
        {
            var s = seconds % 60;
            return s == 0 ? $"{minutes}m" : $"{minutes}m{s}s";
        }
        if (minutes < 60 * 3)
        {
            return $"{minutes}m";
        }
        var hours = (long)d.TotalHours;
        if (hours < 8)
        {
            var m = minutes % 60;
            return m == 0 ? $"{hours}h" : $"{hours}h{m}m";
        }
        if (hours < 48)
        {
            return $"{hours}h";
        }
        if (hours < 24 * 8)
        {
            var h = hours % 24;
            return h == 0 ? $"{I(hours / 24)}d" : $"{I(hours / 24)}d{h}h";
        }
        if (hours < 24 * 365 * 2)
        {
            return $"{I(hours / 24)}d";
        }
        if (hours < 24 * 365 * 8)
        {
            var dy = hours / 24 % 365;
            return dy == 0 ? $"{I(hours / 24 / 365)}y" : $"{I(hours / 24 / 365)}y{dy}d";
        }
        return $"{I(hours / 24 / 365)}y";
    }
}
