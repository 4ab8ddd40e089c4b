using System.CommandLine;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Apiserver.Generic.Server.Certificates;
using KubeApiserver.Options;
using KubeApiserver.Tests.E2E;
using NUnit.Framework;

namespace KubeApiserver.Tests.Security;

/// <summary>
/// The bootstrap RBAC policy (rbac/bootstrap-roles), anonymous requests, and the review APIs
/// (SelfSubjectAccessReview, SubjectAccessReview, SelfSubjectReview) over HTTP and with kubectl.
/// </summary>
[TestFixture]
public sealed class BootstrapAndReviewTests
{
    private const string Rbac = "/apis/rbac.authorization.k8s.io/v1";
    private TestServer _server = null!;
    private HttpClient _alice = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await TestServer.StartAsync(security: new SecurityOptions { AuthorizationModes = ["RBAC"] });
        _alice = _server.CreateHttpClient(_server.IssueClientCertificate("alice", "devs").ToX509());
        // The hook has run once the server is ready; aggregation may take a moment more.
        await EventuallyAsync(async () => (await ViewRulesAsync()).Count > 0);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _alice.Dispose();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task DefaultRoles_ExistAfterStart_WithKubesLabelsAndAnnotations()
    {
        var admin = (await _server.Http.SendAsync(HttpMethod.Get, $"{Rbac}/clusterroles/cluster-admin")).Body;
        Assert.Multiple(() =>
        {
            Assert.That((string?)admin["metadata"]!["labels"]!["kubernetes.io/bootstrapping"], Is.EqualTo("rbac-defaults"));
            Assert.That((string?)admin["metadata"]!["annotations"]!["rbac.authorization.kubernetes.io/autoupdate"], Is.EqualTo("true"));
            Assert.That(admin["rules"]!.ToJsonString(), Is.EqualTo("""[{"verbs":["*"],"apiGroups":["*"],"resources":["*"]},{"verbs":["*"],"nonResourceURLs":["*"]}]"""));
        });
        foreach (var name in new[] { "admin", "edit", "view", "system:discovery", "system:basic-user", "system:public-info-viewer" })
        {
            var role = await _server.Http.SendAsync(HttpMethod.Get, $"{Rbac}/clusterroles/{name}");
            Assert.That(role.Code, Is.EqualTo(HttpStatusCode.OK), name);
        }
        var binding = (await _server.Http.SendAsync(HttpMethod.Get, $"{Rbac}/clusterrolebindings/cluster-admin")).Body;
        Assert.That(binding["subjects"]!.ToJsonString(), Is.EqualTo("""[{"apiGroup":"rbac.authorization.k8s.io","kind":"Group","name":"system:masters"}]"""));
        var publicInfo = (await _server.Http.SendAsync(HttpMethod.Get, $"{Rbac}/clusterrolebindings/system:public-info-viewer")).Body;
        Assert.That(publicInfo["subjects"]!.AsArray().Select(s => (string?)s!["name"]), Is.EqualTo(new[] { "system:authenticated", "system:unauthenticated" }));
    }

    [Test]
    public async Task View_IsAggregatedFromAggregateToViewRoles_AndFollowsNewOnes()
    {
        var view = await ViewRulesAsync();
        Assert.That(view.Any(r => r.ToJsonString().Contains("\"configmaps\"")), Is.True);
        var edit = (await _server.Http.SendAsync(HttpMethod.Get, $"{Rbac}/clusterroles/edit")).Body;
        Assert.That(edit["aggregationRule"]!.ToJsonString(), Is.EqualTo("""{"clusterRoleSelectors":[{"matchLabels":{"rbac.authorization.k8s.io/aggregate-to-edit":"true"}}]}"""));

        await CreateAsync($"{Rbac}/clusterroles", """
            {"metadata":{"name":"widget-viewer","labels":{"rbac.authorization.k8s.io/aggregate-to-view":"true"}},
             "rules":[{"verbs":["get"],"apiGroups":["example.com"],"resources":["widgets"]}]}
            """);
        await EventuallyAsync(async () => (await ViewRulesAsync()).Any(r => r.ToJsonString().Contains("widgets")));
        // edit aggregates view (labelled aggregate-to-edit), admin aggregates edit.
        await EventuallyAsync(async () => (await _server.Http.SendAsync(HttpMethod.Get, $"{Rbac}/clusterroles/admin")).Body["rules"]!.ToJsonString().Contains("widgets"));
    }

    [Test]
    public async Task Anonymous_ReadsHealthAndVersion_IsForbiddenResources()
    {
        using var anonymous = _server.CreateAnonymousHttpClient();
        foreach (var path in new[] { "/healthz", "/livez", "/readyz", "/version" })
        {
            using var response = await anonymous.GetAsync(path);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
        }
        var status = (await anonymous.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/configmaps")).AssertStatus(403, "Forbidden");
        Assert.That(status["message"]?.ToString(), Is.EqualTo("configmaps is forbidden: User \"system:anonymous\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"default\""));
        var api = (await anonymous.SendAsync(HttpMethod.Get, "/api")).AssertStatus(403, "Forbidden");
        Assert.That(api["message"]?.ToString(), Is.EqualTo("forbidden: User \"system:anonymous\" cannot get path \"/api\""));
        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", "not-a-token");
        (await anonymous.SendAsync(HttpMethod.Get, "/api")).AssertStatus(401, "Unauthorized");
    }

    [Test]
    public async Task Readyz_ReportsTheBootstrapRolesHook()
    {
        using var response = await _server.Http.GetAsync("/readyz?verbose");
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("[+]poststarthook/rbac/bootstrap-roles ok"));
    }

    [Test]
    public void AnonymousAuthFlag_DefaultsToTrue_AndTakesFalse()
    {
        static KubeApiserverOptions Parse(params string[] args)
        {
            var command = new RootCommand();
            KubeApiserverOptions.AddTo(command);
            var result = command.Parse(args);
            Assert.That(result.Errors, Is.Empty);
            return KubeApiserverOptions.Read(result);
        }
        Assert.That(Parse().Security.AnonymousAuth, Is.True);
        Assert.That(Parse("--anonymous-auth=false").Security.AnonymousAuth, Is.False);
    }

    [Test]
    public async Task AnonymousAuthOff_RequestsWithoutCredentialsGet401()
    {
        await using var server = await TestServer.StartAsync(security: new SecurityOptions { AnonymousAuth = false });
        using var anonymous = server.CreateAnonymousHttpClient();
        (await anonymous.SendAsync(HttpMethod.Get, "/api")).AssertStatus(401, "Unauthorized");
    }

    [Test]
    public async Task AutoUpdateFalse_SurvivesARestart_OthersAreRepaired()
    {
        await using var server = await TestServer.StartAsync();
        var path = $"{Rbac}/clusterroles/system:basic-user";
        var role = (await server.Http.SendAsync(HttpMethod.Get, path)).Body;
        role["rules"] = new JsonArray();
        role["metadata"]!["annotations"]!["rbac.authorization.kubernetes.io/autoupdate"] = "false";
        Assert.That((await server.Http.SendAsync(HttpMethod.Put, path, role.ToJsonString())).Code, Is.EqualTo(HttpStatusCode.OK));
        var discovery = $"{Rbac}/clusterroles/system:discovery";
        var other = (await server.Http.SendAsync(HttpMethod.Get, discovery)).Body;
        other["rules"] = new JsonArray();
        Assert.That((await server.Http.SendAsync(HttpMethod.Put, discovery, other.ToJsonString())).Code, Is.EqualTo(HttpStatusCode.OK));

        await server.RestartAsync();

        Assert.That((await server.Http.SendAsync(HttpMethod.Get, path)).Body["rules"]!.AsArray(), Is.Empty);
        Assert.That((await server.Http.SendAsync(HttpMethod.Get, discovery)).Body["rules"]!.AsArray(), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task AuthenticatedUser_CanDiscover_WithoutAnyBinding()
    {
        foreach (var path in new[] { "/api", "/apis", "/api/v1", "/apis/apps/v1", "/version" })
        {
            using var response = await _alice.GetAsync(path);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
        }
    }

    [Test]
    public async Task SelfSubjectAccessReview_AnswersForTheRequester()
    {
        var ns = await NewNamespaceAsync();
        var body = $$$$"""{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","spec":{"resourceAttributes":{"namespace":"{{{{ns}}}}","verb":"list","resource":"configmaps"}}}""";
        var denied = await _alice.SendAsync(HttpMethod.Post, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", body);
        Assert.That(denied.Code, Is.EqualTo(HttpStatusCode.Created), denied.Body.ToJsonString());
        Assert.That(denied.Body["status"]!["allowed"]!.GetValue<bool>(), Is.False);
        Assert.That(denied.Body["kind"]!.ToString(), Is.EqualTo("SelfSubjectAccessReview"));

        await BindConfigMapReaderAsync(ns, "alice");
        // The RBAC cache follows the binding by watch: the review answers yes once it has seen it.
        var allowed = denied;
        await EventuallyAsync(async () =>
        {
            allowed = await _alice.SendAsync(HttpMethod.Post, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", body);
            return allowed.Body["status"]!["allowed"]!.GetValue<bool>();
        });
        Assert.That(allowed.Body["status"]!["reason"]!.ToString(), Does.Contain("RoleBinding"));

        var path = await _alice.SendAsync(HttpMethod.Post, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
            """{"spec":{"nonResourceAttributes":{"path":"/apis","verb":"get"}}}""");
        Assert.That(path.Body["status"]!["allowed"]!.GetValue<bool>(), Is.True);
        var invalid = await _alice.SendAsync(HttpMethod.Post, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", """{"spec":{}}""");
        invalid.AssertStatus(422, "Invalid");
    }

    [Test]
    public async Task SubjectAccessReview_AnswersForTheNamedUser_AndNeedsPermission()
    {
        var body = """{"spec":{"user":"bob","groups":["system:masters"],"resourceAttributes":{"verb":"delete","resource":"nodes"}}}""";
        var masters = await _server.Http.SendAsync(HttpMethod.Post, "/apis/authorization.k8s.io/v1/subjectaccessreviews", body);
        Assert.That(masters.Code, Is.EqualTo(HttpStatusCode.Created), masters.Body.ToJsonString());
        Assert.That(masters.Body["status"]!["allowed"]!.GetValue<bool>(), Is.True);

        var bob = await _server.Http.SendAsync(HttpMethod.Post, "/apis/authorization.k8s.io/v1/subjectaccessreviews",
            """{"spec":{"user":"bob","resourceAttributes":{"verb":"list","resource":"secrets","namespace":"default"}}}""");
        Assert.That(bob.Body["status"]!["allowed"]!.GetValue<bool>(), Is.False);
        (await _server.Http.SendAsync(HttpMethod.Post, "/apis/authorization.k8s.io/v1/subjectaccessreviews",
            """{"spec":{"resourceAttributes":{"verb":"list","resource":"secrets"}}}""")).AssertStatus(422, "Invalid");

        // alice (not bound to system:auth-delegator or similar) may not ask about others.
        var status = (await _alice.SendAsync(HttpMethod.Post, "/apis/authorization.k8s.io/v1/subjectaccessreviews", body)).AssertStatus(403, "Forbidden");
        Assert.That(status["message"]?.ToString(), Is.EqualTo("subjectaccessreviews.authorization.k8s.io is forbidden: User \"alice\" cannot create resource \"subjectaccessreviews\" in API group \"authorization.k8s.io\" at the cluster scope"));
    }

    [Test]
    public async Task SelfSubjectReview_AnswersTheUser()
    {
        var review = await _alice.SendAsync(HttpMethod.Post, "/apis/authentication.k8s.io/v1/selfsubjectreviews", """{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}""");
        Assert.That(review.Code, Is.EqualTo(HttpStatusCode.Created), review.Body.ToJsonString());
        var userInfo = review.Body["status"]!["userInfo"]!;
        Assert.Multiple(() =>
        {
            Assert.That(userInfo["username"]!.ToString(), Is.EqualTo("alice"));
            Assert.That(userInfo["groups"]!.AsArray().Select(g => g!.ToString()), Is.EquivalentTo(new[] { "devs", "system:authenticated" }));
        });
    }

    [Test]
    public async Task Kubectl_AuthCanI_And_Whoami()
    {
        var ns = await NewNamespaceAsync();
        var kubectl = new Kubectl(_server.WriteKubeconfig("alice", _server.IssueClientCertificate("alice", "devs")));

        var before = await kubectl.RunAsync($"auth can-i list configmaps -n {ns}");
        Assert.That(before.Output.Trim(), Is.EqualTo("no"), before.Error);
        Assert.That(before.ExitCode, Is.Not.Zero);
        await BindConfigMapReaderAsync(ns, "alice");
        var after = before;
        await EventuallyAsync(async () => (after = await kubectl.RunAsync($"auth can-i list configmaps -n {ns}")).Output.Trim() == "yes");
        Assert.That(after.ExitCode, Is.Zero);

        var whoami = await kubectl.RunAsync("auth whoami");
        Assert.That(whoami.ExitCode, Is.Zero, whoami.Error);
        Assert.That(whoami.Output, Does.Contain("Username").And.Contain("alice").And.Contain("system:authenticated"));
        var json = await kubectl.OkAsync("auth whoami -o json");
        Assert.That(JsonNode.Parse(json)!["status"]!["userInfo"]!["username"]!.ToString(), Is.EqualTo("alice"));
    }

    private async Task<List<JsonNode>> ViewRulesAsync()
    {
        var view = (await _server.Http.SendAsync(HttpMethod.Get, $"{Rbac}/clusterroles/view")).Body;
        return [.. (view["rules"] as JsonArray ?? []).OfType<JsonNode>()];
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("condition not met within 20s");
            }
            await Task.Delay(100);
        }
    }

    private Task<string> NewNamespaceAsync() => new SecurityTestHelper(_server).NewNamespaceAsync();

    private async Task BindConfigMapReaderAsync(string ns, string user)
    {
        await CreateAsync($"{Rbac}/namespaces/{ns}/roles", """
            {"metadata":{"name":"configmap-reader"},"rules":[{"verbs":["get","list","watch"],"apiGroups":[""],"resources":["configmaps"]}]}
            """);
        await CreateAsync($"{Rbac}/namespaces/{ns}/rolebindings", $$$"""
            {"metadata":{"name":"configmap-readers"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"configmap-reader"},
             "subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"{{{user}}}"}]}
            """);
    }

    private Task CreateAsync(string path, string json) => new SecurityTestHelper(_server).CreateAsync(path, json);

}
