namespace Apiserver.Generic.Storage;

/// <summary>
/// Whether a storage backend can serve: a backend that checks itself (<see cref="IStorageHealth"/>)
/// is asked; any other is probed with a read of its current revision.
/// </summary>
public static class StorageHealthCheck
{
    /// <summary>The check's name: the backend's own (<c>etcd</c>, <c>sqlite</c>) or <c>storage</c>.</summary>
    public static string NameOf(IStorage storage) => (storage as IStorageHealth)?.HealthCheckName ?? "storage";

    /// <summary>Null when the backend answers; otherwise what is wrong.</summary>
    public static async ValueTask<string?> CheckAsync(IStorage storage, CancellationToken cancellationToken)
    {
        try
        {
            if (storage is IStorageHealth health)
            {
                return await health.CheckHealthAsync(cancellationToken);
            }
            await storage.GetCurrentRevisionAsync(cancellationToken);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return e.Message;
        }
    }
}
