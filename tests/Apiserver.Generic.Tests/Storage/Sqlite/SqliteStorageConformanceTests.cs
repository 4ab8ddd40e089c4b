using System.Text;
using Apiserver.Generic.Storage;
using Apiserver.Generic.Storage.Sqlite;
using NUnit.Framework;

namespace Apiserver.Generic.Tests.Storage.Sqlite;

/// <summary>The storage contract against <see cref="SqliteStorage"/>, plus what only a file-backed store can show.</summary>
[TestFixture]
public sealed class SqliteStorageConformanceTests : StorageConformanceTests
{
    private string? _directory;

    /// <inheritdoc />
    protected override TimeSpan ProgressNotifyTimeout => TimeSpan.FromSeconds(2);

    private SqliteStorageOptions Options => new() { ProgressNotifyInterval = TimeSpan.FromMilliseconds(100), WatchHistoryPageSize = 7 };

    /// <inheritdoc />
    protected override async Task<IStorage> CreateStorageAsync()
    {
        _directory = Path.Combine(Path.GetTempPath(), "sqlite-storage-tests-" + Guid.NewGuid().ToString("N"));
        return await SqliteStorage.OpenInDirectoryAsync(_directory, Options, Ct);
    }

    /// <inheritdoc />
    protected override Task CleanupAsync()
    {
        if (_directory is not null && Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        return Task.CompletedTask;
    }

    [Test]
    public async Task DisposeAndReopen_DataAndHistorySurvive()
    {
        var a = await Storage.CreateAsync("/r/a", Bytes("a1"), Ct);
        var a2 = await Storage.UpdateAsync("/r/a", a.ModRevision, Bytes("a2"), Ct);
        var b = await Storage.CreateAsync("/r/b", Bytes("b1"), Ct);

        await ReopenAsync();

        Assert.That(await Storage.GetCurrentRevisionAsync(Ct), Is.EqualTo(b.ModRevision));
        var got = (await Storage.GetAsync("/r/a", Ct))!;
        Assert.That(Text(got.Value), Is.EqualTo("a2"));
        Assert.That(got.ModRevision, Is.EqualTo(a2.ModRevision));
        Assert.That(got.CreateRevision, Is.EqualTo(a.CreateRevision));
        var old = await Storage.ListAsync("/r/", new ListOptions(Revision: a.ModRevision), Ct);
        Assert.That(old.Items.Select(i => Text(i.Value)), Is.EqualTo(new[] { "a1" }));
        await using var watch = Watch("/r/", 0);
        var events = await watch.TakeAsync(3, TimeSpan.FromSeconds(5));
        Assert.That(events.Select(e => e.Revision), Is.EqualTo(new[] { a.ModRevision, a2.ModRevision, b.ModRevision }));
    }

    [Test]
    public async Task ReopenAfterCompactionAndDeletes_RevisionNeverGoesBackwards()
    {
        var a = await Storage.CreateAsync("/r/a", Bytes("a1"), Ct);
        await Storage.UpdateAsync("/r/a", a.ModRevision, Bytes("a2"), Ct);
        await Storage.CreateAsync("/r/b", Bytes("b1"), Ct);
        await Storage.DeleteAsync("/r/a", null, Ct);
        var last = await Storage.DeleteAsync("/r/b", null, Ct);
        await Storage.CompactAsync(last.ModRevision, Ct);

        await ReopenAsync();

        Assert.That(await Storage.GetCurrentRevisionAsync(Ct), Is.EqualTo(last.ModRevision));
        Assert.That(await Storage.GetCompactedRevisionAsync(Ct), Is.EqualTo(last.ModRevision));
        Assert.That(await Storage.CountAsync("/r/", Ct), Is.EqualTo(0));
        var next = await Storage.CreateAsync("/r/a", Bytes("again"), Ct);
        Assert.That(next.ModRevision, Is.GreaterThan(last.ModRevision));

        await Storage.DeleteAsync("/r/a", null, Ct);
        var current = await Storage.GetCurrentRevisionAsync(Ct);
        await Storage.CompactAsync(current, Ct);
        await ReopenAsync();
        Assert.That(await Storage.GetCurrentRevisionAsync(Ct), Is.EqualTo(current));
        Assert.That((await Storage.CreateAsync("/r/c", Bytes("c"), Ct)).ModRevision, Is.GreaterThan(current));
    }

    [Test]
    public async Task AutomaticCompaction_CompactsOldHistory()
    {
        await Storage.DisposeAsync();
        var options = Options;
        options.CompactionInterval = TimeSpan.FromMilliseconds(50);
        options.CompactionRetainRevisions = 2;
        Storage = await SqliteStorage.OpenInDirectoryAsync(_directory!, options, Ct);
        var kv = await Storage.CreateAsync("/k", Bytes("0"), Ct);
        for (var i = 1; i <= 5; i++)
        {
            kv = await Storage.UpdateAsync("/k", kv.ModRevision, Bytes(i.ToString()), Ct);
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (await Storage.GetCompactedRevisionAsync(Ct) != kv.ModRevision - 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, Ct);
        }

        Assert.That(await Storage.GetCompactedRevisionAsync(Ct), Is.EqualTo(kv.ModRevision - 2));
        Assert.That(Text((await Storage.GetAsync("/k", Ct))!.Value), Is.EqualTo("5"));
    }

    [Test]
    public async Task EmptyValue_RoundTrips()
    {
        var created = await Storage.CreateAsync("/e", ReadOnlyMemory<byte>.Empty, Ct);
        await Storage.UpdateAsync("/e", created.ModRevision, Encoding.UTF8.GetBytes("x"), Ct);
        await using var watch = Watch("/e", 0);
        var events = await watch.TakeAsync(2, TimeSpan.FromSeconds(5));

        Assert.That(events[0].Value.Length, Is.EqualTo(0));
        Assert.That(events[1].PreviousValue?.Length, Is.EqualTo(0));
    }

    private async Task ReopenAsync()
    {
        await Storage.DisposeAsync();
        Storage = await SqliteStorage.OpenInDirectoryAsync(_directory!, Options, Ct);
    }
}
