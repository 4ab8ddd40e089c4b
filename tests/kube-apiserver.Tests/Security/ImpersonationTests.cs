using System.Net;
using System.Text.Json.Nodes;
using KubeApiserver.Options;
using KubeApiserver.Tests.E2E;
using NUnit.Framework;

namespace KubeApiserver.Tests.Security;

/// <summary>Impersonation headers over HTTP and kubectl's <c>--as</c>/<c>--as-group</c>, allowed and refused.</summary>
[TestFixture]
public sealed class ImpersonationTests
{
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

    [Test]
    public async Task ImpersonateUser_WithoutTheVerb_Is403WithKubesMessage()
    {
        using var bob = _server.CreateHttpClient(_server.IssueClientCertificate("bob").ToX509());
        var status = (await SendAsAsync(bob, ("Impersonate-User", "jane"))).AssertStatus(403, "Forbidden");
        Assert.That(status["message"]!.ToString(), Is.EqualTo("users \"jane\" is forbidden: User \"bob\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope"));
        var sa = (await SendAsAsync(bob, ("Impersonate-User", "system:serviceaccount:team:builder"))).AssertStatus(403, "Forbidden");
        Assert.That(sa["message"]!.ToString(), Is.EqualTo("serviceaccounts \"builder\" is forbidden: User \"bob\" cannot impersonate resource \"serviceaccounts\" in API group \"\" in the namespace \"team\""));
    }

    [Test]
    public async Task ImpersonateUserAndGroups_Allowed_ServesTheImpersonatedUser()
    {
        await _rbac.GrantClusterAsync("carol", "impersonate-users-groups", """[{"verbs":["impersonate"],"apiGroups":[""],"resources":["users","groups"]}]""");
        using var carol = _server.CreateHttpClient(_server.IssueClientCertificate("carol").ToX509());
        var review = await SecurityTestHelper.EventuallyAsync(async () =>
        {
            var r = await SendAsAsync(carol, ("Impersonate-User", "jane"), ("Impersonate-Group", "g1"));
            return r.Code == HttpStatusCode.Created ? r.Body : null;
        });
        var userInfo = review["status"]!["userInfo"]!;
        Assert.Multiple(() =>
        {
            Assert.That(userInfo["username"]!.ToString(), Is.EqualTo("jane"));
            Assert.That(userInfo["groups"]!.AsArray().Select(g => g!.ToString()), Is.EqualTo(new[] { "g1", "system:authenticated" }));
        });
        // A uid or an extra needs its own grant.
        var uid = (await SendAsAsync(carol, ("Impersonate-User", "jane"), ("Impersonate-Uid", "1234"))).AssertStatus(403, "Forbidden");
        Assert.That(uid["message"]!.ToString(), Is.EqualTo("uids.authentication.k8s.io \"1234\" is forbidden: User \"carol\" cannot impersonate resource \"uids\" in API group \"authentication.k8s.io\" at the cluster scope"));
        var extra = (await SendAsAsync(carol, ("Impersonate-User", "jane"), ("Impersonate-Extra-Scopes%2Fone", "read"))).AssertStatus(403, "Forbidden");
        Assert.That(extra["message"]!.ToString(), Is.EqualTo("userextras.authentication.k8s.io \"read\" is forbidden: User \"carol\" cannot impersonate resource \"userextras/scopes/one\" in API group \"authentication.k8s.io\" at the cluster scope"));
    }

    [Test]
    public async Task ImpersonateServiceAccountWithExtraAndUid_GetsItsFixedGroups()
    {
        await _rbac.GrantClusterAsync("dave", "impersonate-sa", """
            [{"verbs":["impersonate"],"apiGroups":[""],"resources":["serviceaccounts"]},
             {"verbs":["impersonate"],"apiGroups":["authentication.k8s.io"],"resources":["uids","userextras/scopes"]}]
            """);
        using var dave = _server.CreateHttpClient(_server.IssueClientCertificate("dave").ToX509());
        var review = await SecurityTestHelper.EventuallyAsync(async () =>
        {
            var r = await SendAsAsync(dave, ("Impersonate-User", "system:serviceaccount:team:builder"), ("Impersonate-Uid", "u-1"), ("Impersonate-Extra-Scopes", "a"));
            return r.Code == HttpStatusCode.Created ? r.Body : null;
        });
        var userInfo = review["status"]!["userInfo"]!;
        Assert.Multiple(() =>
        {
            Assert.That(userInfo["username"]!.ToString(), Is.EqualTo("system:serviceaccount:team:builder"));
            Assert.That(userInfo["uid"]!.ToString(), Is.EqualTo("u-1"));
            Assert.That(userInfo["groups"]!.AsArray().Select(g => g!.ToString()), Is.EqualTo(new[] { "system:serviceaccounts", "system:serviceaccounts:team", "system:authenticated" }));
            Assert.That(userInfo["extra"]!["scopes"]!.AsArray().Select(g => g!.ToString()), Is.EqualTo(new[] { "a" }));
        });
    }

    [Test]
    public async Task ImpersonateGroupWithoutUser_Is400()
    {
        var status = (await SendAsAsync(_server.Http, ("Impersonate-Group", "g1"))).AssertStatus(400, "BadRequest");
        Assert.That(status["message"]!.ToString(), Does.Contain("without impersonating a user"));
    }

    [Test]
    public async Task ImpersonatedUser_IsAuthorizedAsItself()
    {
        var ns = await _rbac.NewNamespaceAsync();
        // The admin may impersonate anyone; jane may not list secrets, so neither may the admin acting as jane.
        var status = (await SendAsAsync(_server.Http, HttpMethod.Get, $"/api/v1/namespaces/{ns}/secrets", ("Impersonate-User", "jane"))).AssertStatus(403, "Forbidden");
        Assert.That(status["message"]!.ToString(), Is.EqualTo($"secrets is forbidden: User \"jane\" cannot list resource \"secrets\" in API group \"\" in the namespace \"{ns}\""));
    }

    [Test]
    [Category("E2E")]
    public async Task Kubectl_As_AndAsGroup_AndCanIAs()
    {
        var ns = await _rbac.NewNamespaceAsync();
        var admin = new Kubectl(_server.KubeconfigPath);
        await _rbac.GrantAsync(ns, "Group", "readers", "cm-reader", """[{"verbs":["get","list"],"apiGroups":[""],"resources":["configmaps"]}]""");

        var refused = await admin.RunAsync($"get configmaps -n {ns} --as=jane");
        Assert.That(refused.ExitCode, Is.Not.Zero);
        Assert.That(refused.Error, Does.Contain($"User \"jane\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"{ns}\""));
        await SecurityTestHelper.EventuallyAsync(async () => (await admin.RunAsync($"get configmaps -n {ns} --as=jane --as-group=readers")).ExitCode == 0 ? "" : null);

        Assert.That((await admin.RunAsync($"auth can-i list configmaps -n {ns} --as=jane")).Output.Trim(), Is.EqualTo("no"));
        Assert.That((await admin.RunAsync($"auth can-i list configmaps -n {ns} --as=jane --as-group=readers")).Output.Trim(), Is.EqualTo("yes"));
        // kubectl sends one header line per group (HttpClient would join them into one).
        var whoami = JsonNode.Parse(await admin.OkAsync("auth whoami --as=jane --as-group=readers --as-group=writers -o json"))!["status"]!["userInfo"]!;
        Assert.That(whoami["username"]!.ToString(), Is.EqualTo("jane"));
        Assert.That(whoami["groups"]!.AsArray().Select(g => g!.ToString()), Is.EqualTo(new[] { "readers", "writers", "system:authenticated" }));

        var bob = new Kubectl(_server.WriteKubeconfig("bob", _server.IssueClientCertificate("bob")));
        var notAllowed = await bob.RunAsync($"get configmaps -n {ns} --as=jane");
        Assert.That(notAllowed.Error, Does.Contain("users \"jane\" is forbidden: User \"bob\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope"));
    }

    private static Task<(HttpStatusCode Code, JsonObject Body)> SendAsAsync(HttpClient client, params (string Name, string Value)[] headers) =>
        SecurityTestHelper.SendWithHeadersAsync(client, HttpMethod.Post, SecurityTestHelper.WhoAmI, headers);

    private static Task<(HttpStatusCode Code, JsonObject Body)> SendAsAsync(HttpClient client, HttpMethod method, string path, params (string Name, string Value)[] headers) =>
        SecurityTestHelper.SendWithHeadersAsync(client, method, path, headers);
}
