using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Apiserver.Generic.Server.Certificates;
using KubeApiserver.Options;
using KubeApiserver.Tests.E2E;
using NUnit.Framework;

namespace KubeApiserver.Tests.Kubelet;

/// <summary>
/// A server that reaches a <see cref="FakeKubelet"/> as node <c>node-1</c> (InternalIP 127.0.0.1,
/// the fake's port as its kubelet port), verifying the fake's certificate against its CA and
/// presenting a client certificate of <c>kube-apiserver-kubelet-client</c>; with a namespace whose
/// pod <c>web</c> (one container, <c>app</c>) runs on that node.
/// </summary>
internal abstract class KubeletFixture : KubectlFixture
{
    protected const string NodeName = "node-1";
    protected const string ClientName = "kube-apiserver-kubelet-client";

    private string _kubeletDir = null!;

    /// <summary>The fake kubelet.</summary>
    protected FakeKubelet Kubelet { get; private set; } = null!;

    /// <summary>The namespace the fixture's pods live in.</summary>
    protected string Namespace { get; private set; } = null!;

    protected override async Task<TestServer> NewServerAsync()
    {
        _kubeletDir = Directory.CreateTempSubdirectory("fake-kubelet-").FullName;
        Kubelet = await FakeKubelet.StartAsync(Path.Combine(_kubeletDir, "pki"));
        using var ca = X509Certificate2.CreateFromPemFile(Kubelet.CaFile, Path.Combine(_kubeletDir, "pki", SelfSignedCertificates.CaKeyFile));
        var client = ClientCertificates.Issue(ca, ClientName, ["kubelet-api-admins"]);
        var certFile = Path.Combine(_kubeletDir, "client.crt");
        var keyFile = Path.Combine(_kubeletDir, "client.key");
        await File.WriteAllTextAsync(certFile, client.CertificatePem);
        await File.WriteAllTextAsync(keyFile, client.KeyPem);
        return await TestServer.StartAsync(kubelet: new KubeletOptions
        {
            ClientCertificate = certFile,
            ClientKey = keyFile,
            CertificateAuthority = Kubelet.CaFile,
            PreferredAddressTypes = ["InternalIP"],
        });
    }

    protected override async Task OnStartedAsync()
    {
        await CreateNodeAsync(NodeName, "127.0.0.1", Kubelet.Port);
        Namespace = "ns-" + Guid.NewGuid().ToString("N")[..8];
        await Expect(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/namespaces", $$$"""{"metadata":{"name":"{{{Namespace}}}"}}""");
        await CreatePodAsync("web", NodeName, "app");
    }

    [OneTimeTearDown]
    public async Task StopKubeletAsync()
    {
        await Kubelet.DisposeAsync();
        Directory.Delete(_kubeletDir, recursive: true);
    }

    /// <summary>Registers a node with one InternalIP address and its kubelet port, as a kubelet would.</summary>
    protected async Task CreateNodeAsync(string name, string address, int port)
    {
        await Expect(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/nodes", $$$"""{"metadata":{"name":"{{{name}}}"}}""");
        var node = await Expect(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/nodes/{name}");
        node["status"] = new JsonObject
        {
            ["addresses"] = new JsonArray(new JsonObject { ["type"] = "InternalIP", ["address"] = address }),
            ["daemonEndpoints"] = new JsonObject { ["kubeletEndpoint"] = new JsonObject { ["Port"] = port } },
        };
        await Expect(HttpStatusCode.OK, HttpMethod.Put, $"/api/v1/nodes/{name}/status", node.ToJsonString());
    }

    /// <summary>Creates a pod with the named containers on <paramref name="node"/> (none when empty) and gives it <paramref name="podIp"/>.</summary>
    protected async Task CreatePodAsync(string name, string node, params string[] containers) => await CreatePodAsync(name, node, "127.0.0.1", containers);

    /// <inheritdoc cref="CreatePodAsync(string, string, string[])"/>
    protected async Task CreatePodAsync(string name, string node, string podIp, string[] containers)
    {
        var pod = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject
            {
                ["containers"] = new JsonArray([.. containers.Select(c => (JsonNode)new JsonObject { ["name"] = c, ["image"] = "busybox", ["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 8080 }) })]),
            },
        };
        if (node.Length > 0)
        {
            pod["spec"]!["nodeName"] = node;
        }
        var created = await Expect(HttpStatusCode.Created, HttpMethod.Post, $"/api/v1/namespaces/{Namespace}/pods", pod.ToJsonString());
        created["status"] = JsonNode.Parse($$$"""{"phase":"Running","podIP":"{{{podIp}}}","podIPs":[{"ip":"{{{podIp}}}"}]}""");
        await Expect(HttpStatusCode.OK, HttpMethod.Put, $"/api/v1/namespaces/{Namespace}/pods/{name}/status", created.ToJsonString());
    }

    /// <summary>Sends a request as the admin and asserts its status code.</summary>
    protected async Task<JsonObject> Expect(HttpStatusCode code, HttpMethod method, string path, string? json = null)
    {
        var (actual, body) = await Server.Http.SendAsync(method, path, json);
        Assert.That(actual, Is.EqualTo(code), $"{method} {path}: {body.ToJsonString()}");
        return body;
    }
}
