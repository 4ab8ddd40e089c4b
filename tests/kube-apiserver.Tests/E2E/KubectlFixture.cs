using NUnit.Framework;

namespace KubeApiserver.Tests.E2E;

/// <summary>A fixture with one server on the embedded store and kubectl pointed at it, for all its tests.</summary>
internal abstract class KubectlFixture
{
    /// <summary>The server.</summary>
    protected TestServer Server { get; private set; } = null!;

    /// <summary>kubectl with the server's admin kubeconfig.</summary>
    protected Kubectl Kubectl { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartServerAsync()
    {
        Server = await TestServer.StartAsync();
        Kubectl = new Kubectl(Server.KubeconfigPath);
        await OnStartedAsync();
    }

    [OneTimeTearDown]
    public async Task StopServerAsync() => await Server.DisposeAsync();

    /// <summary>Setup of the fixture's own, once the server runs (a namespace, say).</summary>
    protected virtual Task OnStartedAsync() => Task.CompletedTask;
}
