using Apiserver.Generic.Storage.Sqlite;

namespace Apiserver.Kube.Tests;

/// <summary>An embedded store in a folder of its own, removed with it: the real storage these tests run on.</summary>
internal sealed class TempStore : IAsyncDisposable
{
    private readonly string _dir;

    private TempStore(string dir, SqliteStorage storage)
    {
        _dir = dir;
        Storage = storage;
    }

    /// <summary>The store.</summary>
    public SqliteStorage Storage { get; }

    /// <summary>Opens a store in a new temporary folder whose name starts with <paramref name="name"/>.</summary>
    public static async Task<TempStore> OpenAsync(string name)
    {
        var dir = Directory.CreateTempSubdirectory(name + "-").FullName;
        return new TempStore(dir, await SqliteStorage.OpenInDirectoryAsync(dir));
    }

    /// <summary>Closes the store and removes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        await Storage.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
