using System.Net;
using System.Net.WebSockets;
using System.Text;
using k8s;
using NUnit.Framework;

namespace KubeApiserver.Tests.Kubelet;

/// <summary>pods/exec, pods/attach and pods/portforward as kube-apiserver 1.34 serves them: upgraded sessions relayed to the kubelet.</summary>
[TestFixture]
internal sealed class PodExecTests : KubeletFixture
{
    protected override async Task OnStartedAsync()
    {
        await base.OnStartedAsync();
        await CreatePodAsync("multi", NodeName, "app", "sidecar");
        await CreatePodAsync("pending", "", "app");
    }

    [Test]
    public async Task KubectlExec_RunsTheCommandThroughTheKubelet()
    {
        var output = await Kubectl.OkAsync($"exec web -n {Namespace} -- echo hi there");

        Assert.That(output, Is.EqualTo("hi there\n"));
        var seen = Kubelet.Seen($"/exec/{Namespace}/web/app").Last();
        Assert.That(seen.WebSocket, Is.True, "the upgrade reaches the kubelet");
        Assert.That(seen.Query, Is.EqualTo("?command=echo&command=hi&command=there&error=1&output=1"));
        Assert.That(seen.ClientCertificate, Is.EqualTo(ClientName));
        Assert.That(seen.Authorization, Is.Empty);
    }

    [Test]
    public async Task KubectlExec_ExitsWithTheCommandsExitCode()
    {
        var (code, _, error) = await Kubectl.RunAsync($"exec multi -c sidecar -n {Namespace} -- exit 3");

        Assert.That(code, Is.EqualTo(3), error);
        Assert.That(error, Does.Contain("exiting with 3"));
        Assert.That(Kubelet.Seen($"/exec/{Namespace}/multi/sidecar"), Is.Not.Empty);
    }

    [Test]
    public async Task CSharpClient_ExecsOverWebSocket()
    {
        using var client = Server.CreateClient();
        var output = new StringBuilder();
        var exitCode = await client.NamespacedPodExecAsync("web", Namespace, "app", ["echo", "from", "csharp"], false, async (stdin, stdout, stderr) =>
        {
            using var reader = new StreamReader(stdout);
            output.Append(await reader.ReadToEndAsync());
        }, CancellationToken.None);

        Assert.That(exitCode, Is.Zero);
        Assert.That(output.ToString(), Is.EqualTo("from csharp\n"));
        Assert.That(Kubelet.Seen($"/exec/{Namespace}/web/app").Last().Query, Does.StartWith("?command=echo&command=from&command=csharp"));
    }

    [Test]
    public async Task CSharpClient_SeesANonZeroExitCode()
    {
        using var client = Server.CreateClient();
        var exitCode = await client.NamespacedPodExecAsync("web", Namespace, "app", ["exit", "7"], false, (_, _, _) => Task.CompletedTask, CancellationToken.None);

        Assert.That(exitCode, Is.EqualTo(7));
    }

    [Test]
    public async Task KubectlAttach_PrintsWhatTheContainerWrites()
    {
        var (code, output, error) = await Kubectl.RunAsync($"attach multi -c sidecar -n {Namespace}");

        Assert.That(code, Is.Zero, error);
        Assert.That(output, Is.EqualTo("attached to sidecar\n"));
        Assert.That(Kubelet.Seen($"/attach/{Namespace}/multi/sidecar").Last().WebSocket, Is.True);
    }

    [Test]
    public async Task Attach_RelaysTheSession()
    {
        using var client = Server.CreateClient();
        using var socket = await client.WebSocketNamespacedPodAttachAsync("web", Namespace, "app", stdout: true, stderr: false, stdin: false, tty: false);
        var buffer = new byte[1024];
        var received = await socket.ReceiveAsync(buffer, CancellationToken.None);

        Assert.That(buffer[0], Is.EqualTo(1), "stdout channel");
        Assert.That(Encoding.UTF8.GetString(buffer, 1, received.Count - 1), Is.EqualTo("attached to app\n"));
        Assert.That(Kubelet.Seen($"/attach/{Namespace}/web/app").Last().Query, Is.EqualTo("?output=1"));
    }

    [TestCase("exec?command=ls&stdout=true")]
    [TestCase("attach?stdout=true")]
    [TestCase("portforward?ports=80")]
    public async Task WithoutAnUpgrade_IsBadRequest(string subresource)
    {
        var (code, body) = await Server.Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{Namespace}/pods/web/{subresource}");

        Assert.That(code, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body["message"]!.ToString(), Is.EqualTo("Upgrade request required"));
    }

    [TestCase("web/exec?stdout=true", "you must specify at least one command for the container")]
    [TestCase("web/exec?command=ls", "you must specify at least 1 of stdin, stdout, stderr")]
    [TestCase("multi/exec?command=ls&stdout=true", "a container name must be specified for pod multi, choose one of: [app sidecar]")]
    [TestCase("multi/attach?container=nope&stdout=true", "container nope is not valid for pod multi")]
    [TestCase("pending/exec?command=ls&stdout=true", "pod pending does not have a host assigned")]
    [TestCase("pending/portforward?ports=80", "pod pending does not have a host assigned")]
    public async Task BadRequests_AnswerKubesStatus(string path, string message)
    {
        var (code, body) = await Server.Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{Namespace}/pods/{path}");

        Assert.That(code, Is.EqualTo(HttpStatusCode.BadRequest), body.ToJsonString());
        Assert.That(body["reason"]!.ToString(), Is.EqualTo("BadRequest"));
        Assert.That(body["message"]!.ToString(), Is.EqualTo(message));
    }

    [Test]
    public async Task PortForward_UpgradesToTheKubeletsPortForward()
    {
        using var socket = new ClientWebSocket();
        socket.Options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        socket.Options.SetRequestHeader("Authorization", $"Bearer {Server.Chain.AdminToken}");
        socket.Options.AddSubProtocol("v4.channel.k8s.io");
        var uri = new UriBuilder(Server.Chain.Address) { Scheme = "wss", Path = $"/api/v1/namespaces/{Namespace}/pods/web/portforward", Query = "ports=8080&ports=9090" }.Uri;

        // The fake kubelet answers port-forward as a plain request: the upgrade it does not accept comes back as its answer.
        Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, CancellationToken.None));
        var seen = Kubelet.Seen($"/portForward/{Namespace}/web").Last();
        Assert.That(seen.Query, Is.EqualTo("?port=8080%2C9090"));
        Assert.That(seen.WebSocket, Is.True);
    }

    [Test]
    public async Task Discovery_ListsKubesVerbsAndKinds()
    {
        var resources = (await Server.Http.SendAsync(HttpMethod.Get, "/api/v1")).Body["resources"]!.AsArray()
            .ToDictionary(r => r!["name"]!.ToString(), r => (Kind: r!["kind"]!.ToString(), Verbs: string.Join(",", r["verbs"]!.AsArray().Select(v => v!.ToString()))));

        Assert.That(resources["pods/attach"], Is.EqualTo(("PodAttachOptions", "create,get")));
        Assert.That(resources["pods/exec"], Is.EqualTo(("PodExecOptions", "create,get")));
        Assert.That(resources["pods/log"], Is.EqualTo(("Pod", "get")));
        Assert.That(resources["pods/portforward"], Is.EqualTo(("PodPortForwardOptions", "create,get")));
        Assert.That(resources["pods/proxy"], Is.EqualTo(("PodProxyOptions", "create,delete,get,patch,update")));
        Assert.That(resources["nodes/proxy"], Is.EqualTo(("NodeProxyOptions", "create,delete,get,patch,update")));
        Assert.That(resources["services/proxy"], Is.EqualTo(("ServiceProxyOptions", "create,delete,get,patch,update")));
    }
}
