using System.Collections.Concurrent;
using System.Text;
using Apiserver.Generic.Storage;
using NUnit.Framework;

namespace Apiserver.Generic.Tests.Storage;

/// <summary>
/// The <see cref="IStorage"/> contract, run against every backend (and decorator): derive, and
/// return a fresh, empty store from <see cref="CreateStorageAsync"/>. Tests only observable
/// behaviour, never a backend's internals.
/// </summary>
public abstract class StorageConformanceTests
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(150);

    private CancellationTokenSource? _timeout;
    private IStorage? _storage;

    /// <summary>The store under test; derived fixtures may replace it (e.g. to reopen it).</summary>
    protected IStorage Storage
    {
        get => _storage ?? throw new InvalidOperationException("No store.");
        set => _storage = value;
    }

    /// <summary>Cancelled when the test overruns, so a broken backend cannot hang the run.</summary>
    protected CancellationToken Ct => _timeout!.Token;

    /// <summary>How long an idle watch with progress notification may take to yield a progress event.</summary>
    protected virtual TimeSpan ProgressNotifyTimeout => TimeSpan.FromSeconds(10);

    /// <summary>
    /// Whether reads and watches below the compacted revision fail. A backend's history ends at
    /// compaction; the watch cache's ends at its window instead (as kube-apiserver's does), and
    /// its own tests check that.
    /// </summary>
    protected virtual bool HistoryEndsAtCompaction => true;

    /// <summary>
    /// The revision a watch of a fresh store's whole history starts after: 0 for a backend; the
    /// revision the watch cache first listed at (etcd begins at revision 1) for the cache.
    /// </summary>
    protected virtual long HistoryStart => 0;

    /// <summary>Creates a fresh, empty store for one test.</summary>
    protected abstract Task<IStorage> CreateStorageAsync();

    /// <summary>Releases whatever <see cref="CreateStorageAsync"/> set up, after the store was disposed.</summary>
    protected virtual Task CleanupAsync() => Task.CompletedTask;

    [SetUp]
    public async Task SetUpStorageAsync()
    {
        _timeout = new CancellationTokenSource(TestTimeout);
        _storage = await CreateStorageAsync();
    }

    [TearDown]
    public async Task TearDownStorageAsync()
    {
        try
        {
            if (_storage is not null)
            {
                await _storage.DisposeAsync();
                _storage = null;
            }
        }
        finally
        {
            await CleanupAsync();
            _timeout?.Dispose();
        }
    }

    protected static ReadOnlyMemory<byte> Bytes(string text) => Encoding.UTF8.GetBytes(text);

    protected static string Text(ReadOnlyMemory<byte> value) => Encoding.UTF8.GetString(value.Span);

    protected static string? Text(ReadOnlyMemory<byte>? value) => value is { } v ? Text(v) : null;

    /// <summary>Runs <paramref name="action"/> and returns the <see cref="StorageException"/> with <paramref name="code"/> it must throw.</summary>
    protected static async Task<StorageException> ThrowsStorageAsync(StorageErrorCode code, Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (StorageException ex)
        {
            Assert.That(ex.Code, Is.EqualTo(code), ex.Message);
            return ex;
        }

        Assert.Fail($"Expected a StorageException with code {code}.");
        throw new InvalidOperationException("unreachable");
    }

    protected WatchReader Watch(string prefix, long afterRevision, bool progressNotify = false) =>
        new(Storage, prefix, afterRevision, progressNotify, Ct);

    // ---- Single-key operations -------------------------------------------------------------

    [Test]
    public async Task Create_ThenGet_ReturnsValueAndRevisions()
    {
        var created = await Storage.CreateAsync("/registry/pods/default/a", Bytes("v1"), Ct);

        var got = await Storage.GetAsync("/registry/pods/default/a", Ct);

        Assert.That(got, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(created.Key, Is.EqualTo("/registry/pods/default/a"));
            Assert.That(Text(created.Value), Is.EqualTo("v1"));
            Assert.That(created.ModRevision, Is.GreaterThan(0));
            Assert.That(created.CreateRevision, Is.EqualTo(created.ModRevision));
            Assert.That(got!.Key, Is.EqualTo(created.Key));
            Assert.That(Text(got.Value), Is.EqualTo("v1"));
            Assert.That(got.CreateRevision, Is.EqualTo(created.CreateRevision));
            Assert.That(got.ModRevision, Is.EqualTo(created.ModRevision));
        });
    }

    [Test]
    public async Task Get_MissingKey_ReturnsNull()
    {
        await Storage.CreateAsync("/a/other", Bytes("x"), Ct);

        Assert.That(await Storage.GetAsync("/a/missing", Ct), Is.Null);
    }

    [Test]
    public async Task Create_ExistingKey_ThrowsKeyExists()
    {
        await Storage.CreateAsync("/a/k", Bytes("v1"), Ct);

        var ex = await ThrowsStorageAsync(StorageErrorCode.KeyExists, async () => await Storage.CreateAsync("/a/k", Bytes("v2"), Ct));

        Assert.That(ex.Key, Is.EqualTo("/a/k"));
        Assert.That(Text((await Storage.GetAsync("/a/k", Ct))!.Value), Is.EqualTo("v1"));
    }

    [Test]
    public async Task Create_AfterDelete_StartsNewLifeWithNewCreateRevision()
    {
        var first = await Storage.CreateAsync("/a/k", Bytes("v1"), Ct);
        await Storage.DeleteAsync("/a/k", null, Ct);

        var second = await Storage.CreateAsync("/a/k", Bytes("v2"), Ct);

        Assert.That(second.CreateRevision, Is.GreaterThan(first.CreateRevision));
        Assert.That(second.ModRevision, Is.EqualTo(second.CreateRevision));
        Assert.That(Text((await Storage.GetAsync("/a/k", Ct))!.Value), Is.EqualTo("v2"));
    }

    [Test]
    public async Task Update_WithCurrentRevision_BumpsModRevisionAndKeepsCreateRevision()
    {
        var created = await Storage.CreateAsync("/a/k", Bytes("v1"), Ct);

        var updated = await Storage.UpdateAsync("/a/k", created.ModRevision, Bytes("v2"), Ct);
        var got = await Storage.GetAsync("/a/k", Ct);

        Assert.Multiple(() =>
        {
            Assert.That(updated.ModRevision, Is.GreaterThan(created.ModRevision));
            Assert.That(updated.CreateRevision, Is.EqualTo(created.CreateRevision));
            Assert.That(Text(updated.Value), Is.EqualTo("v2"));
            Assert.That(got!.ModRevision, Is.EqualTo(updated.ModRevision));
            Assert.That(got.CreateRevision, Is.EqualTo(created.CreateRevision));
            Assert.That(Text(got.Value), Is.EqualTo("v2"));
        });
    }

    [Test]
    public async Task Update_WithStaleRevision_ThrowsConflict()
    {
        var created = await Storage.CreateAsync("/a/k", Bytes("v1"), Ct);
        await Storage.UpdateAsync("/a/k", created.ModRevision, Bytes("v2"), Ct);

        await ThrowsStorageAsync(StorageErrorCode.Conflict, async () => await Storage.UpdateAsync("/a/k", created.ModRevision, Bytes("v3"), Ct));

        Assert.That(Text((await Storage.GetAsync("/a/k", Ct))!.Value), Is.EqualTo("v2"));
    }

    [Test]
    public async Task Update_MissingKey_ThrowsKeyNotFound()
    {
        var created = await Storage.CreateAsync("/a/other", Bytes("v1"), Ct);

        await ThrowsStorageAsync(StorageErrorCode.KeyNotFound, async () => await Storage.UpdateAsync("/a/k", created.ModRevision, Bytes("v"), Ct));
    }

    [Test]
    public async Task Update_DeletedKey_ThrowsKeyNotFound()
    {
        var created = await Storage.CreateAsync("/a/k", Bytes("v1"), Ct);
        await Storage.DeleteAsync("/a/k", null, Ct);

        await ThrowsStorageAsync(StorageErrorCode.KeyNotFound, async () => await Storage.UpdateAsync("/a/k", created.ModRevision, Bytes("v2"), Ct));
        Assert.That(await Storage.GetAsync("/a/k", Ct), Is.Null);
    }

    [Test]
    public async Task Delete_MissingKey_ThrowsKeyNotFound()
    {
        await ThrowsStorageAsync(StorageErrorCode.KeyNotFound, async () => await Storage.DeleteAsync("/a/k", null, Ct));
        await ThrowsStorageAsync(StorageErrorCode.KeyNotFound, async () => await Storage.DeleteAsync("/a/k", 1, Ct));
    }

    [Test]
    public async Task Delete_WithStalePrecondition_ThrowsConflictAndKeepsKey()
    {
        var created = await Storage.CreateAsync("/a/k", Bytes("v1"), Ct);
        var updated = await Storage.UpdateAsync("/a/k", created.ModRevision, Bytes("v2"), Ct);

        await ThrowsStorageAsync(StorageErrorCode.Conflict, async () => await Storage.DeleteAsync("/a/k", created.ModRevision, Ct));

        var got = await Storage.GetAsync("/a/k", Ct);
        Assert.That(got!.ModRevision, Is.EqualTo(updated.ModRevision));
    }

    [Test]
    public async Task Delete_WithMatchingOrNoPrecondition_ReturnsLastValueAtDeletionRevision()
    {
        var a = await Storage.CreateAsync("/a/a", Bytes("va"), Ct);
        var b = await Storage.CreateAsync("/a/b", Bytes("vb"), Ct);

        var deletedA = await Storage.DeleteAsync("/a/a", a.ModRevision, Ct);
        var deletedB = await Storage.DeleteAsync("/a/b", null, Ct);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(Text(deletedA.Value), Is.EqualTo("va"));
            Assert.That(deletedA.CreateRevision, Is.EqualTo(a.CreateRevision));
            Assert.That(deletedA.ModRevision, Is.GreaterThan(b.ModRevision));
            Assert.That(Text(deletedB.Value), Is.EqualTo("vb"));
            Assert.That(deletedB.ModRevision, Is.GreaterThan(deletedA.ModRevision));
            Assert.That(await Storage.GetCurrentRevisionAsync(Ct), Is.EqualTo(deletedB.ModRevision));
            Assert.That(await Storage.GetAsync("/a/a", Ct), Is.Null);
            Assert.That(await Storage.GetAsync("/a/b", Ct), Is.Null);
        });
    }

    [Test]
    public async Task Writes_RevisionsStrictlyIncrease_AndCurrentRevisionEqualsLastWrite()
    {
        var start = await Storage.GetCurrentRevisionAsync(Ct);
        var revisions = new List<long>();
        var a = await Storage.CreateAsync("/a/1", Bytes("1"), Ct);
        revisions.Add(a.ModRevision);
        Assert.That(await Storage.GetCurrentRevisionAsync(Ct), Is.EqualTo(a.ModRevision));
        var b = await Storage.CreateAsync("/b/1", Bytes("1"), Ct);
        revisions.Add(b.ModRevision);
        var a2 = await Storage.UpdateAsync("/a/1", a.ModRevision, Bytes("2"), Ct);
        revisions.Add(a2.ModRevision);
        Assert.That(await Storage.GetCurrentRevisionAsync(Ct), Is.EqualTo(a2.ModRevision));
        var d = await Storage.DeleteAsync("/b/1", null, Ct);
        revisions.Add(d.ModRevision);

        Assert.That(revisions[0], Is.GreaterThan(start));
        Assert.That(revisions, Is.Ordered.Ascending);
        Assert.That(revisions, Is.Unique);
        Assert.That(await Storage.GetCurrentRevisionAsync(Ct), Is.EqualTo(d.ModRevision));
    }

    // ---- Range reads -----------------------------------------------------------------------

    [Test]
    public async Task List_Prefix_ReturnsOnlyKeysUnderPrefixInKeyOrder()
    {
        foreach (var key in new[] { "/a/b/z", "/a/bc", "/a/b/m/n", "/a/b", "/a/a/x", "/a/b/a", "/b/b/a" })
        {
            await Storage.CreateAsync(key, Bytes(key), Ct);
        }

        var result = await Storage.ListAsync("/a/b/", new ListOptions(), Ct);

        Assert.That(result.Items.Select(i => i.Key), Is.EqualTo(new[] { "/a/b/a", "/a/b/m/n", "/a/b/z" }));
        Assert.That(result.Items.Select(i => Text(i.Value)), Is.EqualTo(new[] { "/a/b/a", "/a/b/m/n", "/a/b/z" }));
        Assert.That(result.HasMore, Is.False);
        Assert.That(result.RemainingCount, Is.EqualTo(0));
        Assert.That(result.Revision, Is.EqualTo(await Storage.GetCurrentRevisionAsync(Ct)));
    }

    [Test]
    public async Task List_EmptyPrefixRange_ReturnsNothing()
    {
        await Storage.CreateAsync("/a/x", Bytes("x"), Ct);

        var result = await Storage.ListAsync("/b/", new ListOptions(), Ct);

        Assert.That(result.Items, Is.Empty);
        Assert.That(result.HasMore, Is.False);
    }

    [Test]
    public async Task List_WithLimitAndStartAfter_PagesThroughSnapshotDespiteLaterWrites()
    {
        var created = new Dictionary<string, KeyValue>();
        foreach (var name in new[] { "e", "a", "c", "b", "d" })
        {
            created[name] = await Storage.CreateAsync($"/p/{name}", Bytes($"{name}1"), Ct);
        }

        var first = await Storage.ListAsync("/p/", new ListOptions(Limit: 2), Ct);
        Assert.That(first.Items.Select(i => i.Key), Is.EqualTo(new[] { "/p/a", "/p/b" }));
        Assert.That(first.HasMore, Is.True);
        Assert.That(first.RemainingCount, Is.EqualTo(3));

        // Writes after the snapshot must not show in later pages read at its revision.
        await Storage.UpdateAsync("/p/d", created["d"].ModRevision, Bytes("d2"), Ct);
        await Storage.DeleteAsync("/p/c", null, Ct);
        await Storage.CreateAsync("/p/bb", Bytes("bb1"), Ct);
        await Storage.CreateAsync("/p/f", Bytes("f1"), Ct);

        var second = await Storage.ListAsync("/p/", new ListOptions(first.Revision, 2, first.Items[^1].Key), Ct);
        Assert.That(second.Revision, Is.EqualTo(first.Revision));
        Assert.That(second.Items.Select(i => i.Key), Is.EqualTo(new[] { "/p/c", "/p/d" }));
        Assert.That(second.Items.Select(i => Text(i.Value)), Is.EqualTo(new[] { "c1", "d1" }));
        Assert.That(second.HasMore, Is.True);
        Assert.That(second.RemainingCount, Is.EqualTo(1));

        var third = await Storage.ListAsync("/p/", new ListOptions(first.Revision, 2, second.Items[^1].Key), Ct);
        Assert.That(third.Items.Select(i => i.Key), Is.EqualTo(new[] { "/p/e" }));
        Assert.That(third.HasMore, Is.False);
        Assert.That(third.RemainingCount, Is.EqualTo(0));

        var now = await Storage.ListAsync("/p/", new ListOptions(), Ct);
        Assert.That(now.Items.Select(i => i.Key), Is.EqualTo(new[] { "/p/a", "/p/b", "/p/bb", "/p/d", "/p/e", "/p/f" }));
        Assert.That(Text(now.Items[3].Value), Is.EqualTo("d2"));
    }

    [Test]
    public async Task List_LimitEqualToCount_HasNoMore()
    {
        await Storage.CreateAsync("/p/a", Bytes("a"), Ct);
        await Storage.CreateAsync("/p/b", Bytes("b"), Ct);

        var page = await Storage.ListAsync("/p/", new ListOptions(Limit: 2), Ct);

        Assert.That(page.Items, Has.Count.EqualTo(2));
        Assert.That(page.HasMore, Is.False);
        Assert.That(page.RemainingCount, Is.EqualTo(0));
    }

    [Test]
    public async Task List_AtOldRevision_SeesOldValuesAndNotLaterKeys()
    {
        var a = await Storage.CreateAsync("/p/a", Bytes("a1"), Ct);
        var b = await Storage.CreateAsync("/p/b", Bytes("b1"), Ct);
        var old = b.ModRevision;
        await Storage.UpdateAsync("/p/a", a.ModRevision, Bytes("a2"), Ct);
        await Storage.DeleteAsync("/p/b", null, Ct);
        await Storage.CreateAsync("/p/c", Bytes("c1"), Ct);

        var result = await Storage.ListAsync("/p/", new ListOptions(Revision: old), Ct);

        Assert.That(result.Revision, Is.EqualTo(old));
        Assert.That(result.Items.Select(i => i.Key), Is.EqualTo(new[] { "/p/a", "/p/b" }));
        Assert.That(result.Items.Select(i => Text(i.Value)), Is.EqualTo(new[] { "a1", "b1" }));
        Assert.That(result.Items[0].ModRevision, Is.EqualTo(a.ModRevision));

        var atFirst = await Storage.ListAsync("/p/", new ListOptions(Revision: a.ModRevision), Ct);
        Assert.That(atFirst.Items.Select(i => i.Key), Is.EqualTo(new[] { "/p/a" }));
    }

    [Test]
    public async Task Count_CountsLiveKeysUnderPrefixOnly()
    {
        await Storage.CreateAsync("/p/a", Bytes("a"), Ct);
        await Storage.CreateAsync("/p/b", Bytes("b"), Ct);
        await Storage.CreateAsync("/p/c", Bytes("c"), Ct);
        await Storage.CreateAsync("/pc", Bytes("x"), Ct);
        await Storage.CreateAsync("/q/a", Bytes("x"), Ct);
        await Storage.DeleteAsync("/p/b", null, Ct);

        Assert.That(await Storage.CountAsync("/p/", Ct), Is.EqualTo(2));
        Assert.That(await Storage.CountAsync("/nothing/", Ct), Is.EqualTo(0));
    }

    // ---- Concurrency -----------------------------------------------------------------------

    [Test]
    public async Task ConcurrentCasUpdaters_EndWithExactTotal()
    {
        const int Workers = 8;
        const int Increments = 25;
        await Storage.CreateAsync("/counter", Bytes("0"), Ct);

        var tasks = Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            for (var done = 0; done < Increments;)
            {
                var current = (await Storage.GetAsync("/counter", Ct))!;
                var next = int.Parse(Text(current.Value)) + 1;
                try
                {
                    await Storage.UpdateAsync("/counter", current.ModRevision, Bytes(next.ToString()), Ct);
                    done++;
                }
                catch (StorageException ex) when (ex.Code == StorageErrorCode.Conflict)
                {
                    // Lost the race: read again.
                }
            }
        }));
        await Task.WhenAll(tasks).WaitAsync(Ct);

        Assert.That(Text((await Storage.GetAsync("/counter", Ct))!.Value), Is.EqualTo((Workers * Increments).ToString()));
    }

    [Test]
    public async Task ConcurrentCreatesOfSameKey_ExactlyOneWins()
    {
        const int Contenders = 16;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, Contenders).Select(i => Task.Run(async () =>
        {
            await start.Task;
            try
            {
                await Storage.CreateAsync("/race", Bytes($"v{i}"), Ct);
                return true;
            }
            catch (StorageException ex) when (ex.Code == StorageErrorCode.KeyExists)
            {
                return false;
            }
        })).ToArray();
        start.SetResult();
        var results = await Task.WhenAll(tasks).WaitAsync(Ct);

        Assert.That(results.Count(won => won), Is.EqualTo(1));
        var winner = Array.IndexOf(results, true);
        Assert.That(Text((await Storage.GetAsync("/race", Ct))!.Value), Is.EqualTo($"v{winner}"));
    }

    [Test]
    public async Task ConcurrentWriters_RevisionsAreUnique()
    {
        var revisions = new ConcurrentBag<long>();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                revisions.Add((await Storage.CreateAsync($"/u/{w}/{i}", Bytes("x"), Ct)).ModRevision);
            }
        }))).WaitAsync(Ct);

        Assert.That(revisions, Is.Unique);
        Assert.That(await Storage.GetCurrentRevisionAsync(Ct), Is.EqualTo(revisions.Max()));
        Assert.That(await Storage.CountAsync("/u/", Ct), Is.EqualTo(80));
    }

    // ---- Watch -----------------------------------------------------------------------------

    [Test]
    public async Task Watch_FromRevision_SeesHistoryThenLiveEventsInOrder()
    {
        var a = await Storage.CreateAsync("/w/a", Bytes("a1"), Ct);
        var a2 = await Storage.UpdateAsync("/w/a", a.ModRevision, Bytes("a2"), Ct);
        var b = await Storage.CreateAsync("/w/b", Bytes("b1"), Ct);
        await using var watch = Watch("/w/", a.ModRevision);

        var history = await watch.TakeAsync(2, EventTimeout);
        var deleted = await Storage.DeleteAsync("/w/a", null, Ct);
        var c = await Storage.CreateAsync("/w/c", Bytes("c1"), Ct);
        var live = await watch.TakeAsync(2, EventTimeout);

        var all = history.Concat(live).ToList();
        Assert.That(all.Select(e => e.Revision), Is.EqualTo(new[] { a2.ModRevision, b.ModRevision, deleted.ModRevision, c.ModRevision }));
        Assert.That(all.Select(e => e.Type), Is.EqualTo(new[] { WatchEventType.Modified, WatchEventType.Created, WatchEventType.Deleted, WatchEventType.Created }));
        Assert.That(all.Select(e => e.Key), Is.EqualTo(new[] { "/w/a", "/w/b", "/w/a", "/w/c" }));
        await watch.AssertNoMoreChangesAsync(Quiet);
    }

    [Test]
    public async Task Watch_FromCurrentRevision_SeesOnlyLaterEvents()
    {
        await Storage.CreateAsync("/w/old", Bytes("x"), Ct);
        var current = await Storage.GetCurrentRevisionAsync(Ct);
        await using var watch = Watch("/w/", current);

        var created = await Storage.CreateAsync("/w/new", Bytes("y"), Ct);
        var events = await watch.TakeAsync(1, EventTimeout);

        Assert.That(events[0].Key, Is.EqualTo("/w/new"));
        Assert.That(events[0].Revision, Is.EqualTo(created.ModRevision));
        await watch.AssertNoMoreChangesAsync(Quiet);
    }

    [Test]
    public async Task Watch_UnderConcurrentWriters_SeesEveryEventOnceInOrder()
    {
        const int Writers = 4;
        const int PerWriter = 30;
        var written = new ConcurrentBag<long>();
        var third = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var twoThirds = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var beforeAll = await Storage.GetCurrentRevisionAsync(Ct);
        await using var fromStart = Watch("/c/", beforeAll);
        var lastWrite = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var fromStartEvents = ConsumeUntilAsync(fromStart, lastWrite.Task);

        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < PerWriter; i++)
            {
                var kv = await Storage.CreateAsync($"/c/{w}/{i:D3}", Bytes($"{w}-{i}"), Ct);
                written.Add(kv.ModRevision);
                kv = await Storage.UpdateAsync(kv.Key, kv.ModRevision, Bytes($"{w}-{i}-b"), Ct);
                written.Add(kv.ModRevision);
                if (i == PerWriter / 3)
                {
                    third.TrySetResult();
                }
                else if (i == 2 * PerWriter / 3)
                {
                    twoThirds.TrySetResult();
                }
            }
        })).ToArray();

        // A second watch starts mid-stream from an older revision: its history replay races the writers.
        await third.Task.WaitAsync(Ct);
        var from = await Storage.GetCurrentRevisionAsync(Ct);
        await twoThirds.Task.WaitAsync(Ct);
        await using var midway = Watch("/c/", from);
        var midwayEvents = ConsumeUntilAsync(midway, lastWrite.Task);

        await Task.WhenAll(writers).WaitAsync(Ct);
        lastWrite.SetResult(written.Max());

        Assert.That((await fromStartEvents).Select(e => e.Revision), Is.EqualTo(written.Order().ToList()));
        Assert.That((await midwayEvents).Select(e => e.Revision), Is.EqualTo(written.Where(r => r > from).Order().ToList()));
        await fromStart.AssertNoMoreChangesAsync(Quiet);
        await midway.AssertNoMoreChangesAsync(Quiet);
    }

    [Test]
    public async Task Watch_WritesDuringHistoryReplay_DeliveredOnceInOrder()
    {
        var revisions = new List<long>();
        for (var i = 0; i < 20; i++)
        {
            revisions.Add((await Storage.CreateAsync($"/h/{i:D2}", Bytes("x"), Ct)).ModRevision);
        }

        await using var watch = Watch("/h/", HistoryStart);
        var first = await watch.TakeAsync(1, EventTimeout);
        for (var i = 20; i < 30; i++)
        {
            revisions.Add((await Storage.CreateAsync($"/h/{i:D2}", Bytes("x"), Ct)).ModRevision);
        }

        var rest = await watch.TakeAsync(29, EventTimeout);

        Assert.That(first.Concat(rest).Select(e => e.Revision), Is.EqualTo(revisions));
        await watch.AssertNoMoreChangesAsync(Quiet);
    }

    /// <summary>Reads change events while they are being written, until one at <paramref name="lastRevision"/> has arrived.</summary>
    private async Task<List<WatchEvent>> ConsumeUntilAsync(WatchReader watch, Task<long> lastRevision)
    {
        await Task.Yield();
        var events = new List<WatchEvent>();
        var last = long.MinValue;
        while (!(lastRevision.IsCompleted && last >= lastRevision.Result))
        {
            Ct.ThrowIfCancellationRequested();
            var next = await watch.NextAsync(TimeSpan.FromMilliseconds(50));
            if (next is not null && next.Type != WatchEventType.Progress)
            {
                events.Add(next);
                last = next.Revision;
            }
        }

        return events;
    }

    [Test]
    public async Task Watch_Prefix_ExcludesOtherPrefixes()
    {
        await using var watch = Watch("/a/b/", await Storage.GetCurrentRevisionAsync(Ct));
        await Storage.CreateAsync("/a/bc", Bytes("no"), Ct);
        await Storage.CreateAsync("/a/b", Bytes("no"), Ct);
        await Storage.CreateAsync("/x/a/b/", Bytes("no"), Ct);
        var inside = await Storage.CreateAsync("/a/b/c", Bytes("yes"), Ct);
        await Storage.CreateAsync("/a/c/d", Bytes("no"), Ct);

        var events = await watch.TakeAsync(1, EventTimeout);

        Assert.That(events[0].Key, Is.EqualTo("/a/b/c"));
        Assert.That(events[0].Revision, Is.EqualTo(inside.ModRevision));
        await watch.AssertNoMoreChangesAsync(Quiet);

        // The same filter applies to replayed history.
        await using var replay = Watch("/a/b/", HistoryStart);
        var replayed = await replay.TakeAsync(1, EventTimeout);
        Assert.That(replayed[0].Key, Is.EqualTo("/a/b/c"));
        await replay.AssertNoMoreChangesAsync(Quiet);
    }

    [Test]
    public async Task Watch_Events_CarryValuesAndPreviousValues()
    {
        var start = await Storage.GetCurrentRevisionAsync(Ct);
        await using var live = Watch("/v/", start);
        var created = await Storage.CreateAsync("/v/k", Bytes("one"), Ct);
        var updated = await Storage.UpdateAsync("/v/k", created.ModRevision, Bytes("two"), Ct);
        var deleted = await Storage.DeleteAsync("/v/k", null, Ct);
        var liveEvents = await live.TakeAsync(3, EventTimeout);

        await using var replay = Watch("/v/", start);
        var replayedEvents = await replay.TakeAsync(3, EventTimeout);

        foreach (var events in new[] { liveEvents, replayedEvents })
        {
            Assert.Multiple(() =>
            {
                Assert.That(events[0].Type, Is.EqualTo(WatchEventType.Created));
                Assert.That(Text(events[0].Value), Is.EqualTo("one"));
                Assert.That(events[0].PreviousValue, Is.Null);
                Assert.That(events[0].Revision, Is.EqualTo(created.ModRevision));
                Assert.That(events[1].Type, Is.EqualTo(WatchEventType.Modified));
                Assert.That(Text(events[1].Value), Is.EqualTo("two"));
                Assert.That(Text(events[1].PreviousValue), Is.EqualTo("one"));
                Assert.That(events[1].Revision, Is.EqualTo(updated.ModRevision));
                Assert.That(events[2].Type, Is.EqualTo(WatchEventType.Deleted));
                Assert.That(Text(events[2].Value), Is.EqualTo("two"));
                Assert.That(events[2].Revision, Is.EqualTo(deleted.ModRevision));
            });
        }
    }

    [Test]
    public async Task Watch_Cancelled_EndsStreamWithoutError()
    {
        await using var watch = Watch("/w/", await Storage.GetCurrentRevisionAsync(Ct));
        Assert.That(await watch.NextAsync(TimeSpan.FromMilliseconds(50)), Is.Null);

        watch.Cancel();

        Assert.That(await watch.EndsWithinAsync(EventTimeout), Is.True);
    }

    [Test]
    public async Task Watch_IdleWithProgressNotify_YieldsProgressAtCurrentRevision()
    {
        var last = await Storage.CreateAsync("/w/a", Bytes("x"), Ct);
        await using var watch = Watch("/w/", last.ModRevision, progressNotify: true);

        var progress = await watch.NextAsync(ProgressNotifyTimeout);

        Assert.That(progress, Is.Not.Null, "no progress notification arrived");
        Assert.That(progress!.Type, Is.EqualTo(WatchEventType.Progress));
        Assert.That(progress.Revision, Is.GreaterThanOrEqualTo(last.ModRevision));
    }

    // ---- Compaction ------------------------------------------------------------------------

    [Test]
    public async Task Watch_FromCompactedRevision_ThrowsCompacted()
    {
        if (!HistoryEndsAtCompaction)
        {
            Assert.Ignore("This store's history is bounded by its window, not by compaction.");
        }

        var a = await Storage.CreateAsync("/k/a", Bytes("1"), Ct);
        var a2 = await Storage.UpdateAsync("/k/a", a.ModRevision, Bytes("2"), Ct);
        await Storage.UpdateAsync("/k/a", a2.ModRevision, Bytes("3"), Ct);
        await Storage.CompactAsync(a2.ModRevision, Ct);

        await using var watch = Watch("/k/", a.ModRevision - 1);
        await ThrowsStorageAsync(StorageErrorCode.Compacted, () => watch.NextAsync(EventTimeout));
    }

    [Test]
    public async Task List_BelowCompactedRevision_ThrowsCompacted()
    {
        if (!HistoryEndsAtCompaction)
        {
            Assert.Ignore("This store's history is bounded by its window, not by compaction.");
        }

        var a = await Storage.CreateAsync("/k/a", Bytes("1"), Ct);
        var a2 = await Storage.UpdateAsync("/k/a", a.ModRevision, Bytes("2"), Ct);
        await Storage.UpdateAsync("/k/a", a2.ModRevision, Bytes("3"), Ct);
        await Storage.CompactAsync(a2.ModRevision, Ct);

        var ex = await ThrowsStorageAsync(
            StorageErrorCode.Compacted, async () => await Storage.ListAsync("/k/", new ListOptions(Revision: a.ModRevision), Ct));
        Assert.That(ex.CompactedRevision, Is.EqualTo(0).Or.EqualTo(a2.ModRevision), "CompactedRevision, when known, is the compacted revision");
    }

    [Test]
    public async Task Compaction_KeepsLatestValueOfEveryKeyReadable()
    {
        var a = await Storage.CreateAsync("/k/a", Bytes("a1"), Ct);
        await Storage.UpdateAsync("/k/a", a.ModRevision, Bytes("a2"), Ct);
        var b = await Storage.CreateAsync("/k/b", Bytes("b1"), Ct);
        var b2 = await Storage.UpdateAsync("/k/b", b.ModRevision, Bytes("b2"), Ct);
        var b3 = await Storage.UpdateAsync("/k/b", b2.ModRevision, Bytes("b3"), Ct);
        await Storage.CreateAsync("/k/gone", Bytes("g"), Ct);
        await Storage.DeleteAsync("/k/gone", null, Ct);
        var c = await Storage.CreateAsync("/k/c", Bytes("c1"), Ct);
        var compactAt = await Storage.GetCurrentRevisionAsync(Ct);

        await Storage.CompactAsync(compactAt, Ct);

        Assert.That(await Storage.GetCompactedRevisionAsync(Ct), Is.EqualTo(compactAt));
        Assert.That(Text((await Storage.GetAsync("/k/a", Ct))!.Value), Is.EqualTo("a2"));
        var gotB = (await Storage.GetAsync("/k/b", Ct))!;
        Assert.That(Text(gotB.Value), Is.EqualTo("b3"));
        Assert.That(gotB.ModRevision, Is.EqualTo(b3.ModRevision));
        Assert.That(gotB.CreateRevision, Is.EqualTo(b.CreateRevision));
        Assert.That(await Storage.GetAsync("/k/gone", Ct), Is.Null);
        var list = await Storage.ListAsync("/k/", new ListOptions(Revision: compactAt), Ct);
        Assert.That(list.Items.Select(i => Text(i.Value)), Is.EqualTo(new[] { "a2", "b3", "c1" }));
        Assert.That(await Storage.CountAsync("/k/", Ct), Is.EqualTo(3));

        // Writes and watches from the compacted revision keep working.
        await using var watch = Watch("/k/", compactAt);
        var c2 = await Storage.UpdateAsync("/k/c", c.ModRevision, Bytes("c2"), Ct);
        var events = await watch.TakeAsync(1, EventTimeout);
        Assert.That(events[0].Revision, Is.EqualTo(c2.ModRevision));
        Assert.That(c2.ModRevision, Is.GreaterThan(compactAt));
    }

    [Test]
    public async Task Compaction_ToOlderRevisionThanCompacted_KeepsCompactedRevision()
    {
        var a = await Storage.CreateAsync("/k/a", Bytes("a1"), Ct);
        var a2 = await Storage.UpdateAsync("/k/a", a.ModRevision, Bytes("a2"), Ct);
        await Storage.CompactAsync(a2.ModRevision, Ct);

        try
        {
            await Storage.CompactAsync(a.ModRevision, Ct);
        }
        catch (StorageException ex) when (ex.Code == StorageErrorCode.Compacted)
        {
            // etcd reports this as an error; a no-op is fine too.
        }

        Assert.That(await Storage.GetCompactedRevisionAsync(Ct), Is.EqualTo(a2.ModRevision));
    }
}
