using System.Net;
using System.Text.Json.Nodes;
using Apiserver.Generic.Server.Certificates;
using KubeApiserver.Options;
using NUnit.Framework;

namespace KubeApiserver.Tests.Kubelet;

/// <summary>How the kubelet's serving certificate is checked: against <c>--kubelet-certificate-authority</c>, or, as in kube, not at all without one.</summary>
[TestFixture]
internal sealed class KubeletTlsTests
{
    private string _dir = null!;
    private FakeKubelet _kubelet = null!;

    [OneTimeSetUp]
    public async Task StartKubeletAsync()
    {
        _dir = Directory.CreateTempSubdirectory("kubelet-tls-").FullName;
        _kubelet = await FakeKubelet.StartAsync(Path.Combine(_dir, "kubelet"));
        _kubelet.Logs["default/web/app"] = "hello\n";
    }

    [OneTimeTearDown]
    public async Task StopKubeletAsync()
    {
        await _kubelet.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<TestServer> ServerWithPodAsync(KubeletOptions kubelet)
    {
        var server = await TestServer.StartAsync(kubelet: kubelet with { PreferredAddressTypes = ["InternalIP"] });
        await server.Http.SendAsync(HttpMethod.Post, "/api/v1/nodes", """{"metadata":{"name":"n"}}""");
        var node = (await server.Http.SendAsync(HttpMethod.Get, "/api/v1/nodes/n")).Body;
        node["status"] = new JsonObject
        {
            ["addresses"] = new JsonArray(new JsonObject { ["type"] = "InternalIP", ["address"] = "127.0.0.1" }),
            ["daemonEndpoints"] = new JsonObject { ["kubeletEndpoint"] = new JsonObject { ["Port"] = _kubelet.Port } },
        };
        Assert.That((await server.Http.SendAsync(HttpMethod.Put, "/api/v1/nodes/n/status", node.ToJsonString())).Code, Is.EqualTo(HttpStatusCode.OK));
        var created = await server.Http.SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/pods",
            """{"metadata":{"name":"web"},"spec":{"nodeName":"n","containers":[{"name":"app","image":"busybox"}]}}""");
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        return server;
    }

    [Test]
    public async Task WithoutACertificateAuthority_AnyKubeletCertificateIsAccepted_AndNoClientCertificateSent()
    {
        await using var server = await ServerWithPodAsync(new KubeletOptions());

        using var response = await server.Http.GetAsync("/api/v1/namespaces/default/pods/web/log");

        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("hello\n"));
        Assert.That(_kubelet.Requests.Last().ClientCertificate, Is.Null);
    }

    [Test]
    public async Task KubeletCertificateFromAnotherAuthority_IsRefused()
    {
        SelfSignedCertificates.Ensure(Path.Combine(_dir, "other"), ["localhost"], [IPAddress.Loopback]);
        await using var server = await ServerWithPodAsync(new KubeletOptions { CertificateAuthority = Path.Combine(_dir, "other", SelfSignedCertificates.CaCertFile) });
        var before = _kubelet.Requests.Count;

        var (code, body) = await server.Http.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/pods/web/log");

        Assert.That(code, Is.EqualTo(HttpStatusCode.ServiceUnavailable), body.ToJsonString());
        Assert.That(body["kind"]!.ToString(), Is.EqualTo("Status"));
        Assert.That(body["message"]!.ToString(), Does.StartWith($"error trying to reach https://127.0.0.1:{_kubelet.Port}"));
        Assert.That(_kubelet.Requests.Count, Is.EqualTo(before), "no request is sent over an untrusted connection");

        using var insecure = await server.Http.GetAsync("/api/v1/namespaces/default/pods/web/log?insecureSkipTLSVerifyBackend=true");
        Assert.That(await insecure.Content.ReadAsStringAsync(), Is.EqualTo("hello\n"), "a log may skip the check when asked to");
    }
}
