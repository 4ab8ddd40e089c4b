using System.Diagnostics;
using System.Text;
using Apiserver.Generic.Storage;
using Apiserver.Generic.Storage.Etcd3;
using Apiserver.Tests.Shared;
using NUnit.Framework;

namespace Apiserver.Generic.Tests.Storage.Etcd3;

/// <summary>What only a networked store shows: members that crash and come back, quorum loss, compaction while a watch is away.</summary>
[TestFixture]
[Category("Etcd")]
public sealed class Etcd3StorageResilienceTests
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(2);
    private CancellationTokenSource _timeout = null!;

    private CancellationToken Ct => _timeout.Token;

    [SetUp]
    public void SetUp() => _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

    [TearDown]
    public void TearDown() => _timeout.Dispose();

    [Test]
    public async Task Watch_MemberRestarted_ResumesWithoutLostOrRepeatedEvents()
    {
        await using var etcd = await EtcdCluster.StartAsync();
        await using var storage = Open(etcd);
        var start = await storage.GetCurrentRevisionAsync(Ct);
        await using var watch = new WatchReader(storage, "/r/", start, progressNotify: false, Ct);
        var written = new List<long>();
        var a = await storage.CreateAsync("/r/a", Bytes("a1"), Ct);
        written.Add(a.ModRevision);
        written.Add((await storage.UpdateAsync("/r/a", a.ModRevision, Bytes("a2"), Ct)).ModRevision);
        written.Add((await storage.CreateAsync("/r/b", Bytes("b1"), Ct)).ModRevision);
        var before = await watch.TakeAsync(3, EventTimeout);

        await etcd.StopAsync(0);
        await etcd.RestartAsync(0);
        // Written while the watch is still reconnecting: it must pick them up from its resume point.
        written.Add((await storage.DeleteAsync("/r/a", null, Ct)).ModRevision);
        for (var i = 0; i < 4; i++)
        {
            written.Add((await storage.CreateAsync($"/r/c{i}", Bytes("c"), Ct)).ModRevision);
        }

        var after = await watch.TakeAsync(5, EventTimeout);

        Assert.That(before.Concat(after).Select(e => e.Revision), Is.EqualTo(written));
        Assert.That(after[0].Type, Is.EqualTo(WatchEventType.Deleted));
        Assert.That(Encoding.UTF8.GetString(after[0].Value.Span), Is.EqualTo("a2"));
        await watch.AssertNoMoreChangesAsync(TimeSpan.FromMilliseconds(300));
        // Acknowledged writes survived the crash (etcd was killed, not stopped).
        Assert.That(await storage.CountAsync("/r/", Ct), Is.EqualTo(5));
    }

    [Test]
    public async Task Watch_CompactedWhileDisconnected_ThrowsCompacted()
    {
        await using var etcd = await EtcdCluster.StartAsync();
        await using var storage = Open(etcd);
        var start = await storage.GetCurrentRevisionAsync(Ct);
        await using var watch = new WatchReader(storage, "/k/", start, progressNotify: false, Ct);
        var a = await storage.CreateAsync("/k/a", Bytes("1"), Ct);
        await watch.TakeAsync(1, EventTimeout);

        // The watch is idle (nobody reads it), so it only notices the broken stream on the next read.
        await etcd.StopAsync(0);
        await etcd.RestartAsync(0);
        var a2 = await storage.UpdateAsync("/k/a", a.ModRevision, Bytes("2"), Ct);
        var a3 = await storage.UpdateAsync("/k/a", a2.ModRevision, Bytes("3"), Ct);
        await storage.CompactAsync(a3.ModRevision, Ct);

        var ex = Assert.ThrowsAsync<StorageException>(async () => await watch.NextAsync(EventTimeout));
        Assert.That(ex!.Code, Is.EqualTo(StorageErrorCode.Compacted));
        Assert.That(ex.CompactedRevision, Is.EqualTo(a3.ModRevision));
    }

    [Test]
    public async Task ThreeMembers_OneThenTwoStopped_ContinuesThenFailsFastThenRecovers()
    {
        await using var etcd = await EtcdCluster.StartAsync(size: 3);
        await using var storage = Open(etcd);
        var start = await storage.GetCurrentRevisionAsync(Ct);
        await using var watch = new WatchReader(storage, "/q/", start, progressNotify: false, Ct);
        var acknowledged = new List<KeyValue>();
        for (var i = 0; i < 10; i++)
        {
            acknowledged.Add(await storage.CreateAsync($"/q/before-{i:D2}", Bytes("x"), Ct));
        }

        // One member down: the other two are a quorum, and the store keeps working. (Had the member been
        // the leader, a write during the election may time out, as with any etcd client: that write's
        // outcome is unknown, so it is not retried; wait for the new leader instead.)
        await etcd.StopAsync(0);
        await etcd.WaitHealthyAsync(1);
        for (var i = 0; i < 10; i++)
        {
            acknowledged.Add(await storage.CreateAsync($"/q/one-down-{i:D2}", Bytes("x"), Ct));
        }

        var seen = await watch.TakeAsync(20, EventTimeout);
        Assert.That(seen.Select(e => e.Revision), Is.EqualTo(acknowledged.Select(kv => kv.ModRevision)));

        // Two down: no quorum. Requests fail with Unavailable within the timeout instead of hanging.
        await etcd.StopAsync(1);
        var clock = Stopwatch.StartNew();
        var write = Assert.ThrowsAsync<StorageException>(async () => await storage.CreateAsync("/q/ambiguous", Bytes("x"), Ct));
        Assert.That(write!.Code, Is.EqualTo(StorageErrorCode.Unavailable));
        var read = Assert.ThrowsAsync<StorageException>(async () => await storage.GetAsync("/q/before-00", Ct));
        Assert.That(read!.Code, Is.EqualTo(StorageErrorCode.Unavailable));
        // Two requests, each bounded by the request timeout: they fail, they do not hang (slack for a loaded machine).
        Assert.That(clock.Elapsed, Is.LessThan((2 * RequestTimeout) + TimeSpan.FromSeconds(5)));
        Assert.That(await storage.CheckHealthAsync(Ct), Is.Not.Null);

        // Both back: the same store serves again, and nothing acknowledged was lost.
        await Task.WhenAll(etcd.RestartAsync(0, waitHealthy: false), etcd.RestartAsync(1, waitHealthy: false));
        await etcd.WaitHealthyAsync(0);
        var attempt = 0;
        acknowledged.Add(await EventuallyAsync(() => storage.CreateAsync($"/q/after-{attempt++}", Bytes("x"), Ct).AsTask()));
        // The restarted members may still be catching up for a moment; the check turns healthy soon after.
        var healthy = await EventuallyAsync(async () =>
            await storage.CheckHealthAsync(Ct) is { } problem ? throw new StorageException(StorageErrorCode.Unavailable, "", problem) : "ok");
        Assert.That(healthy, Is.EqualTo("ok"));

        // Writes that failed may or may not have been committed (they were never acknowledged); every
        // acknowledged one must arrive, after the earlier ones and once.
        var rest = await watch.TakeAsync(1, EventTimeout);
        while (rest[0].Revision != acknowledged[^1].ModRevision)
        {
            Assert.That(rest[0].Key, Does.Match("^/q/(ambiguous|after-[0-9]+)$"));
            Assert.That(rest[0].Revision, Is.LessThan(acknowledged[^1].ModRevision));
            rest = await watch.TakeAsync(1, EventTimeout);
        }

        await watch.AssertNoMoreChangesAsync(TimeSpan.FromMilliseconds(300));
        // Right after recovery a read may still meet a slow member; it is retried, bounded, like the writes above.
        var all = await EventuallyAsync(() => storage.ListAsync("/q/", new ListOptions(), Ct).AsTask());
        Assert.That(acknowledged.Select(kv => kv.Key), Is.SubsetOf(all.Items.Select(kv => kv.Key)));
    }

    [Test]
    public async Task Request_EtcdDown_FailsWithUnavailableWithinTimeout()
    {
        await using var etcd = await EtcdCluster.StartAsync();
        await using var storage = Open(etcd);
        await storage.CreateAsync("/d/a", Bytes("x"), Ct);
        await etcd.StopAsync(0);

        var clock = Stopwatch.StartNew();
        var ex = Assert.ThrowsAsync<StorageException>(async () => await storage.ListAsync("/d/", new ListOptions(), Ct));

        Assert.That(ex!.Code, Is.EqualTo(StorageErrorCode.Unavailable));
        Assert.That(clock.Elapsed, Is.LessThan(RequestTimeout + TimeSpan.FromSeconds(2)));
        await etcd.RestartAsync(0);
        var list = await EventuallyAsync(() => storage.ListAsync("/d/", new ListOptions(), Ct).AsTask());
        Assert.That(list.Items.Select(i => i.Key), Is.EqualTo(new[] { "/d/a" }));
    }

    [Test]
    public async Task Watch_EtcdProgressNotification_AdvancesPastOtherPrefixesWrites()
    {
        await using var etcd = await EtcdCluster.StartAsync(progressNotifyInterval: TimeSpan.FromMilliseconds(300));
        await using var storage = Open(etcd);
        var mine = await storage.CreateAsync("/w/a", Bytes("x"), Ct);
        await using var watch = new WatchReader(storage, "/w/", mine.ModRevision, progressNotify: true, Ct);
        var other = await storage.CreateAsync("/elsewhere/b", Bytes("y"), Ct);

        // The client's own idle progress events stay at the last change on /w/; etcd's notification for
        // this watcher proves it has seen everything up to the later write elsewhere.
        var deadline = DateTime.UtcNow + EventTimeout;
        WatchEvent? progress = null;
        while (DateTime.UtcNow < deadline && !(progress?.Revision >= other.ModRevision))
        {
            var next = await watch.NextAsync(TimeSpan.FromSeconds(1));
            if (next is not null)
            {
                Assert.That(next.Type, Is.EqualTo(WatchEventType.Progress));
                Assert.That(next.Revision, Is.GreaterThanOrEqualTo(mine.ModRevision));
                progress = next;
            }
        }

        Assert.That(progress?.Revision, Is.EqualTo(other.ModRevision));
    }

    [Test]
    public async Task AutomaticCompaction_CompactsToRevisionSeenAtPreviousTick()
    {
        await using var etcd = await EtcdCluster.StartAsync();
        await using var storage = Etcd3Storage.Open(new Etcd3StorageOptions
        {
            Endpoints = etcd.ClientUrls,
            RequestTimeout = RequestTimeout,
            CompactionInterval = TimeSpan.FromMilliseconds(200),
        });
        var kv = await storage.CreateAsync("/k", Bytes("0"), Ct);
        for (var i = 1; i <= 5; i++)
        {
            kv = await storage.UpdateAsync("/k", kv.ModRevision, Bytes(i.ToString()), Ct);
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (await storage.GetCompactedRevisionAsync(Ct) < kv.ModRevision && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, Ct);
        }

        Assert.That(await storage.GetCompactedRevisionAsync(Ct), Is.GreaterThanOrEqualTo(kv.ModRevision));
        Assert.That(Encoding.UTF8.GetString((await storage.GetAsync("/k", Ct))!.Value.Span), Is.EqualTo("5"));
    }

    private static Etcd3Storage Open(EtcdCluster etcd) =>
        Etcd3Storage.Open(new Etcd3StorageOptions { Endpoints = etcd.ClientUrls, RequestTimeout = RequestTimeout });

    private static ReadOnlyMemory<byte> Bytes(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Retries <paramref name="action"/> while the store is Unavailable (a client's retry), for at most 20 seconds.</summary>
    private async Task<T> EventuallyAsync<T>(Func<Task<T>> action)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            try
            {
                return await action();
            }
            catch (StorageException ex) when (ex.Code == StorageErrorCode.Unavailable && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, Ct);
            }
        }
    }
}
