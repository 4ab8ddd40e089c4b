using System.CommandLine;
using System.CommandLine.Parsing;

namespace Apiserver.Bench;

/// <summary>What to benchmark, how hard and against which baselines; built from the command line.</summary>
internal sealed record BenchOptions
{
    /// <summary>Every phase, in the order they run.</summary>
    public static readonly IReadOnlyList<string> AllPhases = ["create", "get", "get-cached", "update", "list", "paginated-list", "mixed", "memory", "watch"];

    /// <summary>Every baseline.</summary>
    public static readonly IReadOnlyList<string> AllBaselines = ["storage", "kestrel"];

    private static readonly Option<string> BackendOption = new("--backend")
    {
        Description = "The storage backend: sqlite (a fresh embedded store in a temporary directory) or etcd (needs --etcd-servers).",
        DefaultValueFactory = _ => "sqlite",
    };
    private static readonly Option<string?> EtcdServersOption = new("--etcd-servers")
    {
        Description = "Comma-separated http:// URLs of a running etcd on loopback (nothing is started for you).",
    };
    private static readonly Option<string?> UrlOption = new("--url")
    {
        Description = "Benchmark a running server at this https:// URL on loopback instead of starting one.",
    };
    private static readonly Option<string?> TokenOption = new("--token")
    {
        Description = "The bearer token for --url.",
    };
    private static readonly Option<string?> CaFileOption = new("--ca-file")
    {
        Description = "The CA (PEM) that --url's serving certificate chains to; default: the system's roots.",
    };
    private static readonly Option<string?> ServerDllOption = new("--server-dll")
    {
        Description = "The kube-apiserver.dll to start as a child process; default: the one beside this harness.",
    };
    private static readonly Option<int> ObjectsOption = new("--objects")
    {
        Description = "ConfigMaps per namespace: the count of creates, gets, updates and mixed operations, and the size of each list.",
        DefaultValueFactory = _ => 2000,
    };
    private static readonly Option<string> ConcurrencyOption = new("--concurrency")
    {
        Description = "Comma-separated client concurrencies; every phase but watch runs once per value.",
        DefaultValueFactory = _ => "1,16,64",
    };
    private static readonly Option<int> ObjectSizeOption = new("--object-size")
    {
        Description = "The size in bytes of each ConfigMap as the client sends it.",
        DefaultValueFactory = _ => 1024,
    };
    private static readonly Option<int> WatchersOption = new("--watchers")
    {
        Description = "Concurrent watches in the watch fan-out phase.",
        DefaultValueFactory = _ => 100,
    };
    private static readonly Option<int> EventsOption = new("--events")
    {
        Description = "Creates made while the watchers watch.",
        DefaultValueFactory = _ => 500,
    };
    private static readonly Option<int> EventRateOption = new("--event-rate")
    {
        Description = "Creates per second in the watch phase (0: as fast as one writer can).",
        DefaultValueFactory = _ => 100,
    };
    private static readonly Option<string> PhasesOption = new("--phases")
    {
        Description = "Comma-separated phases: " + string.Join(',', AllPhases) + ".",
        DefaultValueFactory = _ => string.Join(',', AllPhases),
    };
    private static readonly Option<int> DurationLimitOption = new("--duration-limit")
    {
        Description = "Seconds after which any one phase stops, finished or not.",
        DefaultValueFactory = _ => 60,
    };
    private static readonly Option<bool> Http2Option = new("--http2")
    {
        Description = "Speak HTTP/2, as client-go does: concurrent requests and watches share connections (100 streams each on Kestrel and kube-apiserver) instead of one HTTP/1.1 connection each.",
    };
    private static readonly Option<string> BaselinesOption = new("--baselines")
    {
        Description = "Comma-separated baselines run beside each phase: storage (the backend without HTTP), kestrel (bare Kestrel with a fixed object); none for neither.",
        DefaultValueFactory = _ => string.Join(',', AllBaselines),
    };

    public string Backend { get; init; } = "sqlite";
    public IReadOnlyList<string> EtcdServers { get; init; } = [];
    public string? Url { get; init; }
    public string? Token { get; init; }
    public string? CaFile { get; init; }
    public string? ServerDll { get; init; }
    public int Objects { get; init; } = 2000;
    public IReadOnlyList<int> Concurrency { get; init; } = [1, 16, 64];
    public int ObjectSize { get; init; } = 1024;
    public int Watchers { get; init; } = 100;
    public int Events { get; init; } = 500;
    public int EventRate { get; init; } = 100;
    public IReadOnlySet<string> Phases { get; init; } = AllPhases.ToHashSet();
    public TimeSpan DurationLimit { get; init; } = TimeSpan.FromSeconds(60);
    public IReadOnlySet<string> Baselines { get; init; } = AllBaselines.ToHashSet();
    public bool Http2 { get; init; }

    /// <summary>The running server to load, once <see cref="Validate"/> has passed; null starts one.</summary>
    public Uri? TargetUrl => Url is null ? null : new Uri(Url);

    /// <summary>Whether the objects live in etcd.</summary>
    public bool UsesEtcd => Backend == "etcd";

    public static void AddTo(Command command)
    {
        foreach (var option in new Option[]
        {
            BackendOption, EtcdServersOption, UrlOption, TokenOption, CaFileOption, ServerDllOption, ObjectsOption,
            ConcurrencyOption, ObjectSizeOption, WatchersOption, EventsOption, EventRateOption, PhasesOption,
            DurationLimitOption, BaselinesOption, Http2Option,
        })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Reads the flags; malformed values are reported by <see cref="Validate"/> rather than thrown.</summary>
    public static BenchOptions Read(ParseResult result)
    {
        return new BenchOptions
        {
            Backend = result.GetValue(BackendOption)!.Trim().ToLowerInvariant(),
            EtcdServers = List(result.GetValue(EtcdServersOption)),
            Url = result.GetValue(UrlOption),
            Token = result.GetValue(TokenOption),
            CaFile = result.GetValue(CaFileOption),
            ServerDll = result.GetValue(ServerDllOption),
            Objects = result.GetValue(ObjectsOption),
            Concurrency = [.. List(result.GetValue(ConcurrencyOption)).Select(c => int.TryParse(c, out var n) ? n : -1)],
            ObjectSize = result.GetValue(ObjectSizeOption),
            Watchers = result.GetValue(WatchersOption),
            Events = result.GetValue(EventsOption),
            EventRate = result.GetValue(EventRateOption),
            Phases = List(result.GetValue(PhasesOption)).Select(p => p.ToLowerInvariant()).ToHashSet(),
            DurationLimit = TimeSpan.FromSeconds(result.GetValue(DurationLimitOption)),
            Baselines = List(result.GetValue(BaselinesOption)).Select(b => b.ToLowerInvariant()).Where(b => b != "none").ToHashSet(),
            Http2 = result.GetValue(Http2Option),
        };
    }

    /// <summary>Every problem with the options, all at once; the loopback rule among them.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Backend is not ("sqlite" or "etcd"))
        {
            problems.Add($"--backend \"{Backend}\" must be sqlite or etcd");
        }
        if (UsesEtcd && EtcdServers.Count == 0)
        {
            problems.Add("--backend etcd needs --etcd-servers (the harness starts no etcd)");
        }
        if (!UsesEtcd && EtcdServers.Count > 0)
        {
            problems.Add("--etcd-servers needs --backend etcd");
        }
        foreach (var endpoint in EtcdServers)
        {
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme != "http")
            {
                problems.Add($"etcd endpoint \"{endpoint}\" must be an http:// URL (the harness has no etcd TLS flags)");
            }
            else if (!Loopback.IsLoopback(uri))
            {
                problems.Add($"refusing etcd endpoint \"{endpoint}\": the harness only loads loopback targets (127.0.0.0/8, ::1, localhost)");
            }
        }
        if (Url is not null)
        {
            if (!Uri.TryCreate(Url, UriKind.Absolute, out var url) || url.Scheme != "https")
            {
                problems.Add($"--url \"{Url}\" must be an https:// URL");
            }
            else if (!Loopback.IsLoopback(url))
            {
                problems.Add($"refusing --url \"{url}\": the harness only loads loopback targets (127.0.0.0/8, ::1, localhost)");
            }
            if (string.IsNullOrEmpty(Token))
            {
                problems.Add("--url needs --token");
            }
        }
        else if (Token is not null || CaFile is not null)
        {
            problems.Add("--token and --ca-file go with --url");
        }
        if (CaFile is not null && !File.Exists(CaFile))
        {
            problems.Add($"--ca-file \"{CaFile}\" does not exist");
        }
        Positive(Objects, "--objects");
        Positive(ObjectSize, "--object-size");
        Positive(Watchers, "--watchers");
        Positive(Events, "--events");
        Positive((int)DurationLimit.TotalSeconds, "--duration-limit");
        if (EventRate < 0)
        {
            problems.Add("--event-rate must not be negative");
        }
        if (Concurrency.Count == 0 || Concurrency.Any(c => c <= 0))
        {
            problems.Add("--concurrency must be a comma-separated list of positive integers");
        }
        problems.AddRange(Phases.Except(AllPhases).Select(p => $"unknown phase \"{p}\" (phases: {string.Join(',', AllPhases)})"));
        problems.AddRange(Baselines.Except(AllBaselines).Select(b => $"unknown baseline \"{b}\" (baselines: {string.Join(',', AllBaselines)}, none)"));
        return problems;

        void Positive(int value, string flag)
        {
            if (value <= 0)
            {
                problems.Add($"{flag} must be positive");
            }
        }
    }

    private static List<string> List(string? text) =>
        [.. (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
