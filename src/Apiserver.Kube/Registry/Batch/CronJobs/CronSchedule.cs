using System.Globalization;

namespace Apiserver.Kube.Registry.Batch.CronJobs;

/// <summary>
/// The standard cron expressions kube accepts (<c>cron.ParseStandard</c> of robfig/cron v3, which
/// kube uses): five fields of numbers, names, ranges, steps and lists, or a descriptor
/// (<c>@hourly</c>, <c>@every 1h</c>, …). <see cref="Validate"/> answers robfig's error text.
/// </summary>
public static class CronSchedule
{
    private static readonly string[] Descriptors = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];
    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    private static readonly string[] Days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    private static readonly (int Min, int Max, string[]? Names, int NameBase)[] Fields =
    [
        (0, 59, null, 0),
        (0, 23, null, 0),
        (1, 31, null, 0),
        (1, 12, Months, 1),
        (0, 6, Days, 0),
    ];

    /// <summary>The problem with <paramref name="schedule"/>, or null when it is valid.</summary>
    public static string? Validate(string schedule)
    {
        var spec = schedule;
        if (spec.StartsWith("TZ=", StringComparison.Ordinal) || spec.StartsWith("CRON_TZ=", StringComparison.Ordinal))
        {
            var i = spec.IndexOf(' ');
            spec = i < 0 ? "" : spec[(i + 1)..].Trim();
        }
        if (spec.StartsWith('@'))
        {
            return ParseDescriptor(spec);
        }
        var fields = spec.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
        {
            return $"expected exactly 5 fields, found {fields.Length}: [{string.Join(" ", fields)}]";
        }
        for (var i = 0; i < fields.Length; i++)
        {
            foreach (var expr in fields[i].Split(','))
            {
                if (ParseRange(expr, Fields[i]) is { } error)
                {
                    return error;
                }
            }
        }
        return null;
    }

    private static string? ParseDescriptor(string spec)
    {
        if (Descriptors.Contains(spec))
        {
            return null;
        }
        const string every = "@every ";
        if (spec.StartsWith(every, StringComparison.Ordinal))
        {
            var duration = spec[every.Length..];
            return GoDuration.IsValid(duration) ? null : $"failed to parse duration {spec}: time: invalid duration \"{duration}\"";
        }
        return $"unrecognized descriptor: {spec}";
    }

    private static string? ParseRange(string expr, (int Min, int Max, string[]? Names, int NameBase) bounds)
    {
        var rangeAndStep = expr.Split('/');
        var lowAndHigh = rangeAndStep[0].Split('-');
        var singleDigit = lowAndHigh.Length == 1;
        int start, end;
        if (lowAndHigh[0] is "*" or "?")
        {
            start = bounds.Min;
            end = bounds.Max;
        }
        else
        {
            if (ParseValue(lowAndHigh[0], bounds, out start) is { } error)
            {
                return error;
            }
            switch (lowAndHigh.Length)
            {
                case 1:
                    end = start;
                    break;
                case 2:
                    if (ParseValue(lowAndHigh[1], bounds, out end) is { } endError)
                    {
                        return endError;
                    }
                    break;
                default:
                    return $"too many hyphens: {expr}";
            }
        }
        switch (rangeAndStep.Length)
        {
            case 1:
                break;
            case 2:
                if (ParseInt(rangeAndStep[1], out var step) is { } stepError)
                {
                    return stepError;
                }
                if (singleDigit && lowAndHigh[0] is not ("*" or "?"))
                {
                    end = bounds.Max;
                }
                if (step == 0)
                {
                    return $"step of range should be a positive number: {expr}";
                }
                break;
            default:
                return $"too many slashes: {expr}";
        }
        if (start < bounds.Min)
        {
            return $"beginning of range ({start}) below minimum ({bounds.Min}): {expr}";
        }
        if (end > bounds.Max)
        {
            return $"end of range ({end}) above maximum ({bounds.Max}): {expr}";
        }
        return start > end ? $"beginning of range ({start}) beyond end of range ({end}): {expr}" : null;
    }

    private static string? ParseValue(string text, (int Min, int Max, string[]? Names, int NameBase) bounds, out int value)
    {
        var index = bounds.Names is null ? -1 : Array.IndexOf(bounds.Names, text.ToLowerInvariant());
        if (index >= 0)
        {
            value = index + bounds.NameBase;
            return null;
        }
        return ParseInt(text, out value);
    }

    private static string? ParseInt(string text, out int value)
    {
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            return $"failed to parse int from {text}: strconv.Atoi: parsing \"{text}\": invalid syntax";
        }
        return value < 0 ? $"negative number ({value}) not allowed: {text}" : null;
    }

    /// <summary>Go's <c>time.ParseDuration</c> syntax: signed decimal numbers with units ns, us, µs, ms, s, m, h.</summary>
    private static class GoDuration
    {
        private static readonly System.Text.RegularExpressions.Regex Pattern =
            new(@"^[-+]?(0|(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+)$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        public static bool IsValid(string text) => Pattern.IsMatch(text);
    }
}
