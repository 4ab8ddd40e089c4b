using System.Net;
using NUnit.Framework;

namespace KubeApiserver.Tests;

/// <summary>A fixture with one running server for all its tests; each test works in a namespace of its own.</summary>
public abstract class ServerFixture
{
    /// <summary>The server.</summary>
    protected TestServer Server { get; private set; } = null!;

    /// <summary>An admin HTTP client.</summary>
    protected HttpClient Http => Server.Http;

    [OneTimeSetUp]
    public async Task StartServerAsync() => Server = await TestServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServerAsync() => await Server.DisposeAsync();

    /// <summary>Creates a namespace with a unique name.</summary>
    protected async Task<string> NewNamespaceAsync()
    {
        var name = "ns-" + Guid.NewGuid().ToString("N")[..8];
        var created = await Http.SendAsync(HttpMethod.Post, "/api/v1/namespaces", $$$"""{"metadata":{"name":"{{{name}}}"}}""");
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        return name;
    }
}
