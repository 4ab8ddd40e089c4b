using System.Net;
using System.Text.Json.Nodes;
using KubeApiserver.Options;
using KubeApiserver.Tests.E2E;
using NUnit.Framework;

namespace KubeApiserver.Tests.Security;

/// <summary>
/// OIDC ID tokens from an issuer the test serves on loopback: user and group prefixes, required
/// claims, the client id, key rotation, and the refusals — with HTTP, TokenReview and kubectl.
/// </summary>
[TestFixture]
public sealed class OidcTests
{
    private TestOidcIssuer _issuer = null!;
    private TestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _issuer = await TestOidcIssuer.StartAsync();
        _server = await TestServer.StartAsync(security: new SecurityOptions
        {
            Oidc = new OidcOptions
            {
                IssuerUrl = _issuer.Url,
                ClientId = "kubernetes",
                GroupsClaim = "groups",
                GroupsPrefix = "oidc:",
                RequiredClaims = ["hd=example.com"],
                CaFile = _issuer.CaFile,
            },
        });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _server.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    [Test]
    public async Task IdToken_AuthenticatesWithIssuerPrefixedNameAndPrefixedGroups()
    {
        var token = _issuer.Token(Claims("alice", groups: new JsonArray("devs", "ops")));
        using var alice = _server.BearerClient(token);

        var review = await alice.SendAsync(HttpMethod.Post, "/apis/authentication.k8s.io/v1/selfsubjectreviews", "{}");

        Assert.That(review.Code, Is.EqualTo(HttpStatusCode.Created), review.Body.ToJsonString());
        var user = review.Body["status"]!["userInfo"]!;
        Assert.That(user["username"]!.ToString(), Is.EqualTo($"{_issuer.Url}#alice"));
        Assert.That(user["groups"]!.ToJsonString(), Is.EqualTo("""["oidc:devs","oidc:ops","system:authenticated"]"""));
    }

    [Test]
    public async Task Kubectl_WithAnIdToken_IsTheOidcUser_AndRbacAppliesToTheirGroup()
    {
        var token = _issuer.Token(Claims("bob", groups: "viewers"));
        var bob = new Kubectl(_server.WriteTokenKubeconfig(token));

        Assert.That(await bob.OkAsync("auth whoami -o jsonpath={.status.userInfo.username}"), Is.EqualTo($"{_issuer.Url}#bob"));
        var (code, _, error) = await bob.RunAsync("get configmaps -n default");
        Assert.That(code, Is.Not.Zero);
        Assert.That(error.Trim(), Is.EqualTo($"Error from server (Forbidden): configmaps is forbidden: User \"{_issuer.Url}#bob\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"default\""));

        await _server.Http.SendAsync(HttpMethod.Post, "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", """
            {"metadata":{"name":"oidc-viewers"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},
             "subjects":[{"apiGroup":"rbac.authorization.k8s.io","kind":"Group","name":"oidc:viewers"}]}
            """);
        Assert.That((await bob.RunAsync("get configmaps -n default")).ExitCode, Is.Zero);
    }

    [Test]
    public async Task BadIdTokens_Get401_AndTokenReviewSaysWhy()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var refused = new Dictionary<string, (string Token, string Error)>
        {
            ["no hd"] = (_issuer.Token(Claims("eve", hd: null)), "oidc: required claim hd not present in ID token"),
            ["other hd"] = (_issuer.Token(Claims("eve", hd: "evil.example")), "oidc: required claim hd value does not match. Got = evil.example, want = example.com"),
            ["other client"] = (_issuer.Token(Claims("eve", audience: "another-app")), "oidc: verify token: oidc: expected audience \"kubernetes\" got [another-app]"),
            ["expired"] = (_issuer.Token(Claims("eve", exp: now - 60)), "oidc: verify token: oidc: token is expired"),
            ["unknown key"] = (_issuer.Token(Claims("eve"), TokenTestSupport.NewRsaKey()), "oidc: verify token: failed to verify signature"),
            ["bad groups"] = (_issuer.Token(Claims("eve", groups: 42)), "oidc: parse groups claim \"groups\": not a string or an array of strings"),
            ["no subject"] = (_issuer.Token(Claims(null)), "oidc: parse username claims \"sub\": claim not present"),
        };
        foreach (var (what, (token, error)) in refused)
        {
            using var client = _server.BearerClient(token);
            ServiceAccountTokenTests.AssertUnauthorized(await client.SendAsync(HttpMethod.Get, "/api/v1/namespaces"), token, what);
            var review = await _server.Http.SendAsync(HttpMethod.Post, "/apis/authentication.k8s.io/v1/tokenreviews",
                new JsonObject { ["apiVersion"] = "authentication.k8s.io/v1", ["kind"] = "TokenReview", ["spec"] = new JsonObject { ["token"] = token } }.ToJsonString());
            Assert.That(review.Body["status"]!["authenticated"], Is.Null, what);
            Assert.That(review.Body["status"]!["error"]!.ToString(), Does.StartWith(error), what);
        }
    }

    [Test]
    public async Task RotatedKey_IsFetchedWhenATokenNamesIt()
    {
        using (var before = _server.BearerClient(_issuer.Token(Claims("carol"))))
        {
            Assert.That((await before.SendAsync(HttpMethod.Get, "/version")).Code, Is.EqualTo(HttpStatusCode.OK));
        }
        var fetches = _issuer.JwksFetches;
        _issuer.RotateKey();
        var token = _issuer.Token(Claims("carol"));
        using var after = _server.BearerClient(token);

        // Unknown key ids are looked up at most every few seconds, so the first tries may still be refused.
        var deadline = DateTime.UtcNow + Apiserver.Generic.Authentication.Oidc.OidcKeySource.MinRefreshInterval * 3;
        HttpStatusCode code;
        while ((code = (await after.SendAsync(HttpMethod.Get, "/version")).Code) != HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }
        Assert.That(code, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_issuer.JwksFetches, Is.GreaterThan(fetches));
    }

    [Test]
    public async Task EmailClaim_NamesTheUserUnprefixed_OnlyWhenVerified()
    {
        await using var server = await TestServer.StartAsync(security: new SecurityOptions
        {
            Oidc = new OidcOptions { IssuerUrl = _issuer.Url, ClientId = "kubernetes", UsernameClaim = "email", CaFile = _issuer.CaFile },
        });
        var verified = Claims("dave");
        verified["email"] = "dave@example.com";
        verified["email_verified"] = true;
        var unverified = (JsonObject)verified.DeepClone();
        unverified["email_verified"] = false;

        using (var dave = server.BearerClient(_issuer.Token(verified)))
        {
            var review = await dave.SendAsync(HttpMethod.Post, "/apis/authentication.k8s.io/v1/selfsubjectreviews", "{}");
            Assert.That(review.Body["status"]!["userInfo"]!["username"]!.ToString(), Is.EqualTo("dave@example.com"));
        }
        var token = _issuer.Token(unverified);
        using var impostor = server.BearerClient(token);
        ServiceAccountTokenTests.AssertUnauthorized(await impostor.SendAsync(HttpMethod.Get, "/version"), token);
    }

    private static JsonObject Claims(string? subject, JsonNode? groups = null, string? hd = "example.com", string audience = "kubernetes", long? exp = null)
    {
        var claims = new JsonObject { ["aud"] = audience };
        if (subject is not null)
        {
            claims["sub"] = subject;
        }
        if (groups is not null)
        {
            claims["groups"] = groups;
        }
        if (hd is not null)
        {
            claims["hd"] = hd;
        }
        if (exp is not null)
        {
            claims["exp"] = exp;
        }
        return claims;
    }
}
