using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
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
        // A node of this test's own, registered by the admin: its mirror pods are owned by it.
        const string node = "mirror-node";
        var registered = await _server.Http.SendAsync(HttpMethod.Post, "/api/v1/nodes", $$$"""{"metadata":{"name":"{{{node}}}"}}""");
        Assert.That(registered.Code, Is.EqualTo(HttpStatusCode.Created), registered.Body.ToJsonString());
        var uid = registered.Body["metadata"]!["uid"]!.ToString();
        using var kubelet = _server.CreateHttpClient(_server.IssueClientCertificate($"system:node:{node}", "system:nodes").ToX509());
        string Owner(string name = node, string id = "", bool controller = true) =>
            $$$"""[{"apiVersion":"v1","kind":"Node","name":"{{{name}}}","uid":"{{{(id.Length > 0 ? id : uid)}}}","controller":{{{(controller ? "true" : "false")}}}}]""";
        string Pod(string name, string bound, bool mirror, string extra = "", string? owners = null)
        {
            var annotations = mirror ? ""","annotations":{"kubernetes.io/config.mirror":"hash"}""" : "";
            return "{\"metadata\":{\"name\":\"" + name + "\"" + annotations + ",\"ownerReferences\":" + (owners ?? Owner()) + "},"
                + "\"spec\":{\"nodeName\":\"" + bound + "\",\"containers\":[{\"name\":\"app\",\"image\":\"nginx\"" + extra + "}]}}";
        }
        async Task<string> RefusedAsync(string pod) =>
            (await kubelet.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{_ns}/pods", pod)).AssertStatus(403, "Forbidden")["message"]!.ToString();

        Assert.That(await RefusedAsync(Pod("plain", node, mirror: false)),
            Is.EqualTo($"pods \"plain\" is forbidden: pod does not have \"kubernetes.io/config.mirror\" annotation, node \"{node}\" can only create mirror pods"));
        Assert.That(await RefusedAsync(Pod("elsewhere", "node-2", mirror: true)), Does.EndWith($"node \"{node}\" can only create pods with spec.nodeName set to itself"));
        Assert.That(await RefusedAsync(Pod("orphan", node, mirror: true, owners: "[]")), Does.EndWith($"node \"{node}\" can only create pods with an owner reference set to itself"));
        Assert.That(await RefusedAsync(Pod("adopted", node, mirror: true, owners: Owner(name: "node-2"))), Does.EndWith($"node \"{node}\" can only create pods with an owner reference set to itself"));
        Assert.That(await RefusedAsync(Pod("loose", node, mirror: true, owners: Owner(controller: false))), Does.EndWith($"node \"{node}\" can only create pods with a controller owner reference set to itself"));
        Assert.That(await RefusedAsync(Pod("stale", node, mirror: true, owners: Owner(id: "0000"))), Does.EndWith($"node {node} UID mismatch: expected {uid} got 0000"));
        Assert.That(await RefusedAsync(Pod("secretive", node, mirror: true, extra: ""","envFrom":[{"secretRef":{"name":"used"}}]""")),
            Does.EndWith($"node \"{node}\" can not create pods that reference secrets"));
        var mirror = await kubelet.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{_ns}/pods", Pod("static-web", node, mirror: true));
        Assert.That(mirror.Code, Is.EqualTo(HttpStatusCode.Created), mirror.Body.ToJsonString());
        // A mirror pod runs without an account: it gives its node no token for the defaulted one.
        Assert.That(await ReviewAsync(node, "create", "", "serviceaccounts", _ns, "default", "token"), Is.False);

        // Its spec is the manifest's: a kubelet changes only its status. Even where RBAC grants more
        // than the Node authorizer does, NodeRestriction holds it to status and eviction.
        await _rbac.GrantClusterAsync($"system:node:{node}", "pod-writer", """[{"apiGroups":[""],"resources":["pods","pods/ephemeralcontainers"],"verbs":["update","patch"]}]""");
        async Task<string> AdmissionRefusalAsync(HttpMethod method, string path, string body, string contentType) =>
            await SecurityTestHelper.EventuallyAsync(async () =>
            {
                var message = (await kubelet.SendAsync(method, $"/api/v1/namespaces/{_ns}/pods/static-web{path}", body, contentType)).AssertStatus(403, "Forbidden")["message"]!.ToString();
                return message.Contains("cannot", StringComparison.Ordinal) ? null : message; // The authorizer's refusal, until the grant is seen.
            });
        Assert.That(await AdmissionRefusalAsync(HttpMethod.Patch, "/ephemeralcontainers", "{}", "application/merge-patch+json"),
            Does.EndWith("unexpected pod subresource \"ephemeralcontainers\", only 'status' and 'eviction' are allowed"));
        Assert.That(await AdmissionRefusalAsync(HttpMethod.Patch, "", """{"spec":{"activeDeadlineSeconds":30}}""", "application/merge-patch+json"),
            Does.EndWith($"unexpected operation \"UPDATE\", node \"{node}\" can only create and delete mirror pods"));

        var foreign = (await _node2.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{_ns}/pods/static-web")).AssertStatus(403, "Forbidden");
        Assert.That(foreign["message"]!.ToString(), Does.EndWith("node \"node-2\" can only delete pods with spec.nodeName set to itself"));
        Assert.That((await kubelet.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{_ns}/pods/static-web")).Code, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task NodeRestriction_LetsANodeEvictOnlyItsOwnPods()
    {
        var eviction = $$$"""{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"web","namespace":"{{{_ns}}}"}}""";
        var refused = (await _node2.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{_ns}/pods/web/eviction", eviction)).AssertStatus(403, "Forbidden");
        Assert.That(refused["message"]!.ToString(), Is.EqualTo("pods \"web\" is forbidden: node node-2 can only evict pods with spec.nodeName set to itself"));
        (await _node2.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{_ns}/pods/absent/eviction", eviction.Replace("\"web\"", "\"absent\""))).AssertStatus(404, "NotFound");
    }

    [Test]
    public async Task NodeRestriction_KeepsANodeToItsOwnLeaseAndCsiNode()
    {
        const string lease = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases";
        Assert.That((await _node1.SendAsync(HttpMethod.Post, lease, """{"metadata":{"name":"node-1"},"spec":{"holderIdentity":"node-1"}}""")).Code, Is.EqualTo(HttpStatusCode.Created));
        var other = (await _node1.SendAsync(HttpMethod.Post, lease, """{"metadata":{"name":"node-2"}}""")).AssertStatus(403, "Forbidden");
        Assert.That(other["message"]!.ToString(), Is.EqualTo("leases.coordination.k8s.io \"node-2\" is forbidden: can only access node lease with the same name as the requesting node"));

        const string csiNodes = "/apis/storage.k8s.io/v1/csinodes";
        Assert.That((await _node1.SendAsync(HttpMethod.Post, csiNodes, """{"metadata":{"name":"node-1"},"spec":{"drivers":[]}}""")).Code, Is.EqualTo(HttpStatusCode.Created));
        var csi = (await _node1.SendAsync(HttpMethod.Post, csiNodes, """{"metadata":{"name":"node-2"},"spec":{"drivers":[]}}""")).AssertStatus(403, "Forbidden");
        Assert.That(csi["message"]!.ToString(), Does.EndWith("can only access CSINode with the same name as the requesting node"));
    }

    [Test]
    public async Task NodeRestriction_LetsANodeAskCertificatesOnlyInItsOwnName()
    {
        static string Csr(string name, string commonName)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var pem = new CertificateRequest($"CN={commonName}, O=system:nodes", key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
            return $$$"""{"metadata":{"name":"{{{name}}}"},"spec":{"signerName":"kubernetes.io/kube-apiserver-client-kubelet","usages":["digital signature","client auth"],"request":"{{{Convert.ToBase64String(Encoding.ASCII.GetBytes(pem))}}}"}}""";
        }
        const string path = "/apis/certificates.k8s.io/v1/certificatesigningrequests";
        var own = await _node1.SendAsync(HttpMethod.Post, path, Csr("node-1-client", "system:node:node-1"));
        Assert.That(own.Code, Is.EqualTo(HttpStatusCode.Created), own.Body.ToJsonString());
        var other = (await _node1.SendAsync(HttpMethod.Post, path, Csr("node-2-client", "system:node:node-2"))).AssertStatus(403, "Forbidden");
        Assert.That(other["message"]!.ToString(), Does.EndWith("can only create a node CSR with CN=system:node:node-1"));
    }

    [Test]
    public async Task NodeRestriction_KeepsRestrictedLabelsOffANode()
    {
        using var kubelet = _server.CreateHttpClient(_server.IssueClientCertificate("system:node:labelled", "system:nodes").ToX509());
        var refused = (await kubelet.SendAsync(HttpMethod.Post, "/api/v1/nodes",
            """{"metadata":{"name":"labelled","labels":{"node-role.kubernetes.io/control-plane":"","node-restriction.kubernetes.io/pool":"a","kubernetes.io/os":"linux"}}}""")).AssertStatus(403, "Forbidden");
        Assert.That(refused["message"]!.ToString(), Does.EndWith(
            "node \"labelled\" is not allowed to set the following labels: node-restriction.kubernetes.io/pool, node-role.kubernetes.io/control-plane"));
        var created = await kubelet.SendAsync(HttpMethod.Post, "/api/v1/nodes",
            """{"metadata":{"name":"labelled","labels":{"kubernetes.io/os":"linux","node.kubernetes.io/instance-type":"m5","example.com/team":"a"}}}""");
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        created.Body["metadata"]!["labels"]!["kubernetes.io/hostname"] = "labelled";
        created.Body["metadata"]!["labels"]!["topology.k8s.io/rack"] = "r1";
        var relabel = (await kubelet.SendAsync(HttpMethod.Put, "/api/v1/nodes/labelled", created.Body.ToJsonString())).AssertStatus(403, "Forbidden");
        Assert.That(relabel["message"]!.ToString(), Does.EndWith("is not allowed to modify labels: topology.k8s.io/rack"));
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
