using System.Net;
using k8s;
using NUnit.Framework;

namespace KubeApiserver.Tests.Kubelet;

/// <summary>pods/log as kube-apiserver 1.34 serves it: proxied to the kubelet's containerLogs, streamed, its options checked.</summary>
[TestFixture]
internal sealed class PodLogTests : KubeletFixture
{
    protected override async Task OnStartedAsync()
    {
        await base.OnStartedAsync();
        Kubelet.Logs[$"{Namespace}/web/app"] = "line one\nline two\n";
        await CreatePodAsync("multi", NodeName, "app", "sidecar");
        Kubelet.Logs[$"{Namespace}/multi/sidecar"] = "from the sidecar\n";
        await CreatePodAsync("pending", "", "app");
        await CreatePodAsync("quiet", NodeName, "app");
    }

    [Test]
    public async Task KubectlLogs_PrintsTheLogTheKubeletServes_OverTheClientCertificate()
    {
        var output = await Kubectl.OkAsync($"logs web -n {Namespace}");

        Assert.That(output, Is.EqualTo("line one\nline two\n"));
        var seen = Kubelet.Seen($"/containerLogs/{Namespace}/web/app").Last();
        Assert.That(seen.Method, Is.EqualTo("GET"));
        Assert.That(seen.ClientCertificate, Is.EqualTo(ClientName), "the --kubelet-client-certificate is presented");
        Assert.That(seen.Authorization, Is.Empty, "the client's credentials stay with the apiserver");
        Assert.That(seen.ForwardedFor, Is.EqualTo("127.0.0.1"));
    }

    [Test]
    public async Task KubectlLogs_PassesItsOptionsToTheKubelet()
    {
        await Kubectl.OkAsync($"logs web -n {Namespace} --tail=1 --since=5m --timestamps --limit-bytes=100 -c app");
        await Kubectl.OkAsync($"logs web -n {Namespace} --previous --since-time=2026-01-02T03:04:05Z");

        var seen = Kubelet.Seen($"/containerLogs/{Namespace}/web/app").TakeLast(2).ToList();
        Assert.That(seen[0].Query, Is.EqualTo("?limitBytes=100&sinceSeconds=300&tailLines=1&timestamps=true"));
        Assert.That(seen[1].Query, Is.EqualTo("?previous=true&sinceTime=2026-01-02T03%3A04%3A05Z"));
    }

    [Test]
    public async Task KubectlLogsFollow_PrintsLinesWhileTheStreamStaysOpen()
    {
        using var process = Kubectl.Start($"logs -f web -n {Namespace}");
        try
        {
            var first = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            var second = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));

            Assert.That((first, second), Is.EqualTo(("line one", "line two")));
            Assert.That(process.HasExited, Is.False, "the kubelet keeps a followed log open");
            Assert.That(Kubelet.Seen($"/containerLogs/{Namespace}/web/app").Last().Query, Is.EqualTo("?follow=true"));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
        }
    }

    [Test]
    public async Task CSharpClient_ReadsTheLog()
    {
        using var client = Server.CreateClient();
        await using var stream = await client.CoreV1.ReadNamespacedPodLogAsync("multi", Namespace, container: "sidecar", tailLines: 5);
        using var reader = new StreamReader(stream);

        Assert.That(await reader.ReadToEndAsync(), Is.EqualTo("from the sidecar\n"));
        Assert.That(Kubelet.Seen($"/containerLogs/{Namespace}/multi/sidecar").Last().Query, Is.EqualTo("?tailLines=5"));
    }

    [Test]
    public async Task SeveralContainersAndNoneNamed_IsBadRequestListingThem()
    {
        var (code, body) = await Server.Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{Namespace}/pods/multi/log");

        Assert.That(code, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body["reason"]!.ToString(), Is.EqualTo("BadRequest"));
        Assert.That(body["message"]!.ToString(), Is.EqualTo("a container name must be specified for pod multi, choose one of: [app sidecar]"));
    }

    [Test]
    public async Task UnknownContainer_KubectlReportsKubesMessage()
    {
        var (code, _, error) = await Kubectl.RunAsync($"logs multi -n {Namespace} -c nope");

        Assert.That(code, Is.Not.Zero);
        Assert.That(error, Does.Contain("container nope is not valid for pod multi"));
    }

    [TestCase("tailLines=-1", "tailLines: Invalid value: -1: must be greater than or equal to 0")]
    [TestCase("limitBytes=0", "limitBytes: Invalid value: 0: must be greater than 0")]
    [TestCase("sinceSeconds=0", "sinceSeconds: Invalid value: 0: must be greater than 0")]
    [TestCase("sinceSeconds=5&sinceTime=2026-01-02T03:04:05Z", "Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified")]
    public async Task InvalidOptions_AreUnprocessable(string query, string message)
    {
        var (code, body) = await Server.Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{Namespace}/pods/web/log?{query}");

        Assert.That(code, Is.EqualTo(HttpStatusCode.UnprocessableEntity), body.ToJsonString());
        Assert.That(body["reason"]!.ToString(), Is.EqualTo("Invalid"));
        Assert.That(body["details"]!["kind"]!.ToString(), Is.EqualTo("PodLogOptions"));
        Assert.That(body["message"]!.ToString(), Does.Contain(message));
    }

    [Test]
    public async Task NotANumber_IsBadRequest()
    {
        var (code, _) = await Server.Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{Namespace}/pods/web/log?tailLines=ten");

        Assert.That(code, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task PodWithoutANode_HasAnEmptyLog()
    {
        using var response = await Server.Http.GetAsync($"/api/v1/namespaces/{Namespace}/pods/pending/log");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.Empty);
    }

    [Test]
    public async Task KubeletError_BecomesAStatusOfItsCode()
    {
        var (code, body) = await Server.Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{Namespace}/pods/quiet/log");

        Assert.That(code, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(body["kind"]!.ToString(), Is.EqualTo("Status"));
        Assert.That(body["message"]!.ToString(), Does.Contain($"container {Namespace}/quiet/app has no log here"));
    }

    [Test]
    public async Task MissingPod_IsNotFound()
    {
        var (code, body) = await Server.Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{Namespace}/pods/ghost/log");

        Assert.That(code, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(body["message"]!.ToString(), Is.EqualTo("pods \"ghost\" not found"));
    }
}
