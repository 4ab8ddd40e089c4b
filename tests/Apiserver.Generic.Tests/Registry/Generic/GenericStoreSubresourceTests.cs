using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Storage.Sqlite;
using NUnit.Framework;

namespace Apiserver.Generic.Tests.Registry.Generic;

/// <summary>Generation and the status subresource, on a resource with spec and status, over real SQLite storage.</summary>
[TestFixture]
public sealed class GenericStoreSubresourceTests
{
    private sealed class WidgetStrategy : IRestStrategy;

    private static readonly ResourceDefinition Widgets = new(
        new ResourceNames(new GroupVersionKind("example.com", "v1", "Widget"), "widgets", "widget", Namespaced: true), new WidgetStrategy())
    {
        StatusSubresource = true,
        TracksGeneration = true,
    };

    private string _dir = null!;
    private SqliteStorage _storage = null!;
    private GenericStore _store = null!;
    private StatusStore _status = null!;
    private readonly RequestContext _context = new("default");

    [SetUp]
    public async Task SetUpAsync()
    {
        _dir = Directory.CreateTempSubdirectory("store-test-").FullName;
        _storage = await SqliteStorage.OpenInDirectoryAsync(_dir);
        _store = new GenericStore(Widgets, _storage);
        _status = new StatusStore(_store);
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        await _storage.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private Task<JsonObject> CreateAsync() => _store.CreateAsync(_context,
        (JsonObject)JsonNode.Parse("""{"kind":"Widget","apiVersion":"example.com/v1","metadata":{"name":"w"},"spec":{"size":1},"status":{"ready":true}}""")!,
        new CreateOptions(), CancellationToken.None);

    [Test]
    public async Task Create_StartsAtGenerationOneAndDropsStatus()
    {
        var created = await CreateAsync();
        Assert.That(created.GetGeneration(), Is.EqualTo(1));
        Assert.That(created["status"], Is.Null);
    }

    [Test]
    public async Task MainUpdate_BumpsGenerationOnlyForSpecChangesAndKeepsStatus()
    {
        var created = await CreateAsync();
        var withStatus = (JsonObject)created.DeepClone();
        withStatus["status"] = new JsonObject { ["ready"] = true };
        var statusWritten = (await _status.UpdateAsync(_context, "w", withStatus, new UpdateOptions(), CancellationToken.None)).Object;
        Assert.That(statusWritten.GetGeneration(), Is.EqualTo(1), "a status write does not bump generation");

        var labelled = (JsonObject)statusWritten.DeepClone();
        labelled.Metadata()["labels"] = new JsonObject { ["a"] = "b" };
        labelled["status"] = new JsonObject { ["ready"] = false };
        var afterLabel = (await _store.UpdateAsync(_context, "w", labelled, new UpdateOptions(), CancellationToken.None)).Object;
        Assert.Multiple(() =>
        {
            Assert.That(afterLabel.GetGeneration(), Is.EqualTo(1), "a metadata change does not bump generation");
            Assert.That(afterLabel["status"]!["ready"]!.GetValue<bool>(), Is.True, "status is ignored on main-resource writes");
        });

        var resized = (JsonObject)afterLabel.DeepClone();
        resized["spec"]!["size"] = 2;
        var afterSpec = (await _store.UpdateAsync(_context, "w", resized, new UpdateOptions(), CancellationToken.None)).Object;
        Assert.That(afterSpec.GetGeneration(), Is.EqualTo(2));
    }

    [Test]
    public async Task StatusUpdate_IgnoresSpecAndMetadata()
    {
        var created = await CreateAsync();
        var request = (JsonObject)created.DeepClone();
        request["spec"]!["size"] = 99;
        request.Metadata()["labels"] = new JsonObject { ["sneaky"] = "yes" };
        request["status"] = new JsonObject { ["ready"] = true };
        var stored = (await _status.UpdateAsync(_context, "w", request, new UpdateOptions(), CancellationToken.None)).Object;
        Assert.Multiple(() =>
        {
            Assert.That(stored["spec"]!["size"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(stored.Metadata()["labels"], Is.Null);
            Assert.That(stored["status"]!["ready"]!.GetValue<bool>(), Is.True);
        });
    }

    [Test]
    public async Task StatusUpdateOfAMissingObject_Is404AndCreatesNothing()
    {
        var request = (JsonObject)JsonNode.Parse("""{"metadata":{"name":"ghost"},"status":{"ready":true}}""")!;
        var e = Assert.ThrowsAsync<StatusException>(() => _status.UpdateAsync(_context, "ghost", request, new UpdateOptions(), CancellationToken.None));
        Assert.That(e!.Code, Is.EqualTo(404));
    }

    [Test]
    public async Task StatusUpdateWithStaleResourceVersion_Is409()
    {
        var created = await CreateAsync();
        var stale = (JsonObject)created.DeepClone();
        var changed = (JsonObject)created.DeepClone();
        changed["spec"]!["size"] = 5;
        await _store.UpdateAsync(_context, "w", changed, new UpdateOptions(), CancellationToken.None);
        stale["status"] = new JsonObject { ["ready"] = true };
        var e = Assert.ThrowsAsync<StatusException>(() => _status.UpdateAsync(_context, "w", stale, new UpdateOptions(), CancellationToken.None));
        Assert.That(e!.Code, Is.EqualTo(409));
    }
}
