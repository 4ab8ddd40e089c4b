using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Storage.Sqlite;
using NUnit.Framework;

namespace Apiserver.Generic.Tests.Registry.Generic;

/// <summary>
/// One resource stored in v2 (<c>spec.size</c>) and served in v1 too (<c>spec.count</c>), over real
/// SQLite storage: every verb of the v1 view converts, and both versions see the same objects,
/// resource versions and watch.
/// </summary>
[TestFixture]
public sealed class VersionedStoreTests
{
    private sealed class GadgetStrategy : IRestStrategy
    {
        public void Validate(JsonObject obj, List<FieldError> errors)
        {
            if (obj["spec"]?["size"] is null)
            {
                errors.Add(FieldError.Required("spec.size"));
            }
        }
    }

    // v1 calls the v2 field spec.size "count".
    private sealed class CountToSize : IVersionConverter
    {
        public JsonObject ToStorage(JsonObject served) => Rename(served, "count", "size");

        public JsonObject FromStorage(JsonObject stored) => Rename(stored, "size", "count");

        private static JsonObject Rename(JsonObject obj, string from, string to)
        {
            if (obj["spec"] is JsonObject spec && spec[from] is { } value)
            {
                spec.Remove(from);
                spec[to] = value.DeepClone();
            }
            return obj;
        }
    }

    private static readonly ResourceDefinition GadgetsV2 = new(
        new ResourceNames(new GroupVersionKind("example.com", "v2", "Gadget"), "gadgets", "gadget", Namespaced: true), new GadgetStrategy())
    {
        StatusSubresource = true,
    };

    private static readonly ServedVersion GadgetsV1 = new(
        new ResourceNames(new GroupVersionKind("example.com", "v1", "Gadget"), "gadgets", "gadget", Namespaced: true), new CountToSize())
    {
        Columns = [TableColumn.NameColumn, new("Count", "integer", "The count.", o => o["spec"]?["count"]?.DeepClone())],
    };

    private string _dir = null!;
    private SqliteStorage _storage = null!;
    private GenericStore _v2 = null!;
    private VersionedStore _v1 = null!;
    private readonly RequestContext _context = new("default");

    [SetUp]
    public async Task SetUpAsync()
    {
        _dir = Directory.CreateTempSubdirectory("versioned-test-").FullName;
        _storage = await SqliteStorage.OpenInDirectoryAsync(_dir);
        _v2 = new GenericStore(GadgetsV2, _storage);
        _v1 = new VersionedStore(_v2, GadgetsV1);
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        await _storage.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static JsonObject V1(string name, int count) =>
        (JsonObject)JsonNode.Parse($$$"""{"kind":"Gadget","apiVersion":"example.com/v1","metadata":{"name":"{{{name}}}"},"spec":{"count":{{{count}}}}}""")!;

    [Test]
    public async Task CreateInV1_IsStoredInV2AndReadInBoth()
    {
        var created = await _v1.CreateAsync(_context, V1("g", 3), new CreateOptions(), CancellationToken.None);
        var asV2 = await _v2.GetAsync(_context, "g", new GetOptions(), CancellationToken.None);
        var asV1 = await _v1.GetAsync(_context, "g", new GetOptions(), CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(created["apiVersion"]!.ToString(), Is.EqualTo("example.com/v1"));
            Assert.That(created["spec"]!["count"]!.GetValue<int>(), Is.EqualTo(3));
            Assert.That(asV2["apiVersion"]!.ToString(), Is.EqualTo("example.com/v2"));
            Assert.That(asV2["spec"]!["size"]!.GetValue<int>(), Is.EqualTo(3));
            Assert.That(asV1.ToJsonString(), Is.EqualTo(created.ToJsonString()));
            Assert.That(asV2.GetResourceVersion(), Is.EqualTo(asV1.GetResourceVersion()));
        });
    }

    [Test]
    public void CreateInV1_ValidatesTheStorageForm()
    {
        var missing = (JsonObject)JsonNode.Parse("""{"kind":"Gadget","apiVersion":"example.com/v1","metadata":{"name":"g"},"spec":{}}""")!;
        var e = Assert.ThrowsAsync<StatusException>(() => _v1.CreateAsync(_context, missing, new CreateOptions(), CancellationToken.None));
        Assert.That(e!.Code, Is.EqualTo(422));
    }

    [Test]
    public async Task ListUpdateAndDeleteInV1_Convert()
    {
        await _v2.CreateAsync(_context, (JsonObject)JsonNode.Parse("""{"kind":"Gadget","apiVersion":"example.com/v2","metadata":{"name":"a"},"spec":{"size":1}}""")!, new CreateOptions(), CancellationToken.None);
        var list = await _v1.ListAsync(_context, new ListOptions(), CancellationToken.None);
        Assert.That(list["kind"]!.ToString(), Is.EqualTo("GadgetList"));
        Assert.That(list["apiVersion"]!.ToString(), Is.EqualTo("example.com/v1"));
        var item = list["items"]!.AsArray().Single()!.AsObject();
        Assert.That(item["kind"], Is.Null, "typed list items carry no kind");
        Assert.That(item["spec"]!["count"]!.GetValue<int>(), Is.EqualTo(1));

        var update = V1("a", 5);
        update.Metadata()["resourceVersion"] = item.GetResourceVersion();
        var updated = await _v1.UpdateAsync(_context, "a", update, new UpdateOptions(), CancellationToken.None);
        Assert.That(updated.Object["spec"]!["count"]!.GetValue<int>(), Is.EqualTo(5));
        Assert.That((await _v2.GetAsync(_context, "a", new GetOptions(), CancellationToken.None))["spec"]!["size"]!.GetValue<int>(), Is.EqualTo(5));

        var deleted = await _v1.DeleteAsync(_context, "a", new DeleteOptions(), CancellationToken.None);
        Assert.That(deleted.Object["spec"]!["count"]!.GetValue<int>(), Is.EqualTo(5));
    }

    [Test]
    public async Task WatchInV1_SeesWritesInV2Converted()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var events = _v1.WatchAsync(_context, new ListOptions { ResourceVersion = "0" }, cts.Token).GetAsyncEnumerator(cts.Token);
        var next = events.MoveNextAsync();
        await _v2.CreateAsync(_context, (JsonObject)JsonNode.Parse("""{"kind":"Gadget","apiVersion":"example.com/v2","metadata":{"name":"w"},"spec":{"size":7}}""")!, new CreateOptions(), CancellationToken.None);
        Assert.That(await next, Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(events.Current.Type, Is.EqualTo("ADDED"));
            Assert.That(events.Current.Object.Node["apiVersion"]!.ToString(), Is.EqualTo("example.com/v1"));
            Assert.That(events.Current.Object.Node["spec"]!["count"]!.GetValue<int>(), Is.EqualTo(7));
        });
        await cts.CancelAsync();
        await events.DisposeAsync();
    }

    [Test]
    public async Task StatusInV1_WritesOnlyStatus()
    {
        await _v1.CreateAsync(_context, V1("s", 2), new CreateOptions(), CancellationToken.None);
        var status = V1("s", 9);
        status["status"] = new JsonObject { ["ready"] = true };
        var result = await new StatusStore(_v1).UpdateAsync(_context, "s", status, new UpdateOptions(), CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(result.Object["apiVersion"]!.ToString(), Is.EqualTo("example.com/v1"));
            Assert.That(result.Object["spec"]!["count"]!.GetValue<int>(), Is.EqualTo(2), "spec is not the status subresource's");
            Assert.That(result.Object["status"]!["ready"]!.GetValue<bool>(), Is.True);
        });
    }

    [Test]
    public async Task TableInV1_UsesTheServedColumns()
    {
        var created = await _v1.CreateAsync(_context, V1("t", 4), new CreateOptions(), CancellationToken.None);
        var table = _v1.ConvertToTable(created, new TableOptions());
        Assert.That(table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.ToString()), Is.EqualTo(new[] { "Name", "Count" }));
        Assert.That(table["rows"]![0]!["cells"]![1]!.GetValue<int>(), Is.EqualTo(4));
    }
}
