using System.Net;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using KubeApiserver.Options;
using KubeApiserver.Tests.E2E;
using NUnit.Framework;

namespace KubeApiserver.Tests.Security;

/// <summary>
/// RBAC escalation prevention (roles need <c>escalate</c> or held rules, bindings need <c>bind</c>
/// or held rules), SelfSubjectRulesReview with <c>kubectl auth can-i --list</c>, and LocalSubjectAccessReview.
/// </summary>
[TestFixture]
public sealed partial class EscalationAndRulesReviewTests
{
    private const string Rbac = SecurityTestHelper.Rbac;
    private TestServer _server = null!;
    private SecurityTestHelper _rbac = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await TestServer.StartAsync(security: new SecurityOptions { AuthorizationModes = ["RBAC"] });
        _rbac = new SecurityTestHelper(_server);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    /// <summary>A namespace where <paramref name="user"/> may manage roles and bindings and read config maps, and nothing else.</summary>
    private async Task<(string Ns, HttpClient Client)> RbacManagerAsync(string user, string extraRules = "")
    {
        var ns = await _rbac.NewNamespaceAsync();
        await _rbac.GrantAsync(ns, "User", user, "rbac-manager", $$"""
            [{"verbs":["create","update","get","list"],"apiGroups":["rbac.authorization.k8s.io"],"resources":["roles","rolebindings"]},
             {"verbs":["get","list"],"apiGroups":[""],"resources":["configmaps"]}{{extraRules}}]
            """);
        var client = _server.CreateHttpClient(_server.IssueClientCertificate(user, "team").ToX509());
        // Wait until the grant is in force.
        await SecurityTestHelper.EventuallyAsync(async () =>
            (await client.SendAsync(HttpMethod.Get, $"{Rbac}/namespaces/{ns}/roles")).Code == HttpStatusCode.OK ? "" : null);
        return (ns, client);
    }

    [Test]
    public async Task CreateRole_WithHeldRules_IsAllowed_WithMoreIsRefusedWithKubesMessage()
    {
        var (ns, alice) = await RbacManagerAsync("alice");
        using var _ = alice;
        var held = await alice.SendAsync(HttpMethod.Post, $"{Rbac}/namespaces/{ns}/roles",
            """{"metadata":{"name":"cm-get"},"rules":[{"verbs":["get"],"apiGroups":[""],"resources":["configmaps"]}]}""");
        Assert.That(held.Code, Is.EqualTo(HttpStatusCode.Created), held.Body.ToJsonString());

        var status = (await alice.SendAsync(HttpMethod.Post, $"{Rbac}/namespaces/{ns}/roles",
            """{"metadata":{"name":"secrets"},"rules":[{"verbs":["get","list"],"apiGroups":[""],"resources":["secrets","configmaps"]},{"verbs":["delete"],"apiGroups":[""],"resources":["configmaps"],"resourceNames":["x"]}]}""")).AssertStatus(403, "Forbidden");
        Assert.That(status["message"]!.ToString(), Is.EqualTo(
            "roles.rbac.authorization.k8s.io \"secrets\" is forbidden: user \"alice\" (groups=[\"team\" \"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n"
            + "{APIGroups:[\"\"], Resources:[\"configmaps\"], ResourceNames:[\"x\"], Verbs:[\"delete\"]}\n"
            + "{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"get\" \"list\"]}"));
        Assert.That(status["details"]!["name"]!.ToString(), Is.EqualTo("secrets"));

        // Updating a held role to hold more is an escalation too.
        var role = held.Body;
        role["rules"]!.AsArray().Add(JsonNode.Parse("""{"verbs":["delete"],"apiGroups":[""],"resources":["configmaps"]}"""));
        (await alice.SendAsync(HttpMethod.Put, $"{Rbac}/namespaces/{ns}/roles/cm-get", role.ToJsonString())).AssertStatus(403, "Forbidden");
    }

    [Test]
    public async Task CreateRole_WithEscalateVerb_IsAllowed()
    {
        var (ns, bob) = await RbacManagerAsync("bob", """,{"verbs":["escalate"],"apiGroups":["rbac.authorization.k8s.io"],"resources":["roles"]}""");
        using var _ = bob;
        var created = await bob.SendAsync(HttpMethod.Post, $"{Rbac}/namespaces/{ns}/roles",
            """{"metadata":{"name":"secrets"},"rules":[{"verbs":["*"],"apiGroups":[""],"resources":["secrets"]}]}""");
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
    }

    [Test]
    public async Task Bind_RoleWithUnheldRules_IsRefused_UnlessBindIsGranted()
    {
        var (ns, carol) = await RbacManagerAsync("carol");
        using var _ = carol;
        await _rbac.CreateAsync($"{Rbac}/namespaces/{ns}/roles", """{"metadata":{"name":"secret-reader"},"rules":[{"verbs":["get"],"apiGroups":[""],"resources":["secrets"]}]}""");
        await _rbac.CreateAsync($"{Rbac}/namespaces/{ns}/roles", """{"metadata":{"name":"cm-reader"},"rules":[{"verbs":["get","list"],"apiGroups":[""],"resources":["configmaps"]}]}""");
        static string Binding(string name, string role) => $$$"""
            {"metadata":{"name":"{{{name}}}"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"{{{role}}}"},"subjects":[{"kind":"User","name":"eve"}]}
            """;

        var held = await SecurityTestHelper.EventuallyAsync(async () =>
        {
            var r = await carol.SendAsync(HttpMethod.Post, $"{Rbac}/namespaces/{ns}/rolebindings", Binding("eve-cm", "cm-reader"));
            return r.Code == HttpStatusCode.Created ? r.Body : null;
        });
        Assert.That(held["roleRef"]!["name"]!.ToString(), Is.EqualTo("cm-reader"));

        var status = (await carol.SendAsync(HttpMethod.Post, $"{Rbac}/namespaces/{ns}/rolebindings", Binding("eve-secrets", "secret-reader"))).AssertStatus(403, "Forbidden");
        Assert.That(status["message"]!.ToString(), Is.EqualTo(
            "rolebindings.rbac.authorization.k8s.io \"eve-secrets\" is forbidden: user \"carol\" (groups=[\"team\" \"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n"
            + "{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"get\"]}"));
        var missing = (await carol.SendAsync(HttpMethod.Post, $"{Rbac}/namespaces/{ns}/rolebindings", Binding("eve-gone", "gone"))).AssertStatus(404, "NotFound");
        Assert.That(missing["message"]!.ToString(), Is.EqualTo("role.rbac.authorization.k8s.io \"gone\" not found"));

        // bind on that one role (by name) lets carol bind it without holding it.
        await _rbac.GrantAsync(ns, "User", "carol", "binder", """[{"verbs":["bind"],"apiGroups":["rbac.authorization.k8s.io"],"resources":["roles"],"resourceNames":["secret-reader"]}]""");
        await SecurityTestHelper.EventuallyAsync(async () =>
            (await carol.SendAsync(HttpMethod.Post, $"{Rbac}/namespaces/{ns}/rolebindings", Binding("eve-secrets", "secret-reader"))).Code == HttpStatusCode.Created ? "" : null);
    }

    [Test]
    public async Task SelfSubjectRulesReview_ListsTheRequestersRules()
    {
        var (ns, dan) = await RbacManagerAsync("dan");
        using var _ = dan;
        var review = await dan.SendAsync(HttpMethod.Post, "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
            $$$"""{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectRulesReview","spec":{"namespace":"{{{ns}}}"}}""");
        Assert.That(review.Code, Is.EqualTo(HttpStatusCode.Created), review.Body.ToJsonString());
        var status = review.Body["status"]!;
        Assert.Multiple(() =>
        {
            Assert.That(status["incomplete"]!.GetValue<bool>(), Is.False);
            Assert.That(status["resourceRules"]!.AsArray().Select(r => r!.ToJsonString()),
                Does.Contain("""{"verbs":["get","list"],"apiGroups":[""],"resources":["configmaps"]}"""));
            // system:basic-user and system:discovery come from the bootstrap policy's bindings.
            Assert.That(status["resourceRules"]!.ToJsonString(), Does.Contain("selfsubjectaccessreviews"));
            Assert.That(status["nonResourceRules"]!.ToJsonString(), Does.Contain("/healthz"));
        });
        (await dan.SendAsync(HttpMethod.Post, "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", """{"spec":{}}""")).AssertStatus(400, "BadRequest");
    }

    [Test]
    [Category("E2E")]
    public async Task KubectlCanIList_PrintsTheRules()
    {
        var ns = await _rbac.NewNamespaceAsync();
        await _rbac.GrantAsync(ns, "User", "erin", "cm-reader", """[{"verbs":["get","list","watch"],"apiGroups":[""],"resources":["configmaps"],"resourceNames":[]},{"verbs":["get"],"apiGroups":["apps"],"resources":["deployments"],"resourceNames":["web"]}]""");
        var erin = new Kubectl(_server.WriteKubeconfig("erin", _server.IssueClientCertificate("erin")));
        var output = await SecurityTestHelper.EventuallyAsync(async () =>
        {
            var run = await erin.RunAsync($"auth can-i --list -n {ns}");
            return run.ExitCode == 0 && run.Output.Contains("configmaps") ? run.Output : null;
        });
        Assert.Multiple(() =>
        {
            Assert.That(output, Does.StartWith("Resources"));
            Assert.That(output, Does.Match(@"Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs"));
            Assert.That(output, Does.Match(@"\nconfigmaps\s+\[\]\s+\[\]\s+\[get list watch\]"));
            Assert.That(output, Does.Match(@"\ndeployments\.apps\s+\[\]\s+\[web\]\s+\[get\]"));
            Assert.That(output, Does.Match(@"\n\s+\[/healthz\]\s+\[\]\s+\[get\]"));
        });
        // In another namespace the namespaced grant is gone.
        var other = await erin.OkAsync("auth can-i --list -n default");
        Assert.That(WordConfigmaps().IsMatch(other), Is.False);
    }

    [Test]
    public async Task LocalSubjectAccessReview_AnswersInItsNamespaceOnly()
    {
        var ns = await _rbac.NewNamespaceAsync();
        await _rbac.GrantAsync(ns, "User", "frank", "cm-reader", """[{"verbs":["list"],"apiGroups":[""],"resources":["configmaps"]}]""");
        var path = $"/apis/authorization.k8s.io/v1/namespaces/{ns}/localsubjectaccessreviews";
        var body = $$$$"""{"apiVersion":"authorization.k8s.io/v1","kind":"LocalSubjectAccessReview","metadata":{"namespace":"{{{{ns}}}}"},"spec":{"user":"frank","resourceAttributes":{"namespace":"{{{{ns}}}}","verb":"list","resource":"configmaps"}}}""";
        var review = await SecurityTestHelper.EventuallyAsync(async () =>
        {
            var r = await _server.Http.SendAsync(HttpMethod.Post, path, body);
            Assert.That(r.Code, Is.EqualTo(HttpStatusCode.Created), r.Body.ToJsonString());
            return r.Body["status"]!["allowed"]!.GetValue<bool>() ? r.Body : null;
        });
        Assert.That(review["metadata"]!["namespace"]!.ToString(), Is.EqualTo(ns));
        var elsewhere = $$$$"""{"spec":{"user":"frank","resourceAttributes":{"namespace":"default","verb":"list","resource":"configmaps"}}}""";
        var invalid = (await _server.Http.SendAsync(HttpMethod.Post, path, elsewhere)).AssertStatus(422, "Invalid");
        Assert.That(invalid["message"]!.ToString(), Does.Contain("spec.resourceAttributes.namespace").And.Contain("must match metadata.namespace"));
    }

    [GeneratedRegex(@"(?m)^configmaps\s")]
    private static partial Regex WordConfigmaps();
}
