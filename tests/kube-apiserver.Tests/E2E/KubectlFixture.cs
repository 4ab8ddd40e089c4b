using NUnit.Framework;

namespace KubeApiserver.Tests.E2E;

/// <summary>
/// A fixture with one server on the embedded store and kubectl pointed at it, for all its tests,
/// and a scratch folder for the manifests they write.
/// </summary>
internal abstract class KubectlFixture
{
    /// <summary>The server.</summary>
    protected TestServer Server { get; private set; } = null!;

    /// <summary>kubectl with the server's admin kubeconfig.</summary>
    protected Kubectl Kubectl { get; private set; } = null!;

    /// <summary>A folder of the fixture's own, removed with the server.</summary>
    protected string ScratchDir { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartServerAsync()
    {
        Server = await NewServerAsync();
        Kubectl = new Kubectl(Server.KubeconfigPath);
        ScratchDir = Directory.CreateTempSubdirectory("kubectl-e2e-").FullName;
        await OnStartedAsync();
    }

    [OneTimeTearDown]
    public async Task StopServerAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(ScratchDir, recursive: true);
    }

    /// <summary>Starts the server; a fixture that needs flags of its own overrides it.</summary>
    protected virtual Task<TestServer> NewServerAsync() => TestServer.StartAsync();

    /// <summary>Setup of the fixture's own, once the server runs (a namespace, say).</summary>
    protected virtual Task OnStartedAsync() => Task.CompletedTask;
}
