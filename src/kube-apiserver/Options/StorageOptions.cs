using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;

namespace KubeApiserver.Options;

/// <summary>Where objects are kept: the embedded store in the data directory, or an etcd cluster.</summary>
public sealed partial record StorageOptions
{
    private static readonly Option<string> DataDirOption = new("--data-dir")
    {
        Description = "The directory of the embedded store, generated certificates and credentials.",
        DefaultValueFactory = _ => ".kube-apiserver",
    };
    private static readonly Option<string> PrefixOption = new("--etcd-prefix")
    {
        Description = "The prefix to prepend to all resource paths in storage.",
        DefaultValueFactory = _ => "/registry",
    };
    private static readonly Option<string?> EtcdServersOption = new("--etcd-servers")
    {
        Description = "List of etcd servers to connect with (scheme://ip:port), comma separated. If not given, the embedded store in --data-dir is used.",
    };
    private static readonly Option<string?> EtcdCaFileOption = new("--etcd-cafile")
    {
        Description = "SSL Certificate Authority file used to secure etcd communication.",
    };
    private static readonly Option<string?> EtcdCertFileOption = new("--etcd-certfile")
    {
        Description = "SSL certification file used to secure etcd communication.",
    };
    private static readonly Option<string?> EtcdKeyFileOption = new("--etcd-keyfile")
    {
        Description = "SSL key file used to secure etcd communication.",
    };
    private static readonly Option<TimeSpan> EtcdCompactionIntervalOption = new("--etcd-compaction-interval")
    {
        Description = "The interval of compaction requests (e.g. 5m0s, 30s). If 0, the compaction request from apiserver is disabled.",
        DefaultValueFactory = _ => TimeSpan.FromMinutes(5),
        CustomParser = ParseDuration,
    };

    private static readonly Option<bool> WatchCacheOption = new("--watch-cache")
    {
        Description = "Enable watch caching in the apiserver.",
        DefaultValueFactory = _ => true,
    };
    private static readonly Option<string[]> WatchCacheSizesOption = new("--watch-cache-sizes")
    {
        Description = "Watch cache size settings for some resources (resource[.group]#size, comma separated). A size of 0 disables the cache for that resource.",
        AllowMultipleArgumentsPerToken = false,
    };
    private static readonly Option<int> DefaultWatchCacheSizeOption = new("--default-watch-cache-size")
    {
        Description = "Default watch cache size. If zero, watch cache will be disabled for resources that do not have a default watch size set.",
        DefaultValueFactory = _ => 100,
    };

    /// <summary>The data directory.</summary>
    public string DataDir { get; init; } = ".kube-apiserver";
    /// <summary>The storage key prefix.</summary>
    public string Prefix { get; init; } = "/registry";
    /// <summary>The etcd client URLs; empty selects the embedded store.</summary>
    public IReadOnlyList<string> EtcdServers { get; init; } = [];
    /// <summary>The CA file that etcd's serving certificates chain to.</summary>
    public string? EtcdCaFile { get; init; }
    /// <summary>The client certificate presented to etcd.</summary>
    public string? EtcdCertFile { get; init; }
    /// <summary>Its private key.</summary>
    public string? EtcdKeyFile { get; init; }
    /// <summary>How often the server compacts etcd's history; zero disables it.</summary>
    public TimeSpan EtcdCompactionInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Whether reads and watches are served from memory.</summary>
    public bool WatchCache { get; init; } = true;
    /// <summary>The watch cache's window size per resource (<c>resource</c> or <c>resource.group</c>).</summary>
    public IReadOnlyDictionary<string, int> WatchCacheSizes { get; init; } = new Dictionary<string, int>();
    /// <summary>The watch cache's window size of the other resources; 0 leaves them uncached.</summary>
    public int DefaultWatchCacheSize { get; init; } = 100;

    /// <summary>Whether the objects are kept in etcd rather than in the embedded store.</summary>
    public bool UsesEtcd => EtcdServers.Count > 0;

    internal static IEnumerable<Option> All =>
        [DataDirOption, PrefixOption, EtcdServersOption, EtcdCaFileOption, EtcdCertFileOption, EtcdKeyFileOption, EtcdCompactionIntervalOption,
         WatchCacheOption, WatchCacheSizesOption, DefaultWatchCacheSizeOption];

    internal static StorageOptions Read(ParseResult result) => new()
    {
        DataDir = result.GetValue(DataDirOption)!,
        Prefix = result.GetValue(PrefixOption)!,
        EtcdServers = [.. (result.GetValue(EtcdServersOption) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
        EtcdCaFile = result.GetValue(EtcdCaFileOption),
        EtcdCertFile = result.GetValue(EtcdCertFileOption),
        EtcdKeyFile = result.GetValue(EtcdKeyFileOption),
        EtcdCompactionInterval = result.GetValue(EtcdCompactionIntervalOption),
        WatchCache = result.GetValue(WatchCacheOption),
        WatchCacheSizes = ParseWatchCacheSizes(result.GetValue(WatchCacheSizesOption) ?? [], out var sizeErrors),
        WatchCacheSizeErrors = sizeErrors,
        DefaultWatchCacheSize = result.GetValue(DefaultWatchCacheSizeOption),
    };

    /// <summary>What was wrong with <c>--watch-cache-sizes</c>, reported by <see cref="Validate"/>.</summary>
    private IReadOnlyList<string> WatchCacheSizeErrors { get; init; } = [];

    /// <summary>Reads <c>resource[.group]#size</c> entries, comma separated, from every occurrence of the flag.</summary>
    private static Dictionary<string, int> ParseWatchCacheSizes(IEnumerable<string> values, out IReadOnlyList<string> errors)
    {
        var sizes = new Dictionary<string, int>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var entry in values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var parts = entry.Split('#');
            if (parts.Length != 2 || parts[0].Length == 0 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                problems.Add($"--watch-cache-sizes: invalid value of watch cache size: {entry} (expected resource[.group]#size)");
                continue;
            }
            sizes[parts[0].ToLowerInvariant()] = size;
        }
        errors = problems;
        return sizes;
    }

    /// <summary>The watch cache's options these flags describe.</summary>
    internal Apiserver.Generic.Storage.Cacher.WatchCacheOptions ToWatchCacheOptions() => new()
    {
        DefaultCapacity = DefaultWatchCacheSize,
        Capacities = WatchCacheSizes,
    };

    /// <summary>
    /// Parses a Go duration as Kubernetes flags take it: a sequence of decimal numbers with units
    /// (<c>ns</c>, <c>us</c>/<c>µs</c>, <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c>), such as <c>5m0s</c> or <c>1.5h</c>; a bare <c>0</c> is zero.
    /// </summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (text == "0")
        {
            return true;
        }

        var matches = DurationPart().Matches(text);
        if (matches.Count == 0 || matches.Sum(m => m.Length) != text.Length)
        {
            return false;
        }

        double ticks = 0;
        foreach (Match m in matches)
        {
            var number = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            ticks += number * m.Groups[2].Value switch
            {
                "ns" => 0.01,
                "us" or "µs" => TimeSpan.TicksPerMicrosecond,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                _ => TimeSpan.TicksPerHour,
            };
        }

        duration = TimeSpan.FromTicks((long)ticks);
        return true;
    }

    internal IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(DataDir))
        {
            yield return "--data-dir must not be empty";
        }
        if (!Prefix.StartsWith('/'))
        {
            yield return $"--etcd-prefix \"{Prefix}\" must start with '/'";
        }
        foreach (var problem in WatchCacheSizeErrors)
        {
            yield return problem;
        }
        if (DefaultWatchCacheSize < 0)
        {
            yield return "--default-watch-cache-size must not be negative";
        }
        if (EtcdCompactionInterval < TimeSpan.Zero)
        {
            yield return "--etcd-compaction-interval must not be negative";
        }
        if (!UsesEtcd && (EtcdCaFile ?? EtcdCertFile ?? EtcdKeyFile) is not null)
        {
            yield return "--etcd-cafile, --etcd-certfile and --etcd-keyfile need --etcd-servers";
        }
        if (UsesEtcd)
        {
            foreach (var problem in ToEtcd3StorageOptions().Validate())
            {
                yield return $"--etcd-servers and friends: {problem}";
            }
        }
    }

    /// <summary>The etcd backend's options these flags describe.</summary>
    internal Apiserver.Generic.Storage.Etcd3.Etcd3StorageOptions ToEtcd3StorageOptions() => new()
    {
        Endpoints = EtcdServers,
        CaFile = EtcdCaFile,
        CertFile = EtcdCertFile,
        KeyFile = EtcdKeyFile,
        CompactionInterval = EtcdCompactionInterval > TimeSpan.Zero ? EtcdCompactionInterval : null,
    };

    private static TimeSpan ParseDuration(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (TryParseDuration(text, out var duration))
        {
            return duration;
        }

        result.AddError($"invalid duration \"{text}\" for --etcd-compaction-interval (expected e.g. 5m0s, 30s, 1h)");
        return default;
    }

    [GeneratedRegex(@"([0-9]*\.?[0-9]+)(ns|us|µs|ms|s|m|h)")]
    private static partial Regex DurationPart();
}
