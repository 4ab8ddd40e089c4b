using System.Text.Json;
using System.Text.Json.Nodes;
using Apiserver.Generic.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Apiserver.Kube.Authorization;

/// <summary>
/// The RBAC objects held in memory (kube's informers): lists the four resources once, at one
/// revision, then follows a watch of each from that revision; the first decision after a change
/// builds a new <see cref="RbacPolicy"/> snapshot (once for a burst of changes, such as a first
/// start's bootstrap policy), so decisions never read storage. When a
/// watch fails (the revision was compacted, the store restarted) everything is listed again.
/// Started by the first <see cref="GetPolicyAsync"/>; stopped by disposal.
/// </summary>
public sealed partial class RbacPolicyCache : IAsyncDisposable
{
    private static readonly string[] Resources = ["clusterroles", "roles", "clusterrolebindings", "rolebindings"];

    private readonly IStorage _storage;
    private readonly string _prefix;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    // Per resource, the objects by key; only the run loop writes them, under the lock.
    private readonly Dictionary<string, JsonObject>[] _objects = [.. Resources.Select(_ => new Dictionary<string, JsonObject>())];
    private Task? _run;
    private volatile RbacPolicy _policy = RbacPolicy.Empty;
    // Set by the watch (under the lock) when _objects changed after _policy was built.
    private volatile bool _stale;

    /// <summary>Creates the cache over <paramref name="storage"/>, whose keys start with <paramref name="prefix"/>.</summary>
    public RbacPolicyCache(IStorage storage, string prefix = "/registry", ILogger? logger = null)
    {
        _storage = storage;
        _prefix = prefix.TrimEnd('/');
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The revision the snapshot a decision reads reflects (0 before the first list).</summary>
    public long Revision { get; private set; }

    /// <summary>The current snapshot, once the first list has completed.</summary>
    public async ValueTask<RbacPolicy> GetPolicyAsync(CancellationToken cancellationToken)
    {
        if (_run is null)
        {
            lock (_lock)
            {
                _run ??= Task.Run(() => RunAsync(_stop.Token));
            }
        }
        if (!_synced.Task.IsCompleted)
        {
            await _synced.Task.WaitAsync(cancellationToken);
        }
        if (_stale)
        {
            lock (_lock)
            {
                if (_stale)
                {
                    Publish(Revision);
                }
            }
        }
        return _policy;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_run is { } run)
        {
            try
            {
                await run;
            }
            catch (OperationCanceledException)
            {
            }
        }
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            using var round = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            try
            {
                var revision = await ListAsync(cancellationToken);
                _synced.TrySetResult();
                // One watch per resource, all from the listed revision; the first to fail ends the round.
                var watches = Enumerable.Range(0, Resources.Length).Select(i => WatchAsync(i, revision, round.Token)).ToList();
                var failed = await Task.WhenAny(watches);
                await round.CancelAsync();
                // Let the others finish (cancelled, or failed the same way) before the first failure is reported.
                await Task.WhenAll(watches).ContinueWith(_ => { }, TaskScheduler.Default);
                await failed;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.Relisting(_logger, e);
            }
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Lists every resource at one revision and publishes the snapshot; returns the revision.</summary>
    private async Task<long> ListAsync(CancellationToken cancellationToken)
    {
        var revision = await _storage.GetCurrentRevisionAsync(cancellationToken);
        var lists = new List<Dictionary<string, JsonObject>>();
        foreach (var resource in Resources)
        {
            var items = new Dictionary<string, JsonObject>();
            string? after = null;
            while (true)
            {
                var page = await _storage.ListAsync(PrefixOf(resource), new ListOptions(revision, 500, after), cancellationToken);
                foreach (var kv in page.Items)
                {
                    if (Decode(kv.Value) is { } obj)
                    {
                        items[kv.Key] = obj;
                    }
                }
                if (!page.HasMore || page.Items.Count == 0)
                {
                    break;
                }
                after = page.Items[^1].Key;
            }
            lists.Add(items);
        }
        lock (_lock)
        {
            for (var i = 0; i < Resources.Length; i++)
            {
                _objects[i].Clear();
                foreach (var (key, obj) in lists[i])
                {
                    _objects[i][key] = obj;
                }
            }
            Publish(revision);
        }
        return revision;
    }

    private async Task WatchAsync(int resource, long revision, CancellationToken cancellationToken)
    {
        await foreach (var e in _storage.WatchAsync(PrefixOf(Resources[resource]), revision, cancellationToken: cancellationToken))
        {
            lock (_lock)
            {
                if (e.Type == WatchEventType.Deleted)
                {
                    _objects[resource].Remove(e.Key);
                }
                else if (e.Type != WatchEventType.Progress && Decode(e.Value) is { } obj)
                {
                    _objects[resource][e.Key] = obj;
                }
                if (e.Type != WatchEventType.Progress)
                {
                    Revision = Math.Max(Revision, e.Revision);
                    _stale = true;
                }
            }
        }
        throw new InvalidOperationException($"the watch of {Resources[resource]} ended");
    }

    /// <summary>Rebuilds the snapshot from the objects; called under the lock.</summary>
    private void Publish(long revision)
    {
        _policy = new RbacPolicy(_objects[0].Values, _objects[1].Values, _objects[2].Values, _objects[3].Values);
        Revision = revision;
        _stale = false;
    }

    private string PrefixOf(string resource) => $"{_prefix}/{resource}/";

    private static JsonObject? Decode(ReadOnlyMemory<byte> value)
    {
        try
        {
            return JsonNode.Parse(value.Span) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "The RBAC cache lost its watch; listing again")]
        public static partial void Relisting(ILogger logger, Exception exception);
    }
}
