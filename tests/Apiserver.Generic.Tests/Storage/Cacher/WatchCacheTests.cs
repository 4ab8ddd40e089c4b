using System.Text;
using Apiserver.Generic.Storage;
using Apiserver.Generic.Storage.Cacher;
using Apiserver.Generic.Storage.Sqlite;
using NUnit.Framework;

namespace Apiserver.Generic.Tests.Storage.Cacher;

/// <summary>What the watch cache adds to the storage contract: its window, slow watchers, routing by resource.</summary>
public sealed class WatchCacheTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private string _directory = "";
    private CancellationTokenSource _timeout = null!;
    private CancellationToken Ct => _timeout.Token;

    [SetUp]
    public void SetUp()
    {
        _directory = Path.Combine(Path.GetTempPath(), "watch-cache-" + Guid.NewGuid().ToString("N"));
        _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
    }

    [TearDown]
    public void TearDown()
    {
        _timeout.Dispose();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private async Task<WatchCache> OpenAsync(WatchCacheOptions options, params string[] resources)
    {
        var backend = await SqliteStorage.OpenInDirectoryAsync(_directory, new SqliteStorageOptions(), Ct);
        var cache = new WatchCache(backend, "/registry/", options);
        foreach (var resource in resources)
        {
            cache.Register($"/registry/{resource}/", resource);
        }
        return cache;
    }

    private static ReadOnlyMemory<byte> Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Test]
    public async Task WatchFromBeforeTheWindow_FailsCompacted_WhileTheWindowStillServesNewerOnes()
    {
        await using var cache = await OpenAsync(new WatchCacheOptions { DefaultCapacity = 2, EventFreshDuration = TimeSpan.Zero }, "things");
        var first = await cache.CreateAsync("/registry/things/a", Bytes("1"), Ct);
        var kv = first;
        for (var i = 2; i <= 5; i++)
        {
            kv = await cache.UpdateAsync("/registry/things/a", kv.ModRevision, Bytes(i.ToString()), Ct);
        }
        await cache.GetAsync("/registry/things/a", Ct); // a consistent read: the cache has every event now

        var tooOld = Assert.ThrowsAsync<StorageException>(async () =>
        {
            await foreach (var _ in cache.WatchAsync("/registry/things/", first.ModRevision, cancellationToken: Ct))
            {
            }
        });
        Assert.That(tooOld!.Code, Is.EqualTo(StorageErrorCode.Compacted));

        var recent = new List<string>();
        await foreach (var e in cache.WatchAsync("/registry/things/", kv.ModRevision - 2, cancellationToken: Ct))
        {
            recent.Add(Encoding.UTF8.GetString(e.Value.Span));
            if (recent.Count == 2)
            {
                break;
            }
        }
        Assert.That(recent, Is.EqualTo(new[] { "4", "5" }));
    }

    [Test]
    public async Task ListsAtEveryRevisionOfTheWindow_AnswerThatRevisionsState_FromMemory()
    {
        // A window of 50 events, most of whose states are rebuilt from a kept one; the backend is
        // compacted afterwards, so only the cache can answer.
        var backend = await SqliteStorage.OpenInDirectoryAsync(_directory, new SqliteStorageOptions(), Ct);
        await using var cache = new WatchCache(backend, "/registry/", new WatchCacheOptions { DefaultCapacity = 50, EventFreshDuration = TimeSpan.Zero });
        cache.Register("/registry/things/", "things");
        var model = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var states = new Dictionary<long, string[]>();
        var revisions = new Dictionary<string, long>();
        var random = new Random(7);
        for (var i = 0; i < 300; i++)
        {
            var key = $"/registry/things/{random.Next(12):D2}";
            long revision;
            if (!model.ContainsKey(key))
            {
                revision = (await cache.CreateAsync(key, Bytes($"{i}"), Ct)).ModRevision;
                model[key] = $"{i}";
            }
            else if (random.Next(4) == 0)
            {
                await cache.DeleteAsync(key, revisions[key], Ct);
                revision = await cache.GetCurrentRevisionAsync(Ct);
                model.Remove(key);
            }
            else
            {
                revision = (await cache.UpdateAsync(key, revisions[key], Bytes($"{i}"), Ct)).ModRevision;
                model[key] = $"{i}";
            }
            revisions[key] = revision;
            states[revision] = [.. model.Select(e => $"{e.Key}={e.Value}")];
        }
        var last = await cache.GetCurrentRevisionAsync(Ct);
        await cache.GetAsync("/registry/things/00", Ct); // a consistent read: the cache has every event now
        await backend.CompactAsync(last, Ct);

        var checkedRevisions = 0;
        foreach (var (revision, expected) in states.Where(s => s.Key > last - 45))
        {
            var listed = await cache.ListAsync("/registry/things/", new ListOptions(Revision: revision), Ct);
            Assert.That(listed.Items.Select(kv => $"{kv.Key}={Encoding.UTF8.GetString(kv.Value.Span)}"), Is.EqualTo(expected), $"at revision {revision}");
            checkedRevisions++;
        }
        Assert.That(checkedRevisions, Is.GreaterThan(40));
    }

    [Test]
    public async Task WatcherThatFallsBehind_IsClosedAfterItsBuffer_AndOthersKeepGoing()
    {
        await using var cache = await OpenAsync(new WatchCacheOptions { WatcherBufferSize = 3 }, "things");
        var start = await cache.GetCurrentRevisionAsync(Ct);
        await using var slow = cache.WatchAsync("/registry/things/", start, cancellationToken: Ct).GetAsyncEnumerator(Ct);
        var slowStarted = slow.MoveNextAsync(); // registers, then waits for the first event
        await using var fast = cache.WatchAsync("/registry/things/", start, cancellationToken: Ct).GetAsyncEnumerator(Ct);
        var fastNext = fast.MoveNextAsync();

        var fastSeen = 0;
        for (var i = 0; i < 10; i++)
        {
            await cache.CreateAsync($"/registry/things/{i}", Bytes("x"), Ct);
            Assert.That(await fastNext.AsTask().WaitAsync(Wait, Ct), Is.True);
            fastSeen++;
            if (i < 9)
            {
                fastNext = fast.MoveNextAsync();
            }
        }

        var slowSeen = 0;
        if (await slowStarted)
        {
            slowSeen++;
            while (await slow.MoveNextAsync().AsTask().WaitAsync(Wait, Ct))
            {
                slowSeen++;
            }
        }
        Assert.That(fastSeen, Is.EqualTo(10));
        Assert.That(slowSeen, Is.LessThan(10).And.GreaterThanOrEqualTo(3), "the slow watcher got its buffer's worth, then its stream ended");
    }

    [Test]
    public async Task IdleWatcher_ProgressFollowsWritesToOtherResources()
    {
        await using var cache = await OpenAsync(new WatchCacheOptions { ProgressNotifyInterval = TimeSpan.FromMilliseconds(100) }, "quiet", "busy");
        var start = await cache.GetCurrentRevisionAsync(Ct);
        await using var quiet = cache.WatchAsync("/registry/quiet/", start, progressNotify: true, Ct).GetAsyncEnumerator(Ct);
        var written = await cache.CreateAsync("/registry/busy/x", Bytes("x"), Ct);

        long progress = 0;
        while (progress < written.ModRevision)
        {
            Assert.That(await quiet.MoveNextAsync().AsTask().WaitAsync(Wait, Ct), Is.True);
            Assert.That(quiet.Current.Type, Is.EqualTo(WatchEventType.Progress), "only progress: nothing was written to this resource");
            progress = quiet.Current.Revision;
        }
        Assert.That(progress, Is.EqualTo(written.ModRevision));
    }

    [Test]
    public async Task UncachedKeys_AndDisabledResources_ReadTheBackend()
    {
        var options = new WatchCacheOptions { Capacities = new Dictionary<string, int> { ["off"] = 0 } };
        await using var cache = await OpenAsync(options, "on");
        Assert.That(cache.Register("/registry/off/", "off"), Is.False);
        await cache.CreateAsync("/registry/on/a", Bytes("on"), Ct);
        await cache.CreateAsync("/registry/off/a", Bytes("off"), Ct);
        await cache.CreateAsync("/elsewhere/a", Bytes("elsewhere"), Ct);

        Assert.That(Encoding.UTF8.GetString((await cache.GetAsync("/registry/on/a", Ct))!.Value.Span), Is.EqualTo("on"));
        Assert.That(Encoding.UTF8.GetString((await cache.GetAsync("/registry/off/a", Ct))!.Value.Span), Is.EqualTo("off"));
        Assert.That((await cache.ListAsync("/elsewhere/", new ListOptions(), Ct)).Items, Has.Count.EqualTo(1));
        var above = await cache.ListAsync("/registry/", new ListOptions(), Ct);
        Assert.That(above.Items.Select(i => i.Key), Is.SupersetOf(new[] { "/registry/off/a", "/registry/on/a" }), "a prefix above every resource reads the backend");
    }

    [Test]
    public async Task ObjectsWrittenBeforeStart_AreLoaded_AndCreateRevisionsSurviveUpdates()
    {
        var backend = await SqliteStorage.OpenInDirectoryAsync(_directory, new SqliteStorageOptions(), Ct);
        var a = await backend.CreateAsync("/registry/things/a", Bytes("1"), Ct);
        await using var cache = new WatchCache(backend, "/registry/");
        cache.Register("/registry/things/", "things");

        var updated = await cache.UpdateAsync("/registry/things/a", a.ModRevision, Bytes("2"), Ct);
        var got = await cache.GetAsync("/registry/things/a", Ct);

        Assert.That(got, Is.Not.Null);
        Assert.That(got!.CreateRevision, Is.EqualTo(a.CreateRevision));
        Assert.That(got.ModRevision, Is.EqualTo(updated.ModRevision));
        Assert.That(Encoding.UTF8.GetString(got.Value.Span), Is.EqualTo("2"));
    }

    [Test]
    public async Task NotOlderThanReads_WaitForTheRevision_ThenAnswerFromMemory()
    {
        await using var cache = await OpenAsync(new WatchCacheOptions(), "things");
        for (var i = 0; i < 20; i++)
        {
            var written = await cache.CreateAsync($"/registry/things/{i:D2}", Bytes(i.ToString()), Ct);

            var got = await cache.GetNotOlderThanAsync(written.Key, written.ModRevision, Ct);
            var list = await cache.ListAsync("/registry/things/", new ListOptions(NotOlderThan: written.ModRevision), Ct);

            Assert.That(got?.ModRevision, Is.EqualTo(written.ModRevision));
            Assert.That(list.Revision, Is.GreaterThanOrEqualTo(written.ModRevision));
            Assert.That(list.Items, Has.Count.EqualTo(i + 1));
        }
    }

    [Test]
    public async Task WritesOutsideThePrefix_DoNotStallConsistentReads()
    {
        // A revision made outside the watched prefix never arrives through the watch; the cache
        // writes its progress key instead of waiting out the freshness timeout.
        await using var cache = await OpenAsync(new WatchCacheOptions { FreshnessTimeout = TimeSpan.FromSeconds(25) }, "things");
        await cache.CreateAsync("/registry/things/a", Bytes("a"), Ct);
        await cache.CreateAsync("/elsewhere/x", Bytes("x"), Ct);

        var read = System.Diagnostics.Stopwatch.StartNew();
        var list = await cache.ListAsync("/registry/things/", new ListOptions(), Ct);
        read.Stop();

        Assert.That(read.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)), "answered by the cache after its progress write, not by the timeout");
        Assert.That(list.Items.Select(i => i.Key), Is.EqualTo(new[] { "/registry/things/a" }), "the progress key is no resource's object");
        Assert.That(list.Revision, Is.GreaterThanOrEqualTo(await cache.GetCurrentRevisionAsync(Ct) - 1));
    }
}
