using Apiserver.Bench.Servers;
using Apiserver.Bench.Targets;
using Apiserver.Generic.Storage;
using Apiserver.Generic.Storage.Etcd3;
using Apiserver.Generic.Storage.Sqlite;

namespace Apiserver.Bench.Running;

/// <summary>
/// Everything a run needs, started in order and stopped in reverse: the server (a child process, or
/// the one at <c>--url</c>), the storage baseline and the bare Kestrel baseline, with a target for each.
/// Disposal kills the child, deletes the temporary directories and the run's etcd keys.
/// </summary>
internal sealed class BenchSession : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly List<IBenchTarget> _baselines = [];

    private readonly ConfigMaps _objects;

    /// <summary>The objects the load is made of.</summary>
    public ConfigMaps Objects => _objects;

    private BenchSession(BenchOptions options)
    {
        Options = options;
        _objects = new ConfigMaps(options.ObjectSize);
    }

    public BenchOptions Options { get; }

    public IBenchTarget Server { get; private set; } = null!;

    public IReadOnlyList<IBenchTarget> Baselines => _baselines;

    /// <summary>The child server process; null when benchmarking <c>--url</c>.</summary>
    public ServerProcess? Process { get; private set; }

    /// <summary>The key prefix of this run in etcd (server keys under <c>server/</c>, baseline keys under <c>storage/</c>).</summary>
    public string EtcdKeyPrefix { get; } = $"/apiserver-bench-{Guid.NewGuid():N}/";

    public static async Task<BenchSession> StartAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var session = new BenchSession(options);
        try
        {
            await session.StartServerAsync(cancellationToken);
            if (options.Baselines.Contains("storage"))
            {
                session._baselines.Add(await session.OpenStorageBaselineAsync(cancellationToken));
            }
            if (options.Baselines.Contains("kestrel"))
            {
                var kestrel = await KestrelBaseline.StartAsync(session._objects, cancellationToken);
                session._owned.Add(kestrel);
                session._baselines.Add(new HttpTarget("kestrel", BenchHttp.CreateClient(kestrel.Address, kestrel.CaCertificatePem, null, options.Http2), session._objects));
            }
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops everything in reverse order of start.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var target in _baselines.AsEnumerable().Reverse())
        {
            await target.DisposeAsync();
        }
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
        foreach (var owned in _owned.AsEnumerable().Reverse())
        {
            await owned.DisposeAsync();
        }
        if (Options.UsesEtcd)
        {
            await EtcdPrefix.DeleteAsync(Options.EtcdServers[0], EtcdKeyPrefix);
        }
    }

    private async Task StartServerAsync(CancellationToken cancellationToken)
    {
        if (Options.TargetUrl is { } url)
        {
            var ca = Options.CaFile is null ? null : await File.ReadAllTextAsync(Options.CaFile, cancellationToken);
            Server = new HttpTarget("server", BenchHttp.CreateClient(url, ca, Options.Token, Options.Http2), _objects);
            return;
        }

        List<string> arguments = [];
        if (Options.UsesEtcd)
        {
            arguments.AddRange(["--etcd-servers", string.Join(',', Options.EtcdServers), "--etcd-prefix", EtcdKeyPrefix + "server"]);
        }
        var dll = Options.ServerDll ?? Path.Combine(AppContext.BaseDirectory, "kube-apiserver.dll");
        Process = await ServerProcess.StartAsync(dll, arguments, cancellationToken);
        _owned.Add(Process);
        Server = new HttpTarget("server", BenchHttp.CreateClient(Process.Address, Process.CaCertificatePem, Process.AdminToken, Options.Http2), _objects);
    }

    /// <summary>A fresh store of the same backend, in this process: SQLite in a temporary directory, or the same etcd under this run's prefix.</summary>
    private async Task<IBenchTarget> OpenStorageBaselineAsync(CancellationToken cancellationToken)
    {
        if (Options.UsesEtcd)
        {
            var etcd = Etcd3Storage.Open(new Etcd3StorageOptions { Endpoints = Options.EtcdServers });
            return new StorageTarget(etcd, EtcdKeyPrefix + "storage", _objects, () => ValueTask.CompletedTask);
        }
        var dir = Directory.CreateTempSubdirectory("kube-apiserver-bench-storage-").FullName;
        IStorage sqlite;
        try
        {
            // The server's own settings (see ServerChain).
            sqlite = await SqliteStorage.OpenInDirectoryAsync(dir, new SqliteStorageOptions { CompactionInterval = TimeSpan.FromMinutes(5) }, cancellationToken);
        }
        catch
        {
            TempDirectory.Delete(dir);
            throw;
        }
        return new StorageTarget(sqlite, "/registry", _objects, () =>
        {
            TempDirectory.Delete(dir);
            return ValueTask.CompletedTask;
        });
    }
}
