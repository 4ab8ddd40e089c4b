using System.Runtime.CompilerServices;
using Apiserver.Generic.Storage;

namespace Apiserver.Bench.Targets;

/// <summary>
/// The same operations straight on <see cref="IStorage"/>, without HTTP, JSON handling or
/// admission: the limit the server's figures are read against. Values are what the server would store.
/// </summary>
internal sealed class StorageTarget(IStorage storage, string prefix, ConfigMaps objects, Func<ValueTask> cleanUp) : IBenchTarget
{
    public string Name => "storage";

    public Task PrepareNamespaceAsync(string ns, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task WarmUpAsync(string ns, int connections, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task CreateAsync(string ns, string name, CancellationToken cancellationToken) =>
        await storage.CreateAsync(Key(ns, name), objects.StoredValue(ns, name, 0), cancellationToken);

    public async Task GetAsync(string ns, string name, bool cached, CancellationToken cancellationToken)
    {
        if (await storage.GetAsync(Key(ns, name), cancellationToken) is null)
        {
            throw NotFound(Key(ns, name));
        }
    }

    public async Task UpdateAsync(string ns, string name, int variant, CancellationToken cancellationToken)
    {
        var key = Key(ns, name);
        var current = await storage.GetAsync(key, cancellationToken) ?? throw NotFound(key);
        await storage.UpdateAsync(key, current.ModRevision, objects.StoredValue(ns, name, variant), cancellationToken);
    }

    public async Task<long> ListAsync(string ns, CancellationToken cancellationToken)
    {
        var result = await storage.ListAsync(Collection(ns), new ListOptions(), cancellationToken);
        return result.Items.Sum(kv => (long)kv.Value.Length);
    }

    public async Task<long> ListPagedAsync(string ns, int limit, CancellationToken cancellationToken)
    {
        long bytes = 0;
        var options = new ListOptions(Limit: limit);
        while (true)
        {
            var page = await storage.ListAsync(Collection(ns), options, cancellationToken);
            bytes += page.Items.Sum(kv => (long)kv.Value.Length);
            if (!page.HasMore || page.Items.Count == 0)
            {
                return bytes;
            }
            options = new ListOptions(page.Revision, limit, page.Items[^1].Key);
        }
    }

    public async Task<IAsyncEnumerable<string>> WatchCreatedAsync(string ns, CancellationToken cancellationToken)
    {
        var revision = await storage.GetCurrentRevisionAsync(cancellationToken);
        return CreatedAsync(Collection(ns), revision, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await storage.DisposeAsync();
        await cleanUp();
    }

    private async IAsyncEnumerable<string> CreatedAsync(string collection, long revision, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var events = storage.WatchAsync(collection, revision, cancellationToken: cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (await NextAsync(events, cancellationToken))
        {
            if (events.Current.Type == WatchEventType.Created)
            {
                yield return events.Current.Key[collection.Length..];
            }
        }
    }

    /// <summary>Whether there is another event; false at the end or once the watch is cancelled.</summary>
    private static async ValueTask<bool> NextAsync(IAsyncEnumerator<WatchEvent> events, CancellationToken cancellationToken)
    {
        try
        {
            return await events.MoveNextAsync();
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is OperationCanceledException or StorageException)
        {
            return false;
        }
    }

    private static StorageException NotFound(string key) => new(StorageErrorCode.KeyNotFound, key, $"{key} not found");

    private string Collection(string ns) => $"{prefix}/configmaps/{ns}/";

    private string Key(string ns, string name) => Collection(ns) + name;
}
