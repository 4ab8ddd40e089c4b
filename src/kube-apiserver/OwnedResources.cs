namespace KubeApiserver;

/// <summary>What the chain builds and must stop when it stops: caches that watch, webhook clients.</summary>
internal sealed class OwnedResources : IAsyncDisposable
{
    private readonly List<object> _resources = [];

    /// <summary>Takes ownership of <paramref name="resource"/> (disposable or async-disposable) and returns it.</summary>
    public T Add<T>(T resource) where T : class
    {
        _resources.Add(resource);
        return resource;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        // Last built, first stopped.
        for (var i = _resources.Count - 1; i >= 0; i--)
        {
            switch (_resources[i])
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
        _resources.Clear();
    }
}
