using Apiserver.Bench.Report;
using Apiserver.Bench.Servers;
using Apiserver.Bench.Targets;

namespace Apiserver.Bench.Running;

/// <summary>
/// The phases, in order, for each concurrency: each runs on the server first (metered), then on
/// every baseline, and prints one line. Every target keeps its own objects, in its own namespaces
/// (<c>bench-&lt;run&gt;-c&lt;concurrency&gt;</c>), so each phase finds what the one before left.
/// </summary>
internal sealed class BenchRun(BenchOptions options, ConfigMaps objects, IBenchTarget server, ProcessMeter? meter, IReadOnlyList<IBenchTarget> baselines, TextWriter output)
{
    /// <summary>The server's RSS and the objects it held once warmed up: where the memory phase measures growth from.</summary>
    private (long? Rss, int Objects) _warmedUp;

    /// <summary>Objects per page in the paginated list.</summary>
    public const int PageSize = 500;

    /// <summary>Objects in the small namespace the mixed phase lists.</summary>
    public const int SmallNamespaceObjects = 50;

    private static readonly string[] ClosedLoopPhases = ["create", "get", "get-cached", "update", "list", "paginated-list", "mixed"];

    private readonly string _runId = Convert.ToHexString(Guid.NewGuid().ToByteArray()[..3]).ToLowerInvariant();
    private readonly Dictionary<(IBenchTarget, string), Population> _populations = [];

    private IEnumerable<IBenchTarget> Targets => [server, .. baselines];

    private string SmallNamespace => $"bench-{_runId}-small";

    /// <summary>The namespaces the run created, for a server that outlives it.</summary>
    public IEnumerable<string> Namespaces => _populations.Keys.Select(k => k.Item2).Distinct();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        foreach (var target in Targets)
        {
            await WarmUpAsync(target, cancellationToken);
        }
        _warmedUp = (meter?.RssBytes, HeldByServer);
        foreach (var concurrency in options.Concurrency)
        {
            foreach (var phase in ClosedLoopPhases.Where(options.Phases.Contains))
            {
                await RunPhaseAsync(phase, concurrency, cancellationToken);
            }
        }
        if (options.Phases.Contains("memory"))
        {
            await RunMemoryAsync(cancellationToken);
        }
        if (options.Phases.Contains("watch"))
        {
            await RunWatchAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Memory per object: the watch cache's heap per object, measured in this process, beside the
    /// server's RSS growth since the warm-up over the objects the run has added since.
    /// </summary>
    private async Task RunMemoryAsync(CancellationToken cancellationToken)
    {
        var footprint = await CacheFootprint.MeasureAsync(options.Objects, objects, cancellationToken);
        var added = HeldByServer - _warmedUp.Objects;
        var growth = meter is null || _warmedUp.Rss is not { } warm || added <= 0 ? (long?)null : meter.RssBytes - warm;
        await output.WriteLineAsync(ResultLine.FormatMemory(footprint, added, growth));
    }

    /// <summary>The objects the run has created on the server.</summary>
    private int HeldByServer => _populations.Where(p => p.Key.Item1 == server).Sum(p => p.Value.Count);

    private async Task RunPhaseAsync(string phase, int concurrency, CancellationToken cancellationToken)
    {
        var ns = $"bench-{_runId}-c{concurrency}";
        // Lists are big: as many as two per worker, at least 10.
        var count = phase is "list" or "paginated-list" ? Math.Max(10, 2 * concurrency) : options.Objects;
        var results = new List<Measurement>();
        ServerUsage? usage = null;
        foreach (var target in Targets)
        {
            var population = await PopulationAsync(target, ns, fill: phase != "create", cancellationToken);
            if (phase == "mixed")
            {
                await PopulationAsync(target, SmallNamespace, fill: true, cancellationToken);
            }
            await target.WarmUpAsync(ns, concurrency, cancellationToken);
            GC.Collect(); // Keep the harness's garbage from the last phase out of this one.
            var stop = StartMetering(target);
            results.Add(await ClosedLoop.RunAsync(
                target.Name, count, concurrency, options.DurationLimit, Operation(phase, ns, target, population), cancellationToken));
            usage ??= stop();
        }
        await output.WriteLineAsync(ResultLine.Format(phase, concurrency, results[0], usage, results.Skip(1)));
    }

    private async Task RunWatchAsync(CancellationToken cancellationToken)
    {
        var ns = $"bench-{_runId}-watch";
        var results = new List<Measurement>();
        ServerUsage? usage = null;
        foreach (var target in Targets)
        {
            await PopulationAsync(target, ns, fill: false, cancellationToken);
            GC.Collect();
            Func<ServerUsage?> stop = () => null;
            results.Add(await WatchFanout.RunAsync(
                target, ns, options.Watchers, options.Events, options.EventRate, options.DurationLimit,
                onWritesStarting: () => stop = StartMetering(target), cancellationToken));
            usage ??= stop();
        }
        await output.WriteLineAsync(ResultLine.FormatWatch(options.Watchers, options.Events, results[0], usage, results.Skip(1)));
    }

    /// <summary>
    /// A short untimed load of every kind before the first phase, so that neither the server nor the
    /// harness (client and in-process baselines) is measured while the JIT compiles its hot paths.
    /// </summary>
    private async Task WarmUpAsync(IBenchTarget target, CancellationToken cancellationToken)
    {
        const int objects = 200, concurrency = 4;
        var ns = $"bench-{_runId}-warmup";
        var population = await PopulationAsync(target, ns, fill: false, cancellationToken);
        await target.WarmUpAsync(ns, concurrency, cancellationToken);
        foreach (var (phase, count) in new[] { ("create", objects), ("get", objects), ("update", objects), ("list", 10), ("paginated-list", 10) })
        {
            await ClosedLoop.RunAsync(target.Name, count, concurrency, options.DurationLimit, Operation(phase, ns, target, population), cancellationToken);
        }
    }

    /// <summary>Operation <c>i</c> of a phase on <paramref name="target"/>'s objects in <paramref name="ns"/>.</summary>
    private Func<int, CancellationToken, Task<long>> Operation(string phase, string ns, IBenchTarget target, Population population) =>
        phase switch
        {
            "create" => async (i, ct) =>
            {
                await target.CreateAsync(ns, ConfigMaps.Name(i), ct);
                population.Created(i);
                return 0;
            },
            "get" or "get-cached" => async (i, ct) =>
            {
                await target.GetAsync(ns, ConfigMaps.Name(population.Pick(i)), cached: phase == "get-cached", ct);
                return 0;
            },
            "update" => async (i, ct) =>
            {
                await UpdateAsync(target, ns, population, i, ct);
                return 0;
            },
            "list" => (_, ct) => target.ListAsync(ns, ct),
            "paginated-list" => (_, ct) => target.ListPagedAsync(ns, PageSize, ct),
            "mixed" => async (i, ct) =>
            {
                // 70% get, 20% update, 10% list of a small namespace, spread evenly over the run.
                switch (i * 37 % 100)
                {
                    case < 70:
                        await target.GetAsync(ns, ConfigMaps.Name(population.Pick(i)), cached: false, ct);
                        break;
                    case < 90:
                        await UpdateAsync(target, ns, population, i, ct);
                        break;
                    default:
                        await target.ListAsync(SmallNamespace, ct);
                        break;
                }
                return 0;
            },
            _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, "not a closed-loop phase"),
        };

    private static Task UpdateAsync(IBenchTarget target, string ns, Population population, int i, CancellationToken cancellationToken)
    {
        var index = population.Pick(i);
        return target.UpdateAsync(ns, ConfigMaps.Name(index), population.NextVariant(index), cancellationToken);
    }

    /// <summary>
    /// Starts measuring the server process when <paramref name="target"/> is the server (and runs
    /// here); the function returned ends the measurement (null for any other target).
    /// </summary>
    private Func<ServerUsage?> StartMetering(IBenchTarget target)
    {
        if (target != server || meter is null)
        {
            return () => null;
        }
        meter.ResetPeak();
        var before = meter.CpuTime;
        return () => new ServerUsage(meter.CpuTime - before, meter.RssBytes, meter.PeakRssBytes);
    }

    /// <summary>
    /// The target's objects in <paramref name="ns"/>, creating the namespace on first use; with
    /// <paramref name="fill"/>, fills an empty one first (untimed), for a phase that needs objects
    /// when the create phase did not run.
    /// </summary>
    private async Task<Population> PopulationAsync(IBenchTarget target, string ns, bool fill, CancellationToken cancellationToken)
    {
        if (!_populations.TryGetValue((target, ns), out var population))
        {
            await target.PrepareNamespaceAsync(ns, cancellationToken);
            var size = ns == SmallNamespace ? SmallNamespaceObjects : options.Objects;
            _populations[(target, ns)] = population = new Population(size);
        }
        if (fill && population.Count == 0)
        {
            var filled = await ClosedLoop.RunAsync(
                target.Name, population.Capacity, 16, options.DurationLimit, Operation("create", ns, target, population), cancellationToken);
            if (filled.Errors > 0)
            {
                await output.WriteLineAsync($"# filling {ns} on {target.Name}: {filled.Errors} errors, first: {filled.FirstError}");
            }
        }
        return population;
    }
}
