using System.Net;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace KubeApiserver.Tests.Http;

/// <summary>
/// Cluster IPs as IPAddress objects across restarts of the whole server: what services hold stays
/// taken, and the repair controller's first pass at start-up recreates a lost IPAddress and deletes one
/// the allocator made that names no service. The etcd fixture runs the same scenario.
/// </summary>
[TestFixture]
public sealed class IpAddressAllocationTests
{
    private const string IpAddresses = "/apis/networking.k8s.io/v1/ipaddresses";

    [Test]
    public async Task Restart_KeepsAllocationsAndRepairsIpAddressesBothWays()
    {
        await using var server = await TestServer.StartAsync();
        await RestartKeepsAndRepairsAsync(server);
    }

    /// <summary>
    /// On a running <paramref name="server"/>: a service takes an IP, its IPAddress is lost and a stray
    /// one appears; after a restart the IP is still taken, the lost IPAddress is back, the stray one gone.
    /// </summary>
    internal static async Task RestartKeepsAndRepairsAsync(TestServer server)
    {
        var created = await server.Http.SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/services",
            """{"metadata":{"name":"kept"},"spec":{"clusterIP":"10.0.0.10","ports":[{"port":80}]}}""");
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        var address = await server.Http.SendAsync(HttpMethod.Get, $"{IpAddresses}/10.0.0.10");
        Assert.That(address.Body["spec"]!["parentRef"]!.ToJsonString(), Is.EqualTo("""{"group":"","resource":"services","namespace":"default","name":"kept"}"""));

        // Another service's IP, lost (as from a server that never wrote it), and an IPAddress of the
        // allocator's that names no service (kube deletes those at once; orphans of a service wait 60 s).
        var other = await server.Http.SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/services",
            """{"metadata":{"name":"lost"},"spec":{"clusterIP":"10.0.0.11","ports":[{"port":80}]}}""");
        Assert.That(other.Code, Is.EqualTo(HttpStatusCode.Created), other.Body.ToJsonString());
        Assert.That((await server.Http.SendAsync(HttpMethod.Delete, $"{IpAddresses}/10.0.0.11")).Code, Is.EqualTo(HttpStatusCode.OK));
        var stray = await server.Http.SendAsync(HttpMethod.Post, IpAddresses, """
            {"metadata":{"name":"10.0.0.12","labels":{"ipaddress.kubernetes.io/ip-family":"IPv4","ipaddress.kubernetes.io/managed-by":"ipallocator.k8s.io"}},
             "spec":{"parentRef":{"group":"gateway.networking.k8s.io","resource":"gateways","namespace":"default","name":"gw"}}}
            """);
        Assert.That(stray.Code, Is.EqualTo(HttpStatusCode.Created), stray.Body.ToJsonString());

        // The server is started once every post-start hook finished, the repair's first pass included.
        await server.RestartAsync();

        var taken = await server.Http.SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/services",
            """{"metadata":{"name":"dup"},"spec":{"clusterIP":"10.0.0.10","ports":[{"port":80}]}}""");
        var repaired = await server.Http.SendAsync(HttpMethod.Get, $"{IpAddresses}/10.0.0.11");
        var removed = await server.Http.SendAsync(HttpMethod.Get, $"{IpAddresses}/10.0.0.12");
        Assert.Multiple(() =>
        {
            Assert.That(taken.AssertStatus(422, "Invalid")["message"]!.ToString(), Does.EndWith("failed to allocate IP 10.0.0.10: provided IP is already allocated"));
            Assert.That(repaired.Code, Is.EqualTo(HttpStatusCode.OK), repaired.Body.ToJsonString());
            Assert.That(repaired.Body["spec"]?["parentRef"]?["name"]?.ToString(), Is.EqualTo("lost"));
            Assert.That(removed.Code, Is.EqualTo(HttpStatusCode.NotFound), removed.Body.ToJsonString());
        });
    }
}
