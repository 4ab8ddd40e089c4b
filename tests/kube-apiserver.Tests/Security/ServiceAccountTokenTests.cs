using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using NUnit.Framework;

namespace KubeApiserver.Tests.Security;

/// <summary>
/// Service-account tokens over HTTPS with the C# client and plain HTTP: TokenRequest, the user a
/// token authenticates as, the lookup check, and the tokens that must be refused.
/// </summary>
[TestFixture]
public sealed class ServiceAccountTokenTests : ServerFixture
{
    private const string Issuer = "https://kubernetes.default.svc.cluster.local";

    [Test]
    public async Task TokenRequest_WithTheCSharpClient_AnswersATokenWithKubesClaims()
    {
        var ns = await NewNamespaceAsync();
        var account = await CreateAccountAsync(ns, "bot");
        using var client = Server.CreateClient();

        var answer = await client.CoreV1.CreateNamespacedServiceAccountTokenAsync(new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec() }, "bot", ns);

        var token = answer.Status.Token;
        var claims = TokenTestSupport.Claims(token);
        var iat = claims["iat"]!.GetValue<long>();
        Assert.Multiple(() =>
        {
            Assert.That(answer.Spec.Audiences, Is.EqualTo(new[] { Issuer }));
            Assert.That(answer.Spec.ExpirationSeconds, Is.EqualTo(3600));
            Assert.That(answer.Metadata.Name, Is.EqualTo("bot"));
            Assert.That(TokenTestSupport.Header(token)["alg"]!.ToString(), Is.EqualTo("RS256"));
            Assert.That(claims["iss"]!.ToString(), Is.EqualTo(Issuer));
            Assert.That(claims["sub"]!.ToString(), Is.EqualTo($"system:serviceaccount:{ns}:bot"));
            Assert.That(claims["aud"]!.ToJsonString(), Is.EqualTo($"[\"{Issuer}\"]"));
            Assert.That(claims["exp"]!.GetValue<long>() - iat, Is.EqualTo(3600));
            Assert.That(claims["nbf"]!.GetValue<long>(), Is.EqualTo(iat));
            Assert.That(Math.Abs(iat - TokenTestSupport.Now), Is.LessThan(60));
            Assert.That(Guid.TryParse(claims["jti"]!.ToString(), out _), Is.True);
            Assert.That(claims["kubernetes.io"]!.ToJsonString(), Is.EqualTo($$$"""{"namespace":"{{{ns}}}","serviceaccount":{"name":"bot","uid":"{{{account}}}"}}"""));
            Assert.That(answer.Status.ExpirationTimestamp, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(iat + 3600).UtcDateTime));
        });
    }

    [Test]
    public async Task Token_AuthenticatesAsTheAccount_WithKubesGroupsAndExtra()
    {
        var ns = await NewNamespaceAsync();
        var uid = await CreateAccountAsync(ns, "bot");
        var token = await RequestTokenAsync(ns, "bot");
        using var bot = Server.BearerClient(token);

        var review = await bot.SendAsync(HttpMethod.Post, "/apis/authentication.k8s.io/v1/selfsubjectreviews", """{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}""");

        Assert.That(review.Code, Is.EqualTo(HttpStatusCode.Created), review.Body.ToJsonString());
        var user = review.Body["status"]!["userInfo"]!;
        Assert.Multiple(() =>
        {
            Assert.That(user["username"]!.ToString(), Is.EqualTo($"system:serviceaccount:{ns}:bot"));
            Assert.That(user["uid"]!.ToString(), Is.EqualTo(uid));
            Assert.That(user["groups"]!.ToJsonString(), Is.EqualTo($"[\"system:serviceaccounts\",\"system:serviceaccounts:{ns}\",\"system:authenticated\"]"));
            Assert.That(user["extra"]!.ToJsonString(), Is.EqualTo($$"""{"authentication.kubernetes.io/credential-id":["JTI={{TokenTestSupport.Claims(token)["jti"]}}"]}"""));
        });
    }

    [Test]
    public async Task CSharpClientWithToken_IsForbiddenUntilBound_ThenLists()
    {
        var ns = await NewNamespaceAsync();
        await CreateAccountAsync(ns, "reader");
        var token = await RequestTokenAsync(ns, "reader");
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(Server.WriteTokenKubeconfig(token));
        using var client = new Kubernetes(config);

        var denied = Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ListNamespacedConfigMapAsync(ns));
        Assert.That(denied!.Response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(denied.Response.Content, Does.Contain($"configmaps is forbidden: User \\\"system:serviceaccount:{ns}:reader\\\" cannot list resource \\\"configmaps\\\" in API group \\\"\\\" in the namespace \\\"{ns}\\\""));

        await Http.SendAsync(HttpMethod.Post, $"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings", $$"""
            {"metadata":{"name":"reader-view"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},
             "subjects":[{"kind":"ServiceAccount","name":"reader","namespace":"{{ns}}"}]}
            """);
        // RBAC decisions follow the stored bindings by watch: the grant applies a moment after it is stored.
        var list = await SecurityTestHelper.EventuallyAsync(async () =>
        {
            try
            {
                return await client.CoreV1.ListNamespacedConfigMapAsync(ns);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Forbidden)
            {
                return null;
            }
        });
        Assert.That(list.Items.Select(c => c.Metadata.Name), Does.Contain("kube-root-ca.crt").Or.Empty);
    }

    [Test]
    public async Task PodBoundToken_NamesThePod_AndIsRefusedOnceThePodIsDeleted()
    {
        var ns = await NewNamespaceAsync();
        await CreateAccountAsync(ns, "runner");
        var pod = await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods",
            """{"metadata":{"name":"job"},"spec":{"serviceAccountName":"runner","containers":[{"name":"c","image":"busybox"}]}}""");
        var podUid = pod.Body["metadata"]!["uid"]!.ToString();
        var token = await RequestTokenAsync(ns, "runner", $$$"""{"boundObjectRef":{"apiVersion":"v1","kind":"Pod","name":"job","uid":"{{{podUid}}}"}}""");
        using var runner = Server.BearerClient(token);

        Assert.That(TokenTestSupport.Claims(token)["kubernetes.io"]!["pod"]!.ToJsonString(), Is.EqualTo($$"""{"name":"job","uid":"{{podUid}}"}"""));
        var whoami = await runner.SendAsync(HttpMethod.Post, "/apis/authentication.k8s.io/v1/selfsubjectreviews", "{}");
        var extra = whoami.Body["status"]!["userInfo"]!["extra"]!;
        Assert.That(extra["authentication.kubernetes.io/pod-name"]!.ToJsonString(), Is.EqualTo("[\"job\"]"));
        Assert.That(extra["authentication.kubernetes.io/pod-uid"]!.ToJsonString(), Is.EqualTo($"[\"{podUid}\"]"));

        await Http.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/pods/job");

        AssertUnauthorized(await OnceRefusedAsync(() => runner.SendAsync(HttpMethod.Post, "/apis/authentication.k8s.io/v1/selfsubjectreviews", "{}")), token);
    }

    [Test]
    public async Task Token_IsRefusedOnceTheAccountIsDeleted_EvenWhenOneOfTheSameNameReturns()
    {
        var ns = await NewNamespaceAsync();
        await CreateAccountAsync(ns, "bot");
        var token = await RequestTokenAsync(ns, "bot");
        await Http.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/serviceaccounts/bot");
        using var bot = Server.BearerClient(token);

        AssertUnauthorized(await OnceRefusedAsync(() => bot.SendAsync(HttpMethod.Get, "/version")), token);
        await CreateAccountAsync(ns, "bot");
        AssertUnauthorized(await bot.SendAsync(HttpMethod.Get, "/version"), token);
    }

    [Test]
    public async Task ForgedExpiredWrongAudienceAndWrongIssuerTokens_Get401WithAStatusThatSaysNothingMore()
    {
        var ns = await NewNamespaceAsync();
        await CreateAccountAsync(ns, "bot");
        var token = await RequestTokenAsync(ns, "bot");
        var key = Server.SigningKey();
        var forged = TokenTestSupport.NewRsaKey() with { KeyId = key.KeyId };
        var now = TokenTestSupport.Now;
        var refused = new Dictionary<string, string>
        {
            ["forged"] = TokenTestSupport.Resign(token, forged),
            ["expired"] = TokenTestSupport.Resign(token, key, c => { c["iat"] = now - 7200; c["nbf"] = now - 7200; c["exp"] = now - 3600; }),
            ["not yet valid"] = TokenTestSupport.Resign(token, key, c => { c["nbf"] = now + 3600; }),
            ["wrong audience"] = TokenTestSupport.Resign(token, key, c => c["aud"] = new JsonArray("vault")),
            ["wrong issuer"] = TokenTestSupport.Resign(token, key, c => c["iss"] = "https://issuer.example"),
            ["unsigned"] = string.Join('.', token.Split('.')[..2]) + ".",
            ["tampered"] = TokenTestSupport.Resign(token, key, c => c["sub"] = "system:serviceaccount:kube-system:admin")[..^4] + token[^4..],
        };
        // The key itself still works: only what was changed is refused.
        using (var valid = Server.BearerClient(TokenTestSupport.Resign(token, key)))
        {
            Assert.That((await valid.SendAsync(HttpMethod.Get, "/version")).Code, Is.EqualTo(HttpStatusCode.OK));
        }
        foreach (var (what, bad) in refused)
        {
            using var client = Server.BearerClient(bad);
            AssertUnauthorized(await client.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods"), bad, what);
        }
    }

    [Test]
    public async Task TokenRequest_ChecksExpiryAndTheBoundObject_AsKubeDoes()
    {
        var ns = await NewNamespaceAsync();
        await CreateAccountAsync(ns, "bot");
        await CreateAccountAsync(ns, "other");
        await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods", """{"metadata":{"name":"p"},"spec":{"serviceAccountName":"other","containers":[{"name":"c","image":"busybox"}]}}""");
        var secret = await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/secrets", """{"metadata":{"name":"s"}}""");
        string Path(string account) => $"/api/v1/namespaces/{ns}/serviceaccounts/{account}/token";
        Task<(HttpStatusCode Code, JsonObject Body)> Request(string account, string spec) =>
            Http.SendAsync(HttpMethod.Post, Path(account), $$"""{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{{spec}}}""");

        var shortLived = (await Request("bot", """{"expirationSeconds":60}""")).AssertStatus(422, "Invalid");
        Assert.That(shortLived["message"]!.ToString(), Is.EqualTo("TokenRequest.authentication.k8s.io \"\" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes"));
        var missing = (await Request("nobody", "{}")).AssertStatus(404, "NotFound");
        Assert.That(missing["message"]!.ToString(), Is.EqualTo("serviceaccounts \"nobody\" not found"));
        var otherAccount = (await Request("bot", """{"boundObjectRef":{"apiVersion":"v1","kind":"Pod","name":"p"}}""")).AssertStatus(400, "BadRequest");
        Assert.That(otherAccount["message"]!.ToString(), Is.EqualTo("cannot bind token for serviceaccount \"bot\" to pod running with different serviceaccount name."));
        var kind = (await Request("bot", """{"boundObjectRef":{"apiVersion":"v1","kind":"ConfigMap","name":"c"}}""")).AssertStatus(400, "BadRequest");
        Assert.That(kind["message"]!.ToString(), Is.EqualTo("cannot bind token to object of type /v1, Kind=ConfigMap"));
        var uid = (await Request("bot", """{"boundObjectRef":{"apiVersion":"v1","kind":"Secret","name":"s","uid":"0000"}}""")).AssertStatus(409, "Conflict");
        Assert.That(uid["message"]!.ToString(), Does.EndWith("the UID in the bound object reference (0000) does not match the UID in record. The object might have been deleted and then recreated"));
        (await Request("bot", """{"boundObjectRef":{"apiVersion":"v1","kind":"Pod","name":"gone"}}""")).AssertStatus(404, "NotFound");

        var bound = await Request("bot", $$$"""{"audiences":["vault"],"expirationSeconds":1200,"boundObjectRef":{"apiVersion":"v1","kind":"Secret","name":"s","uid":"{{{secret.Body["metadata"]!["uid"]}}}"}}""");
        Assert.That(bound.Code, Is.EqualTo(HttpStatusCode.Created), bound.Body.ToJsonString());
        var claims = TokenTestSupport.Claims(bound.Body["status"]!["token"]!.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(claims["aud"]!.ToJsonString(), Is.EqualTo("[\"vault\"]"));
            Assert.That(claims["exp"]!.GetValue<long>() - claims["iat"]!.GetValue<long>(), Is.EqualTo(1200));
            Assert.That(claims["kubernetes.io"]!["secret"]!["name"]!.ToString(), Is.EqualTo("s"));
        });
    }

    [Test]
    public async Task Discovery_ListsTheTokenSubresource_AsKubeDoes()
    {
        var core = (await Http.SendAsync(HttpMethod.Get, "/api/v1")).Body;
        var token = core["resources"]!.AsArray().Single(r => r!["name"]!.ToString() == "serviceaccounts/token")!;
        Assert.Multiple(() =>
        {
            Assert.That(token["singularName"]!.ToString(), Is.Empty);
            Assert.That(token["namespaced"]!.GetValue<bool>(), Is.True);
            Assert.That(token["group"]!.ToString(), Is.EqualTo("authentication.k8s.io"));
            Assert.That(token["version"]!.ToString(), Is.EqualTo("v1"));
            Assert.That(token["kind"]!.ToString(), Is.EqualTo("TokenRequest"));
            Assert.That(token["verbs"]!.ToJsonString(), Is.EqualTo("[\"create\"]"));
        });
    }

    /// <summary>Asserts kube's bare 401 Status, which names neither the token nor why it was refused.</summary>
    /// <summary>
    /// The response once the token is refused (or after 10 s): as kube-apiserver's, the authenticator
    /// reads accounts and bound objects from the watch cache first, so a deletion counts once the
    /// cache has seen it, a few milliseconds later.
    /// </summary>
    private static async Task<(HttpStatusCode Code, JsonObject Body)> OnceRefusedAsync(Func<Task<(HttpStatusCode Code, JsonObject Body)>> send)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(10); ; await Task.Delay(20))
        {
            var response = await send();
            if (response.Code == HttpStatusCode.Unauthorized || DateTime.UtcNow > deadline)
            {
                return response;
            }
        }
    }

    internal static void AssertUnauthorized((HttpStatusCode Code, JsonObject Body) response, string token, string what = "")
    {
        Assert.That(response.Code, Is.EqualTo(HttpStatusCode.Unauthorized), what);
        Assert.That(response.Body.ToJsonString(), Is.EqualTo("""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}"""), what);
        Assert.That(response.Body.ToJsonString(), Does.Not.Contain(token[..20]), what);
    }

    private async Task<string> CreateAccountAsync(string ns, string name)
    {
        var created = await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/serviceaccounts", $$$"""{"metadata":{"name":"{{{name}}}"}}""");
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        return created.Body["metadata"]!["uid"]!.ToString();
    }

    private async Task<string> RequestTokenAsync(string ns, string account, string spec = "{}")
    {
        var answer = await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/serviceaccounts/{account}/token",
            $$"""{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{{spec}}}""");
        Assert.That(answer.Code, Is.EqualTo(HttpStatusCode.Created), answer.Body.ToJsonString());
        return answer.Body["status"]!["token"]!.ToString();
    }
}
