using System.Net;
using System.Text.Json.Nodes;
using KubeApiserver.Options;
using KubeApiserver.Tests.E2E;
using NUnit.Framework;

namespace KubeApiserver.Tests.Security;

/// <summary>
/// kube 1.34's bootstrap policy on a started server: what the system components may do (asked
/// with kubectl's <c>auth can-i --as</c>), the kube-system authentication reader, and a restart
/// that writes nothing and keeps what an administrator added.
/// </summary>
[TestFixture]
public sealed class BootstrapPolicyTests
{
    private const string Rbac = SecurityTestHelper.Rbac;
    private TestServer _server = null!;
    private Kubectl _admin = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await TestServer.StartAsync(security: new SecurityOptions { AuthorizationModes = ["RBAC"] });
        _admin = new Kubectl(_server.KubeconfigPath);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    // (who, can-i arguments, kube's answer)
    private static readonly (string As, string Args, bool Allowed)[] Cases =
    [
        ("system:kube-scheduler", "create pods --subresource=binding -n default", true),
        ("system:kube-scheduler", "create bindings -n default", true),
        ("system:kube-scheduler", "update pods --subresource=status -n default", true),
        ("system:kube-scheduler", "patch persistentvolumes", true),
        ("system:kube-scheduler", "create pods -n default", false),
        ("system:kube-scheduler", "get secrets -n default", false),
        ("system:kube-controller-manager", "list deployments.apps --all-namespaces", true),
        ("system:kube-controller-manager", "create serviceaccounts/token -n kube-system", true),
        ("system:kube-controller-manager", "delete deployments.apps -n default", false),
        ("system:serviceaccount:kube-system:deployment-controller", "update deployments.apps --subresource=status -n default", true),
        ("system:serviceaccount:kube-system:deployment-controller", "create replicasets.apps -n default", true),
        ("system:serviceaccount:kube-system:deployment-controller", "create pods -n default", false),
        ("system:serviceaccount:kube-system:namespace-controller", "deletecollection configmaps -n default", true),
        ("system:kube-proxy", "list endpointslices.discovery.k8s.io --all-namespaces", true),
        ("system:kube-proxy", "watch services --all-namespaces", true),
        ("system:kube-proxy", "create endpointslices.discovery.k8s.io -n default", false),
        ("system:kube-proxy", "list secrets -n default", false),
    ];

    [Test]
    public async Task CanI_AsTheSystemComponents_AnswersAsKube()
    {
        foreach (var (user, args, allowed) in Cases)
        {
            var result = await _admin.RunAsync($"auth can-i {args} --as={user}");
            Assert.That(result.Output.Trim(), Is.EqualTo(allowed ? "yes" : "no"), $"{user}: {args} ({result.Error})");
        }
    }

    [Test]
    public async Task SystemNode_IsBoundToNobody_ControllerRolesToTheirServiceAccounts()
    {
        var node = (await _server.Http.SendAsync(HttpMethod.Get, $"{Rbac}/clusterrolebindings/system:node")).Body;
        Assert.That(node["subjects"], Is.Null);
        var deployment = (await _server.Http.SendAsync(HttpMethod.Get, $"{Rbac}/clusterrolebindings/system:controller:deployment-controller")).Body;
        Assert.That(deployment["subjects"]!.ToJsonString(), Is.EqualTo("""[{"kind":"ServiceAccount","name":"deployment-controller","namespace":"kube-system"}]"""));
        var roles = await _admin.OkAsync("get clusterroles -o name");
        Assert.That(roles, Does.Contain("clusterrole.rbac.authorization.k8s.io/system:controller:generic-garbage-collector")
            .And.Contain("clusterrole.rbac.authorization.k8s.io/system:kube-scheduler")
            .And.Contain("clusterrole.rbac.authorization.k8s.io/system:certificates.k8s.io:kubelet-serving-approver"));
    }

    [Test]
    public async Task ExtensionAuthenticationReader_LetsItsSubjectsReadTheConfigMapOnly()
    {
        var role = await _server.Http.SendAsync(HttpMethod.Get, $"{Rbac}/namespaces/kube-system/roles/extension-apiserver-authentication-reader");
        Assert.That(role.Code, Is.EqualTo(HttpStatusCode.OK), role.Body.ToJsonString());
        Assert.That((string?)role.Body["metadata"]!["labels"]!["kubernetes.io/bootstrapping"], Is.EqualTo("rbac-defaults"));
        // The server publishes extension-apiserver-authentication itself; another configmap beside it:
        var created = await _server.Http.SendAsync(HttpMethod.Post, "/api/v1/namespaces/kube-system/configmaps", """{"metadata":{"name":"other-config"},"data":{"k":"v"}}""");
        Assert.That(created.Code, Is.AnyOf(HttpStatusCode.Created, HttpStatusCode.Conflict), created.Body.ToJsonString());

        var read = await _admin.RunAsync("get configmap extension-apiserver-authentication -n kube-system -o name --as=system:kube-scheduler");
        Assert.That(read.ExitCode, Is.Zero, read.Error);
        Assert.That(read.Output.Trim(), Is.EqualTo("configmap/extension-apiserver-authentication"));
        var other = await _admin.RunAsync("get configmap other-config -n kube-system --as=system:kube-scheduler");
        Assert.That(other.Error, Does.Contain("forbidden"));
        var elsewhere = await _admin.RunAsync("auth can-i get configmap/extension-apiserver-authentication -n kube-public --as=system:kube-scheduler");
        Assert.That(elsewhere.Output.Trim(), Is.EqualTo("no"));
    }

    [Test]
    public async Task Restart_WritesNothing_AndKeepsARuleTheAdministratorAdded()
    {
        await using var server = await TestServer.StartAsync(security: new SecurityOptions { AuthorizationModes = ["RBAC"] });
        var path = $"{Rbac}/clusterroles/system:kube-scheduler";
        var scheduler = (await server.Http.SendAsync(HttpMethod.Get, path)).Body;
        scheduler["rules"]!.AsArray().Add(JsonNode.Parse("""{"verbs":["get"],"apiGroups":[""],"resources":["configmaps"]}"""));
        Assert.That((await server.Http.SendAsync(HttpMethod.Put, path, scheduler.ToJsonString())).Code, Is.EqualTo(HttpStatusCode.OK));
        var before = await BootstrapVersionsAsync(server);

        await server.RestartAsync();

        var after = await BootstrapVersionsAsync(server);
        Assert.That(after, Has.Count.EqualTo(68 + 49 + 7 + 7));
        Assert.That(after, Is.EqualTo(before), "a restart over reconciled data writes no bootstrap object");
        var kubectl = new Kubectl(server.KubeconfigPath);
        Assert.That((await kubectl.RunAsync("auth can-i get configmaps -n default --as=system:kube-scheduler")).Output.Trim(), Is.EqualTo("yes"),
            "kube's reconciler unions rules: an administrator's addition to an autoupdate role stays");
    }

    /// <summary>Every bootstrap object's resourceVersion, by kind, namespace and name.</summary>
    private static async Task<Dictionary<string, string>> BootstrapVersionsAsync(TestServer server)
    {
        var versions = new Dictionary<string, string>();
        foreach (var resource in new[] { "clusterroles", "clusterrolebindings", "roles", "rolebindings" })
        {
            var list = (await server.Http.SendAsync(HttpMethod.Get, $"{Rbac}/{resource}?labelSelector=kubernetes.io/bootstrapping%3Drbac-defaults")).Body;
            foreach (var item in list["items"]!.AsArray())
            {
                var meta = item!["metadata"]!;
                versions[$"{resource}/{meta["namespace"]}/{meta["name"]}"] = (string)meta["resourceVersion"]!;
            }
        }
        return versions;
    }
}
