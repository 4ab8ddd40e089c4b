namespace Apiserver.Generic.Storage.Etcd3;

/// <summary>How <see cref="Etcd3Storage"/> reaches etcd and how it behaves.</summary>
public sealed record Etcd3StorageOptions
{
    /// <summary>The etcd client URLs (<c>http://host:2379</c> or <c>https://host:2379</c>, all of one scheme).</summary>
    public IReadOnlyList<string> Endpoints { get; init; } = [];

    /// <summary>The PEM file of the CA that signed etcd's serving certificates; null trusts the system's roots.</summary>
    public string? CaFile { get; init; }

    /// <summary>The PEM client certificate presented to etcd (mutual TLS); needs <see cref="KeyFile"/>.</summary>
    public string? CertFile { get; init; }

    /// <summary>The PEM private key of <see cref="CertFile"/>.</summary>
    public string? KeyFile { get; init; }

    /// <summary>The longest any single operation may take before it fails with Unavailable. Default 10 seconds.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest the health check waits for etcd. Default 2 seconds.</summary>
    public TimeSpan HealthCheckTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How often to compact etcd's history, to the revision seen at the previous tick (as
    /// kube-apiserver does); null (the default) leaves compaction to <see cref="IStorage.CompactAsync"/>.
    /// </summary>
    public TimeSpan? CompactionInterval { get; init; }

    /// <summary>
    /// How long a watch opened with progress notification may stay silent before it yields a progress
    /// event. Default 5 seconds. (etcd's own notifications, which may advance the revision further,
    /// come at its <c>--experimental-watch-progress-notify-interval</c>.)
    /// </summary>
    public TimeSpan ProgressNotifyInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest pause between two attempts to re-establish a broken watch or connection. Default 2 seconds.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Every problem with the options (empty when they are valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Endpoints.Count == 0)
        {
            problems.Add("at least one etcd endpoint is needed");
        }

        foreach (var endpoint in Endpoints)
        {
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/")
            {
                problems.Add($"etcd endpoint \"{endpoint}\" is not an http:// or https:// URL of a host and port");
            }
        }

        if (Endpoints.Select(e => e.Split(':')[0]).Distinct(StringComparer.OrdinalIgnoreCase).Count() > 1)
        {
            problems.Add("etcd endpoints must all use the same scheme");
        }

        if ((CertFile is null) != (KeyFile is null))
        {
            problems.Add("an etcd client certificate needs both the certificate and the key file");
        }

        foreach (var file in new[] { CaFile, CertFile, KeyFile })
        {
            if (file is not null && !File.Exists(file))
            {
                problems.Add($"file \"{file}\" does not exist");
            }
        }

        Positive(RequestTimeout, nameof(RequestTimeout));
        Positive(HealthCheckTimeout, nameof(HealthCheckTimeout));
        Positive(ProgressNotifyInterval, nameof(ProgressNotifyInterval));
        Positive(MaxReconnectDelay, nameof(MaxReconnectDelay));
        if (CompactionInterval is { } interval)
        {
            Positive(interval, nameof(CompactionInterval));
        }

        return problems;

        void Positive(TimeSpan value, string name)
        {
            if (value <= TimeSpan.Zero)
            {
                problems.Add($"{name} must be positive");
            }
        }
    }

    /// <summary>Whether the endpoints use TLS.</summary>
    internal bool UsesTls => Endpoints.Count > 0 && Endpoints[0].StartsWith("https:", StringComparison.OrdinalIgnoreCase);
}
