using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Apiserver.Generic.Server.Certificates;
using KubeApiserver.Options;
using KubeApiserver.Tests.E2E;
using NUnit.Framework;

namespace KubeApiserver.Tests.Security;

/// <summary>
/// x509 client certificates with RBAC: users named by their certificates, authorized by Roles and
/// bindings that the admin creates; the generated admin kubeconfig and kubectl as a non-admin user.
/// </summary>
[TestFixture]
public sealed class ClientCertificateTests
{
    private TestServer _server = null!;
    private HttpClient _alice = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await TestServer.StartAsync(security: new SecurityOptions { AuthorizationModes = ["RBAC"] });
        _alice = _server.CreateHttpClient(_server.IssueClientCertificate("alice", "devs").ToX509());
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _alice.Dispose();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task UnboundUser_Gets403WithKubesMessage()
    {
        var ns = await NewNamespaceAsync();
        var status = (await _alice.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps")).AssertStatus(403, "Forbidden");
        Assert.Multiple(() =>
        {
            Assert.That(status["message"]?.ToString(), Is.EqualTo($"configmaps is forbidden: User \"alice\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"{ns}\""));
            Assert.That(status["details"]?["kind"]?.ToString(), Is.EqualTo("configmaps"));
        });
    }

    [Test]
    public async Task UnboundUser_ClusterScopedAndNamedRequests_NameTheScopeAndSubresource()
    {
        var ns = await NewNamespaceAsync();
        var nodes = (await _alice.SendAsync(HttpMethod.Get, "/api/v1/nodes")).AssertStatus(403, "Forbidden");
        var status = (await _alice.SendAsync(HttpMethod.Get, $"/apis/apps/v1/namespaces/{ns}/deployments/web/scale")).AssertStatus(403, "Forbidden");
        Assert.Multiple(() =>
        {
            Assert.That(nodes["message"]?.ToString(), Is.EqualTo("nodes is forbidden: User \"alice\" cannot list resource \"nodes\" in API group \"\" at the cluster scope"));
            Assert.That(status["message"]?.ToString(), Is.EqualTo($"deployments.apps \"web\" is forbidden: User \"alice\" cannot get resource \"deployments/scale\" in API group \"apps\" in the namespace \"{ns}\""));
        });
    }

    [Test]
    public async Task RoleBoundToGroup_AllowsItsRulesInItsNamespaceOnly()
    {
        var ns = await NewNamespaceAsync();
        var other = await NewNamespaceAsync();
        await BindConfigMapReaderAsync(ns, "Group", "devs");
        await CreateAsync($"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"settings"}}""");

        var list = await _alice.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps");
        Assert.That(list.Code, Is.EqualTo(HttpStatusCode.OK), list.Body.ToJsonString());
        Assert.That(list.Body["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.ToString()), Does.Contain("settings"));
        Assert.That((await _alice.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/settings")).Code, Is.EqualTo(HttpStatusCode.OK));
        var elsewhere = (await _alice.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{other}/configmaps")).AssertStatus(403, "Forbidden");
        var secrets = (await _alice.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/secrets")).AssertStatus(403, "Forbidden");
        var create = (await _alice.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"x"}}""")).AssertStatus(403, "Forbidden");
        Assert.Multiple(() =>
        {
            Assert.That(elsewhere["message"]?.ToString(), Does.Contain($"in the namespace \"{other}\""));
            Assert.That(secrets["message"]?.ToString(), Is.EqualTo($"secrets is forbidden: User \"alice\" cannot list resource \"secrets\" in API group \"\" in the namespace \"{ns}\""));
            Assert.That(create["message"]?.ToString(), Is.EqualTo($"configmaps is forbidden: User \"alice\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"{ns}\""));
        });
    }

    [Test]
    public async Task ClusterRoleBoundToUser_AllowsEverywhere_AndABrokenRoleRefIsTheReason()
    {
        var ns = await NewNamespaceAsync();
        var bob = _server.CreateHttpClient(_server.IssueClientCertificate("bob").ToX509());
        using var _ = bob;
        await CreateAsync("/apis/rbac.authorization.k8s.io/v1/clusterroles", """
            {"metadata":{"name":"ns-viewer-for-bob"},"rules":[{"verbs":["get","list"],"apiGroups":[""],"resources":["namespaces"]}]}
            """);
        await CreateAsync("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", """
            {"metadata":{"name":"bob-views-namespaces"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"ns-viewer-for-bob"},
             "subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"bob"}]}
            """);
        await CreateAsync("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", """
            {"metadata":{"name":"bob-missing-role"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"no-such-role"},
             "subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"bob"}]}
            """);

        Assert.That((await bob.SendAsync(HttpMethod.Get, "/api/v1/namespaces")).Code, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await bob.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}")).Code, Is.EqualTo(HttpStatusCode.OK));
        var denied = (await bob.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}")).AssertStatus(403, "Forbidden");
        Assert.That(denied["message"]?.ToString(), Is.EqualTo(
            $"namespaces \"{ns}\" is forbidden: User \"bob\" cannot delete resource \"namespaces\" in API group \"\" in the namespace \"{ns}\": RBAC: clusterrole.rbac.authorization.k8s.io \"no-such-role\" not found"));
    }

    [Test]
    public async Task CertificateFromAnotherCa_Gets401()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=rogue-ca", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.DigitalSignature, true));
        using var rogueCa = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(1));
        using var mallory = _server.CreateHttpClient(ClientCertificates.Issue(rogueCa, "alice", [Apiserver.Generic.Authentication.UserInfo.MastersGroup]).ToX509());

        (await mallory.SendAsync(HttpMethod.Get, "/api/v1/namespaces")).AssertStatus(401, "Unauthorized");
    }

    [Test]
    public async Task ExpiredCertificate_Gets401()
    {
        using var ca = X509Certificate2.CreateFromPemFile(
            Path.Combine(_server.Chain.CertificateDirectory, SelfSignedCertificates.CaCertFile),
            Path.Combine(_server.Chain.CertificateDirectory, SelfSignedCertificates.CaKeyFile));
        using var expired = _server.CreateHttpClient(ClientCertificates.Issue(ca, "alice", ["devs"], lifetime: TimeSpan.FromMinutes(-1)).ToX509());

        (await expired.SendAsync(HttpMethod.Get, "/api/v1/namespaces")).AssertStatus(401, "Unauthorized");
    }

    [Test]
    public async Task SystemMastersCertificate_IsAllowedEverything()
    {
        using var root = _server.CreateHttpClient(_server.IssueClientCertificate("root", Apiserver.Generic.Authentication.UserInfo.MastersGroup).ToX509());
        Assert.That((await root.SendAsync(HttpMethod.Get, "/api/v1/secrets")).Code, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task AdminKubeconfig_CarriesTheClientCertificate_AndKubectlUsesIt()
    {
        var kubeconfig = await File.ReadAllTextAsync(_server.KubeconfigPath);
        Assert.Multiple(() =>
        {
            Assert.That(kubeconfig, Does.Contain("client-certificate-data:").And.Contain("client-key-data:"));
            Assert.That(kubeconfig, Does.Not.Contain("token:"));
        });
        using var admin = X509Certificate2.CreateFromPem(_server.Chain.AdminCertificate.CertificatePem);
        Assert.That(admin.Subject, Does.Contain("CN=kubernetes-admin").And.Contain("O=system:masters"));

        var output = await new Kubectl(_server.KubeconfigPath).OkAsync("get ns");
        Assert.That(output, Does.Contain("kube-system"));
    }

    [Test]
    public async Task Kubectl_AsCertificateUser_ListsWhatTheRoleAllows_AndPrintsKubesForbiddenError()
    {
        var ns = await NewNamespaceAsync();
        await BindConfigMapReaderAsync(ns, "Group", "devs");
        await CreateAsync($"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"settings"}}""");
        // kubectl discovers first; kube's bootstrap system:discovery role (later work) grants that, so the test does.
        await AllowDiscoveryAsync();
        var kubectl = new Kubectl(_server.WriteKubeconfig("alice", _server.IssueClientCertificate("alice", "devs")));

        var configMaps = await kubectl.RunAsync($"get cm -n {ns}");
        Assert.That(configMaps.ExitCode, Is.Zero, configMaps.Error);
        Assert.That(configMaps.Output, Does.StartWith("NAME").And.Contain("settings"));

        var (code, _, error) = await kubectl.RunAsync($"get secrets -n {ns}");
        Assert.That(code, Is.Not.Zero);
        Assert.That(error.Trim(), Is.EqualTo($"Error from server (Forbidden): secrets is forbidden: User \"alice\" cannot list resource \"secrets\" in API group \"\" in the namespace \"{ns}\""));
    }

    [Test]
    public void WebhookAuthorizationModeWithoutConfigFile_IsAFlagError()
    {
        var options = new KubeApiserverOptions { Security = new SecurityOptions { AuthorizationModes = ["RBAC", "Webhook"] } };
        var error = Assert.ThrowsAsync<ArgumentException>(() => ServerChain.CreateAsync(options, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance));
        Assert.That(error!.Message, Does.Contain("authorization-mode Webhook's authorization config file not passed"));
    }

    [Test]
    public void DefaultAuthorizationMode_IsRbac() =>
        Assert.That(new SecurityOptions().AuthorizationModes, Is.EqualTo(new[] { "RBAC" }));

    [Test]
    public async Task AdminCertificate_IsReusedAfterARestart()
    {
        await using var server = await TestServer.StartAsync();
        var before = server.Chain.AdminCertificate;
        await server.RestartAsync();
        Assert.That(server.Chain.AdminCertificate, Is.EqualTo(before));
        var output = await new Kubectl(server.KubeconfigPath).OkAsync("get ns default");
        Assert.That(output, Does.Contain("default"));
    }

    private async Task<string> NewNamespaceAsync()
    {
        var name = "ns-" + Guid.NewGuid().ToString("N")[..8];
        await CreateAsync("/api/v1/namespaces", $$$"""{"metadata":{"name":"{{{name}}}"}}""");
        return name;
    }

    private async Task BindConfigMapReaderAsync(string ns, string subjectKind, string subjectName)
    {
        await CreateAsync($"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles", """
            {"metadata":{"name":"configmap-reader"},"rules":[{"verbs":["get","list","watch"],"apiGroups":[""],"resources":["configmaps"]}]}
            """);
        await CreateAsync($"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings", $$$"""
            {"metadata":{"name":"configmap-readers"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"configmap-reader"},
             "subjects":[{"kind":"{{{subjectKind}}}","apiGroup":"rbac.authorization.k8s.io","name":"{{{subjectName}}}"}]}
            """);
    }

    private async Task AllowDiscoveryAsync()
    {
        var existing = await _server.Http.SendAsync(HttpMethod.Get, "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/test-discovery");
        if (existing.Code == HttpStatusCode.OK)
        {
            return;
        }
        await CreateAsync("/apis/rbac.authorization.k8s.io/v1/clusterroles", """
            {"metadata":{"name":"test-discovery"},"rules":[{"verbs":["get"],"nonResourceURLs":["/api","/api/*","/apis","/apis/*","/version","/version/","/openapi","/openapi/*"]}]}
            """);
        await CreateAsync("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", """
            {"metadata":{"name":"test-discovery"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"test-discovery"},
             "subjects":[{"kind":"Group","apiGroup":"rbac.authorization.k8s.io","name":"system:authenticated"}]}
            """);
    }

    private async Task CreateAsync(string path, string json)
    {
        var created = await _server.Http.SendAsync(HttpMethod.Post, path, json);
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
    }

}
