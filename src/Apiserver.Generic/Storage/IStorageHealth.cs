namespace Apiserver.Generic.Storage;

/// <summary>
/// A backend that can tell whether it can serve: the server adds a health check named
/// <see cref="HealthCheckName"/> to <c>/livez</c> and <c>/readyz</c> for it.
/// </summary>
public interface IStorageHealth
{
    /// <summary>The check's name, as it appears in <c>/readyz?verbose</c> (e.g. <c>etcd</c>).</summary>
    string HealthCheckName { get; }

    /// <summary>Null when the backend answers; otherwise what is wrong. Returns within the backend's own timeout.</summary>
    ValueTask<string?> CheckHealthAsync(CancellationToken cancellationToken = default);
}
