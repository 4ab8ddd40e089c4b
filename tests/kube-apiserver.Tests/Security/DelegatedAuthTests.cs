using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Apiserver.Generic.Server.Certificates;
using KubeApiserver.Options;
using KubeApiserver.Tests.E2E;
using NUnit.Framework;

namespace KubeApiserver.Tests.Security;

/// <summary>
/// Delegated authentication and authorization against services the test serves itself: a
/// SubjectAccessReview webhook (<c>--authorization-mode=Webhook</c>), a TokenReview webhook, and an
/// authenticating proxy's headers behind a client certificate from a CA of its own.
/// </summary>
[TestFixture]
public sealed class DelegatedAuthTests
{
    private const string WhoAmI = SecurityTestHelper.WhoAmI;
    private const string WhoAmIBody = """{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}""";

    [Test]
    public async Task WebhookAuthorizer_AllowsDeniesOrDefers_AndCachesAnswers()
    {
        await using var webhook = await LoopbackWebhook.StartAsync(review =>
        {
            var spec = review["spec"]!;
            var user = (string?)spec["user"];
            return user switch
            {
                "webhook-user" when (string?)spec["resourceAttributes"]?["resource"] == "configmaps" => new JsonObject { ["allowed"] = true, ["reason"] = "the webhook says so" },
                "denied-user" => new JsonObject { ["allowed"] = false, ["denied"] = true, ["reason"] = "nope" },
                _ => new JsonObject { ["allowed"] = false },
            };
        });
        await using var server = await TestServer.StartAsync(security: new SecurityOptions
        {
            AuthorizationModes = ["Webhook", "RBAC"],
            AuthorizationWebhookConfigFile = webhook.WriteKubeconfig(),
        });
        using var allowed = server.CreateHttpClient(server.IssueClientCertificate("webhook-user", "wg").ToX509());
        Assert.That((await allowed.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/configmaps")).Code, Is.EqualTo(HttpStatusCode.OK));
        var sent = webhook.Requests.Last(r => (string?)r["spec"]!["user"] == "webhook-user");
        Assert.That(sent["spec"]!.ToJsonString(), Is.EqualTo("""{"resourceAttributes":{"namespace":"default","verb":"list","resource":"configmaps"},"user":"webhook-user","groups":["wg","system:authenticated"]}"""));
        Assert.That(sent["apiVersion"]!.ToString(), Is.EqualTo("authorization.k8s.io/v1"));

        // The same question again is answered from the cache.
        var calls = webhook.Calls;
        Assert.That((await allowed.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/configmaps")).Code, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(webhook.Calls, Is.EqualTo(calls));

        using var denied = server.CreateHttpClient(server.IssueClientCertificate("denied-user").ToX509());
        var status = (await denied.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/configmaps")).AssertStatus(403, "Forbidden");
        Assert.That(status["message"]!.ToString(), Is.EqualTo("configmaps is forbidden: User \"denied-user\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"default\": nope"));

        // No opinion from the webhook: RBAC decides (and has nothing for this user).
        using var other = server.CreateHttpClient(server.IssueClientCertificate("other-user").ToX509());
        (await other.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/secrets")).AssertStatus(403, "Forbidden");
        Assert.That((await other.SendAsync(HttpMethod.Get, "/api")).Code, Is.EqualTo(HttpStatusCode.OK), "RBAC's discovery rules still apply");

        var kubectl = new Kubectl(server.WriteKubeconfig("webhook-user", server.IssueClientCertificate("webhook-user")));
        Assert.That((await kubectl.RunAsync("auth can-i list configmaps -n default")).Output.Trim(), Is.EqualTo("yes"));
        Assert.That((await kubectl.RunAsync("auth can-i list secrets -n default")).Output.Trim(), Is.EqualTo("no"));
    }

    [Test]
    public async Task WebhookTokenAuthenticator_NamesTheUser_RefusesOthers_AndCaches()
    {
        await using var webhook = await LoopbackWebhook.StartAsync(review => (string?)review["spec"]!["token"] == "good-token"
            ? new JsonObject { ["authenticated"] = true, ["user"] = new JsonObject { ["username"] = "token-user", ["uid"] = "42", ["groups"] = new JsonArray("tg"), ["extra"] = new JsonObject { ["scopes"] = new JsonArray("a") } } }
            : new JsonObject { ["authenticated"] = false, ["error"] = "unknown token" });
        await using var server = await TestServer.StartAsync(security: new SecurityOptions { AuthenticationTokenWebhookConfigFile = webhook.WriteKubeconfig() });
        using var client = server.CreateAnonymousHttpClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "good-token");
        var review = await client.SendAsync(HttpMethod.Post, WhoAmI, WhoAmIBody);
        Assert.That(review.Code, Is.EqualTo(HttpStatusCode.Created), review.Body.ToJsonString());
        var userInfo = review.Body["status"]!["userInfo"]!;
        Assert.Multiple(() =>
        {
            Assert.That(userInfo["username"]!.ToString(), Is.EqualTo("token-user"));
            Assert.That(userInfo["uid"]!.ToString(), Is.EqualTo("42"));
            Assert.That(userInfo["groups"]!.AsArray().Select(g => g!.ToString()), Is.EqualTo(new[] { "tg", "system:authenticated" }));
            Assert.That(userInfo["extra"]!["scopes"]!.AsArray().Select(g => g!.ToString()), Is.EqualTo(new[] { "a" }));
        });
        var calls = webhook.Calls;
        Assert.That((await client.SendAsync(HttpMethod.Post, WhoAmI, WhoAmIBody)).Code, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(webhook.Calls, Is.EqualTo(calls), "the answer is cached");

        // TokenReview asks the webhook too.
        var reviewed = (await server.Http.SendAsync(HttpMethod.Post, "/apis/authentication.k8s.io/v1/tokenreviews",
            """{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{"token":"good-token"}}""")).Body["status"]!;
        Assert.That((bool)reviewed["authenticated"]!, Is.True, reviewed.ToJsonString());
        Assert.That(reviewed["user"]!["username"]!.ToString(), Is.EqualTo("token-user"));
        var unknown = (await server.Http.SendAsync(HttpMethod.Post, "/apis/authentication.k8s.io/v1/tokenreviews",
            """{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{"token":"bad-token"}}""")).Body["status"]!;
        Assert.That((bool?)unknown["authenticated"] ?? false, Is.False, unknown.ToJsonString());

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "bad-token");
        (await client.SendAsync(HttpMethod.Post, WhoAmI, WhoAmIBody)).AssertStatus(401, "Unauthorized");
        // The admin's static token is still recognised before the webhook is asked.
        var before = webhook.Calls;
        Assert.That((await server.Http.SendAsync(HttpMethod.Get, "/api")).Code, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(webhook.Calls, Is.EqualTo(before));

        var kubeconfig = Path.Combine(server.DataDir, "token.kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: test
              cluster:
                server: {server.Chain.Address.GetLeftPart(UriPartial.Authority)}
                certificate-authority-data: {Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(server.Chain.CaCertificatePem))}
            users:
            - name: token-user
              user:
                token: good-token
            contexts:
            - name: test
              context: {"{"}cluster: test, user: token-user{"}"}
            current-context: test

            """);
        var whoami = await new Kubectl(kubeconfig).OkAsync("auth whoami -o json");
        Assert.That(JsonNode.Parse(whoami)!["status"]!["userInfo"]!["username"]!.ToString(), Is.EqualTo("token-user"));
    }

    [Test]
    public async Task RequestHeaderAuthentication_TrustsAllowedProxyCertificates_Only()
    {
        var pki = Directory.CreateTempSubdirectory("front-proxy-").FullName;
        try
        {
            // A CA of the proxy's own, not the one client certificates are checked against.
            SelfSignedCertificates.Ensure(pki, ["localhost"], [IPAddress.Loopback]);
            using var proxyCa = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(
                Path.Combine(pki, SelfSignedCertificates.CaCertFile), Path.Combine(pki, SelfSignedCertificates.CaKeyFile));
            await using var server = await TestServer.StartAsync(security: new SecurityOptions
            {
                RequestheaderClientCaFile = Path.Combine(pki, SelfSignedCertificates.CaCertFile),
                RequestheaderAllowedNames = ["front-proxy"],
                RequestheaderUsernameHeaders = ["X-Remote-User"],
                RequestheaderUidHeaders = ["X-Remote-Uid"],
                RequestheaderGroupHeaders = ["X-Remote-Group"],
                RequestheaderExtraHeadersPrefix = ["X-Remote-Extra-"],
            });
            using var proxy = server.CreateHttpClient(ClientCertificates.Issue(proxyCa, "front-proxy", []).ToX509());
            var review = await SendAsync(proxy, ("X-Remote-User", "proxied"), ("X-Remote-Uid", "u-7"), ("X-Remote-Group", "pg"), ("X-Remote-Extra-Acme.com%2Fteam", "blue"));
            Assert.That(review.Code, Is.EqualTo(HttpStatusCode.Created), review.Body.ToJsonString());
            var userInfo = review.Body["status"]!["userInfo"]!;
            Assert.Multiple(() =>
            {
                Assert.That(userInfo["username"]!.ToString(), Is.EqualTo("proxied"));
                Assert.That(userInfo["uid"]!.ToString(), Is.EqualTo("u-7"));
                Assert.That(userInfo["groups"]!.AsArray().Select(g => g!.ToString()), Is.EqualTo(new[] { "pg", "system:authenticated" }));
                Assert.That(userInfo["extra"]!["acme.com/team"]!.AsArray().Select(g => g!.ToString()), Is.EqualTo(new[] { "blue" }));
            });

            // Without a username header the proxy's certificate is no user at all (it is not from the client CA).
            (await SendAsync(proxy)).AssertStatus(401, "Unauthorized");
            // A certificate from the proxy CA with a name not allowed: the headers are not trusted.
            using var impostor = server.CreateHttpClient(ClientCertificates.Issue(proxyCa, "impostor", []).ToX509());
            (await SendAsync(impostor, ("X-Remote-User", "proxied"))).AssertStatus(401, "Unauthorized");
            // A user's certificate from the client CA: the headers are ignored, the certificate names the user.
            using var alice = server.CreateHttpClient(server.IssueClientCertificate("alice").ToX509());
            var self = await SendAsync(alice, ("X-Remote-User", "root"), ("X-Remote-Group", "system:masters"));
            Assert.That(self.Body["status"]!["userInfo"]!["username"]!.ToString(), Is.EqualTo("alice"));

            // Aggregated API servers are told the same, in kube-system/extension-apiserver-authentication.
            var published = (await server.Http.SendAsync(HttpMethod.Get, "/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication")).Body["data"]!;
            Assert.Multiple(() =>
            {
                Assert.That(published["requestheader-allowed-names"]!.ToString(), Is.EqualTo("[\"front-proxy\"]"));
                Assert.That(published["requestheader-username-headers"]!.ToString(), Is.EqualTo("[\"X-Remote-User\"]"));
                Assert.That(published["requestheader-uid-headers"]!.ToString(), Is.EqualTo("[\"X-Remote-Uid\"]"));
                Assert.That(published["requestheader-group-headers"]!.ToString(), Is.EqualTo("[\"X-Remote-Group\"]"));
                Assert.That(published["requestheader-extra-headers-prefix"]!.ToString(), Is.EqualTo("[\"X-Remote-Extra-\"]"));
                Assert.That(published["requestheader-client-ca-file"]!.ToString(), Does.Contain(proxyCa.ExportCertificatePem()));
                Assert.That(published["client-ca-file"]!.ToString(), Does.Contain(server.Chain.CaCertificatePem.Trim()));
            });
        }
        finally
        {
            Directory.Delete(pki, recursive: true);
        }
    }

    [Test]
    public async Task WithoutAProxyCa_AggregatedServersAreToldOnlyTheClientCa()
    {
        await using var server = await TestServer.StartAsync();
        var (code, configMap) = await server.Http.SendAsync(HttpMethod.Get, "/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication");
        Assert.That(code, Is.EqualTo(HttpStatusCode.OK), configMap.ToJsonString());
        var data = configMap["data"]!.AsObject();
        Assert.That(data.Select(e => e.Key), Is.EqualTo(new[] { "client-ca-file" }));
        Assert.That(data["client-ca-file"]!.ToString(), Does.Contain(server.Chain.CaCertificatePem.Trim()));
    }

    private static Task<(HttpStatusCode Code, JsonObject Body)> SendAsync(HttpClient client, params (string Name, string Value)[] headers) =>
        SecurityTestHelper.SendWithHeadersAsync(client, HttpMethod.Post, WhoAmI, headers);
}
