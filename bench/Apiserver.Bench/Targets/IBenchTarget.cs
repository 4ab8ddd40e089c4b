namespace Apiserver.Bench.Targets;

/// <summary>
/// One thing the load is sent to: the API server, the storage backend under it, or bare Kestrel.
/// Every operation completes or throws; the runner counts what throws as an error.
/// </summary>
internal interface IBenchTarget : IAsyncDisposable
{
    /// <summary>How the target is named in the report (<c>server</c>, <c>storage</c>, <c>kestrel</c>).</summary>
    string Name { get; }

    /// <summary>Makes <paramref name="ns"/> usable (creates the namespace where there is one).</summary>
    Task PrepareNamespaceAsync(string ns, CancellationToken cancellationToken);

    /// <summary>Opens up to <paramref name="connections"/> connections ahead of a timed phase, so handshakes are not timed.</summary>
    Task WarmUpAsync(string ns, int connections, CancellationToken cancellationToken);

    Task CreateAsync(string ns, string name, CancellationToken cancellationToken);

    /// <summary>
    /// Reads one object: a consistent read, or with <paramref name="cached"/> one that may be served
    /// from a cache (<c>resourceVersion=0</c>; a storage target reads the same either way).
    /// </summary>
    Task GetAsync(string ns, string name, bool cached, CancellationToken cancellationToken);

    /// <summary>Read-modify-write: reads the object and writes it back changed, on the version read.</summary>
    Task UpdateAsync(string ns, string name, int variant, CancellationToken cancellationToken);

    /// <summary>Lists the namespace in one request; returns the response's size in bytes.</summary>
    Task<long> ListAsync(string ns, CancellationToken cancellationToken);

    /// <summary>Lists the namespace in pages of <paramref name="limit"/>, all at one revision; returns the bytes read.</summary>
    Task<long> ListPagedAsync(string ns, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Starts watching the namespace from now and returns once the watch is established: the
    /// stream yields the name of every object created after that.
    /// </summary>
    Task<IAsyncEnumerable<string>> WatchCreatedAsync(string ns, CancellationToken cancellationToken);
}
