using System.Net;
using System.Text.Json.Nodes;
using KubeApiserver.Options;
using NUnit.Framework;

namespace KubeApiserver.Tests.Security;

/// <summary><c>--authorization-mode=Node,RBAC</c> with NodeRestriction: a kubelet reads what its pods reference, and writes only its own node and mirror pods.</summary>
[TestFixture]
public sealed class NodeAuthorizerTests
{
    private TestServer _server = null!;
    private SecurityTestHelper _rbac = null!;
    private string _ns = "";
    private HttpClient _node1 = null!;
    private HttpClient _node2 = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await TestServer.StartAsync(security: new SecurityOptions { AuthorizationModes = ["Node", "RBAC"], EnabledAdmissionPlugins = ["NodeRestriction"] });
        _rbac = new SecurityTestHelper(_server);
        _ns = await _rbac.NewNamespaceAsync();
        foreach (var kind in new[] { "secrets", "configmaps" })
        {
            foreach (var name in new[] { "used", "pulled", "unused" })
            {
                await _rbac.CreateAsync($"/api/v1/namespaces/{_ns}/{kind}", $$$"""{"metadata":{"name":"{{{name}}}"}}""");
            }
        }
        await _rbac.CreateAsync($"/api/v1/namespaces/{_ns}/pods", $$$"""
            {"metadata":{"name":"web"},"spec":{"nodeName":"node-1","serviceAccountName":"builder",
              "imagePullSecrets":[{"name":"pulled"}],
              "volumes":[{"name":"s","secret":{"secretName":"used"}},{"name":"c","projected":{"sources":[{"configMap":{"name":"used"}}]}},
                         {"name":"data","persistentVolumeClaim":{"claimName":"data"}}],
              "containers":[{"name":"app","image":"nginx","envFrom":[{"configMapRef":{"name":"pulled"}}]}]}}
            """);
        _node1 = _server.CreateHttpClient(_server.IssueClientCertificate("system:node:node-1", "system:nodes").ToX509());
        _node2 = _server.CreateHttpClient(_server.IssueClientCertificate("system:node:node-2", "system:nodes").ToX509());
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _node1.Dispose();
        _node2.Dispose();
        await _server.DisposeAsync();
    }

    [TestCase("secrets", "used")]
    [TestCase("secrets", "pulled")]
    [TestCase("configmaps", "used")]
    [TestCase("configmaps", "pulled")]
    public async Task Node_ReadsObjectsItsPodsReference(string resource, string name)
    {
        var response = await _node1.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{_ns}/{resource}/{name}");
        Assert.That(response.Code, Is.EqualTo(HttpStatusCode.OK), response.Body.ToJsonString());
    }

    [Test]
    public async Task Node_CannotReadUnreferencedObjects_NorAnotherNodesOnes()
    {
        var unused = (await _node1.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{_ns}/secrets/unused")).AssertStatus(403, "Forbidden");
        Assert.That(unused["message"]!.ToString(), Is.EqualTo(
            $"secrets \"unused\" is forbidden: User \"system:node:node-1\" cannot get resource \"secrets\" in API group \"\" in the namespace \"{_ns}\": no relationship found between node 'node-1' and this object"));
        (await _node2.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{_ns}/secrets/used")).AssertStatus(403, "Forbidden");
        var list = (await _node1.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{_ns}/secrets")).AssertStatus(403, "Forbidden");
        Assert.That(list["message"]!.ToString(), Does.EndWith(": No Object name found"));
        var write = (await _node1.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{_ns}/configmaps/used")).AssertStatus(403, "Forbidden");
        Assert.That(write["message"]!.ToString(), Does.EndWith(": can only read resources of this type"));
    }

    [Test]
    public async Task Node_StaticRules_AllowPodsAndEvents_NotOtherResources()
    {
        Assert.That((await _node1.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{_ns}/pods")).Code, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await _node1.SendAsync(HttpMethod.Get, "/api/v1/nodes")).Code, Is.EqualTo(HttpStatusCode.OK));
        (await _node1.SendAsync(HttpMethod.Get, $"/apis/apps/v1/namespaces/{_ns}/deployments")).AssertStatus(403, "Forbidden");
    }

    [TestCase("node-1", "create", "serviceaccounts", "builder", "token", true)]
    [TestCase("node-1", "create", "serviceaccounts", "default", "token", false)]
    [TestCase("node-2", "create", "serviceaccounts", "builder", "token", false)]
    [TestCase("node-1", "get", "persistentvolumeclaims", "data", "", true)]
    [TestCase("node-1", "get", "persistentvolumeclaims", "other", "", false)]
    [TestCase("node-1", "list", "persistentvolumeclaims", "", "", false)]
    public async Task Node_RelationshipsToAccountsAndClaims(string node, string verb, string resource, string name, string subresource, bool allowed)
    {
        Assert.That(await ReviewAsync(node, verb, "", resource, _ns, name, subresource), Is.EqualTo(allowed));
    }

    [TestCase("kube-node-lease", "node-1", "get", true)]
    [TestCase("kube-node-lease", "node-1", "update", true)]
    [TestCase("kube-node-lease", "node-2", "get", false)]
    [TestCase("kube-node-lease", "", "create", true)]
    [TestCase("default", "node-1", "get", false)]
    public async Task Node_OwnsOnlyItsLease(string ns, string name, string verb, bool allowed)
    {
        Assert.That(await ReviewAsync("node-1", verb, "coordination.k8s.io", "leases", ns, name, ""), Is.EqualTo(allowed));
    }

    [Test]
    public async Task NonNodeUsers_AreLeftToRbac()
    {
        var body = $$$$"""{"spec":{"user":"system:node:node-1","groups":["ops"],"resourceAttributes":{"namespace":"{{{{_ns}}}}","verb":"get","resource":"secrets","name":"used"}}}""";
        var review = await _server.Http.SendAsync(HttpMethod.Post, "/apis/authorization.k8s.io/v1/subjectaccessreviews", body);
        Assert.That(review.Body["status"]!["allowed"]!.GetValue<bool>(), Is.False, "a node's name without the system:nodes group is not a node");
    }

    [Test]
    public async Task NodeRestriction_LetsANodeCreateOnlyItsOwnMirrorPods()
    {
        static string Pod(string name, string node, bool mirror, string extra = "")
        {
            var annotations = mirror ? ""","annotations":{"kubernetes.io/config.mirror":"hash"}""" : "";
            return "{\"metadata\":{\"name\":\"" + name + "\"" + annotations + "},"
                + "\"spec\":{\"nodeName\":\"" + node + "\",\"containers\":[{\"name\":\"app\",\"image\":\"nginx\"" + extra + "}]}}";
        }
        var plain = (await _node1.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{_ns}/pods", Pod("plain", "node-1", mirror: false))).AssertStatus(403, "Forbidden");
        Assert.That(plain["message"]!.ToString(), Is.EqualTo("pods \"plain\" is forbidden: pod does not have \"kubernetes.io/config.mirror\" annotation, node \"node-1\" can only create mirror pods"));
        var elsewhere = (await _node1.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{_ns}/pods", Pod("elsewhere", "node-2", mirror: true))).AssertStatus(403, "Forbidden");
        Assert.That(elsewhere["message"]!.ToString(), Does.EndWith("node \"node-1\" can only create pods with spec.nodeName set to itself"));
        var secret = (await _node1.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{_ns}/pods",
            Pod("secretive", "node-1", mirror: true, extra: ""","envFrom":[{"secretRef":{"name":"used"}}]"""))).AssertStatus(403, "Forbidden");
        Assert.That(secret["message"]!.ToString(), Does.EndWith("node \"node-1\" can not create pods that reference secrets"));
        var mirror = await _node1.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{_ns}/pods", Pod("static-web", "node-1", mirror: true));
        Assert.That(mirror.Code, Is.EqualTo(HttpStatusCode.Created), mirror.Body.ToJsonString());
        // A mirror pod runs without an account: it gives its node no token for the defaulted one.
        Assert.That(await ReviewAsync("node-1", "create", "", "serviceaccounts", _ns, "default", "token"), Is.False);

        var foreign = (await _node2.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{_ns}/pods/static-web")).AssertStatus(403, "Forbidden");
        Assert.That(foreign["message"]!.ToString(), Does.EndWith("node \"node-2\" can only delete pods with spec.nodeName set to itself"));
        Assert.That((await _node1.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{_ns}/pods/static-web")).Code, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task NodeRestriction_LetsANodeChangeOnlyItsOwnNode()
    {
        var own = await _node1.SendAsync(HttpMethod.Post, "/api/v1/nodes", """{"metadata":{"name":"node-1"}}""");
        Assert.That(own.Code, Is.EqualTo(HttpStatusCode.Created), own.Body.ToJsonString());
        var other = (await _node1.SendAsync(HttpMethod.Post, "/api/v1/nodes", """{"metadata":{"name":"node-3"}}""")).AssertStatus(403, "Forbidden");
        Assert.That(other["message"]!.ToString(), Is.EqualTo("nodes \"node-3\" is forbidden: node \"node-1\" is not allowed to modify node \"node-3\""));
        var tainted = own.Body;
        tainted["spec"] = new JsonObject { ["taints"] = new JsonArray(new JsonObject { ["key"] = "k", ["effect"] = "NoSchedule" }) };
        var taints = (await _node1.SendAsync(HttpMethod.Put, "/api/v1/nodes/node-1", tainted.ToJsonString())).AssertStatus(403, "Forbidden");
        Assert.That(taints["message"]!.ToString(), Does.EndWith("node \"node-1\" is not allowed to modify taints"));
    }

    private async Task<bool> ReviewAsync(string node, string verb, string group, string resource, string ns, string name, string subresource)
    {
        var attributes = new JsonObject { ["namespace"] = ns, ["verb"] = verb, ["group"] = group, ["resource"] = resource, ["name"] = name, ["subresource"] = subresource };
        var body = new JsonObject
        {
            ["spec"] = new JsonObject { ["user"] = $"system:node:{node}", ["groups"] = new JsonArray("system:nodes", "system:authenticated"), ["resourceAttributes"] = attributes },
        };
        var review = await _server.Http.SendAsync(HttpMethod.Post, "/apis/authorization.k8s.io/v1/subjectaccessreviews", body.ToJsonString());
        Assert.That(review.Code, Is.EqualTo(HttpStatusCode.Created), review.Body.ToJsonString());
        return review.Body["status"]!["allowed"]!.GetValue<bool>();
    }
}
