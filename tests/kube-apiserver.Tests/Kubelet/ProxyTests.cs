using System.Net;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace KubeApiserver.Tests.Kubelet;

/// <summary>
/// services/proxy, pods/proxy and nodes/proxy as kube-apiserver 1.34 serves them. Only a service's
/// endpoints may be on loopback; kube refuses to proxy to a pod or node whose address is not global
/// unicast, and the tests never leave loopback.
/// </summary>
[TestFixture]
internal sealed class ProxyTests : KubeletFixture
{
    protected override async Task OnStartedAsync()
    {
        await base.OnStartedAsync();
        // A service whose endpoint is pod web, at the fake kubelet's port (HTTPS).
        await Expect(HttpStatusCode.Created, HttpMethod.Post, $"/api/v1/namespaces/{Namespace}/services",
            """{"metadata":{"name":"web"},"spec":{"ports":[{"name":"https","port":443}]}}""");
        var endpoints = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "web" },
            ["subsets"] = new JsonArray(new JsonObject
            {
                ["addresses"] = new JsonArray(new JsonObject { ["ip"] = "127.0.0.1", ["targetRef"] = new JsonObject { ["kind"] = "Pod", ["namespace"] = Namespace, ["name"] = "web" } }),
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = Kubelet.Port }),
            }),
        };
        await Expect(HttpStatusCode.Created, HttpMethod.Post, $"/api/v1/namespaces/{Namespace}/endpoints", endpoints.ToJsonString());
        await Expect(HttpStatusCode.Created, HttpMethod.Post, $"/api/v1/namespaces/{Namespace}/services",
            """{"metadata":{"name":"lonely"},"spec":{"ports":[{"port":80}]}}""");
        await Expect(HttpStatusCode.Created, HttpMethod.Post, $"/api/v1/namespaces/{Namespace}/endpoints", """{"metadata":{"name":"lonely"}}""");
        // An address that is no pod's is never proxied to.
        await Expect(HttpStatusCode.Created, HttpMethod.Post, $"/api/v1/namespaces/{Namespace}/services",
            """{"metadata":{"name":"stray"},"spec":{"ports":[{"port":80}]}}""");
        await Expect(HttpStatusCode.Created, HttpMethod.Post, $"/api/v1/namespaces/{Namespace}/endpoints",
            """{"metadata":{"name":"stray"},"subsets":[{"addresses":[{"ip":"127.0.0.1"}],"ports":[{"port":80}]}]}""");
    }

    [Test]
    public async Task KubectlGetRaw_ReachesAServiceEndpoint_WithPathAndQuery()
    {
        var output = await Kubectl.OkAsync($"get --raw /api/v1/namespaces/{Namespace}/services/https:web:https/proxy/healthz/ready?verbose=1");

        Assert.That(output, Is.EqualTo("kubelet saw GET /healthz/ready?verbose=1"));
        var seen = Kubelet.Seen("/healthz/ready").Last();
        Assert.That(seen.ClientCertificate, Is.Null, "the kubelet client's certificate is for kubelets only");
        Assert.That(seen.Authorization, Is.Empty);
    }

    [Test]
    public async Task ServicePortNumber_IsMappedToItsName()
    {
        using var response = await Server.Http.PostAsync($"/api/v1/namespaces/{Namespace}/services/https:web:443/proxy/submit/", new StringContent("{}"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("kubelet saw POST /submit/"), "the trailing slash is kept");
    }

    [Test]
    public async Task EmptyProxyPath_IsRedirectedToTheSlash()
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        using var http = new HttpClient(handler) { BaseAddress = Server.Chain.Address };
        http.DefaultRequestHeaders.Authorization = new("Bearer", Server.Chain.AdminToken);
        using var response = await http.GetAsync($"/api/v1/namespaces/{Namespace}/services/https:web:https/proxy?a=b");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.MovedPermanently));
        Assert.That(response.Headers.Location!.ToString(), Is.EqualTo($"/api/v1/namespaces/{Namespace}/services/https:web:https/proxy/?a=b"));
    }

    [TestCase("lonely", "no endpoints available for service \"lonely\"")]
    [TestCase("stray", "no endpoints available for service \"stray\"")]
    [TestCase("web:8443", "no service port 8443 found for service \"web\"")]
    public async Task NoUsableEndpoint_IsServiceUnavailable(string name, string message)
    {
        var (code, body) = await Server.Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{Namespace}/services/{name}/proxy/");

        Assert.That(code, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(body["reason"]!.ToString(), Is.EqualTo("ServiceUnavailable"));
        Assert.That(body["message"]!.ToString(), Is.EqualTo(message));
    }

    [TestCase("services/ftp:web:https", "invalid service request \"ftp:web:https\"")]
    [TestCase("pods/a:b:c:d", "invalid pod request \"a:b:c:d\"")]
    [TestCase("pods/web", "address not allowed")]
    public async Task RefusedTargets_AreBadRequest(string resource, string message)
    {
        var (code, body) = await Server.Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{Namespace}/{resource}/proxy/");

        Assert.That(code, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body["message"]!.ToString(), Is.EqualTo(message));
    }

    [Test]
    public async Task NodeProxy_ToALoopbackKubelet_IsRefusedAsKubeRefusesIt()
    {
        var (code, body) = await Server.Http.SendAsync(HttpMethod.Get, $"/api/v1/nodes/{NodeName}/proxy/configz");
        var kubectl = await Kubectl.RunAsync($"get --raw /api/v1/nodes/{NodeName}/proxy/configz");
        var (missingCode, missing) = await Server.Http.SendAsync(HttpMethod.Get, "/api/v1/nodes/ghost/proxy/configz");

        Assert.That(code, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body["message"]!.ToString(), Is.EqualTo("address not allowed"));
        Assert.That(kubectl.ExitCode, Is.Not.Zero);
        Assert.That(missingCode, Is.EqualTo(HttpStatusCode.NotFound), missing.ToJsonString());
        Assert.That(missing["message"]!.ToString(), Is.EqualTo("nodes \"ghost\" not found"));
        Assert.That(Kubelet.Seen("/configz"), Is.Empty);
    }

    [Test]
    public async Task ProxyPermission_IsTheVerbOfTheMethodOnTheProxySubresource()
    {
        var certificate = Server.IssueClientCertificate("proxy-reader");
        var kubeconfig = Server.WriteKubeconfig("proxy-reader", certificate);
        await Expect(HttpStatusCode.Created, HttpMethod.Post, $"/apis/rbac.authorization.k8s.io/v1/namespaces/{Namespace}/roles",
            """{"metadata":{"name":"proxy-get"},"rules":[{"apiGroups":[""],"resources":["services/proxy"],"verbs":["get"]}]}""");
        await Expect(HttpStatusCode.Created, HttpMethod.Post, $"/apis/rbac.authorization.k8s.io/v1/namespaces/{Namespace}/rolebindings",
            """{"metadata":{"name":"proxy-get"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"proxy-get"},"subjects":[{"kind":"User","name":"proxy-reader"}]}""");
        var reader = new E2E.Kubectl(kubeconfig);

        var allowed = await reader.RunAsync($"get --raw /api/v1/namespaces/{Namespace}/services/https:web:https/proxy/ok");
        var denied = await reader.RunAsync($"create --raw /api/v1/namespaces/{Namespace}/services/https:web:https/proxy/ok -f -", stdin: "{}");

        Assert.That(allowed, Is.EqualTo((0, "kubelet saw GET /ok", "")));
        Assert.That(denied.ExitCode, Is.Not.Zero);
        Assert.That(denied.Error, Does.Contain("cannot create resource \"services/proxy\""));
    }
}
