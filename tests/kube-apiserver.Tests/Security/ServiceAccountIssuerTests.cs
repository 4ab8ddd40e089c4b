using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Apiserver.Generic.Authentication.Jwt;
using KubeApiserver.Options;
using NUnit.Framework;

namespace KubeApiserver.Tests.Security;

/// <summary>
/// The issuer's discovery endpoints, TokenReview, and the <c>--service-account-*</c> and
/// <c>--api-audiences</c> flags (given keys, several issuers, audiences, the expiry cap).
/// </summary>
[TestFixture]
public sealed class ServiceAccountIssuerTests : ServerFixture
{
    private const string TokenReviews = "/apis/authentication.k8s.io/v1/tokenreviews";

    [Test]
    public async Task DiscoveryEndpoints_ServeKubesShapes_ToServiceAccountsButNotToAnonymous()
    {
        var ns = await NewNamespaceAsync();
        var token = await TokenAsync(Http, ns, "relying-party");
        using var account = Server.BearerClient(token);

        using var configuration = await account.GetAsync("/.well-known/openid-configuration");
        using var jwks = await account.GetAsync("/openid/v1/jwks");

        Assert.That(configuration.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(jwks.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.Multiple(() =>
        {
            Assert.That(configuration.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
            Assert.That(jwks.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/jwk-set+json"));
            Assert.That(jwks.Headers.CacheControl!.ToString(), Is.EqualTo("public, max-age=3600"));
        });
        var document = await configuration.Content.ReadAsStringAsync();
        Assert.That(document, Is.EqualTo($$"""{"issuer":"https://kubernetes.default.svc.cluster.local","jwks_uri":"https://127.0.0.1:{{Server.Chain.Address.Port}}/openid/v1/jwks","response_types_supported":["id_token"],"subject_types_supported":["public"],"id_token_signing_alg_values_supported":["RS256"]}"""));

        // A relying party verifies the token with the published key alone.
        var keys = (JsonNode.Parse(await jwks.Content.ReadAsStringAsync())!["keys"] as JsonArray)!;
        var key = JsonWebKey.FromJson((JsonObject)keys.Single()!)!;
        Assert.That(keys.Single()!["use"]!.ToString(), Is.EqualTo("sig"));
        Assert.That(key.KeyId, Is.EqualTo(TokenTestSupport.Header(token)["kid"]!.ToString()));
        var parts = token.Split('.');
        Assert.That(JwtAlgorithms.Verify("RS256", key.Key, Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), System.Buffers.Text.Base64Url.DecodeFromChars(parts[2])), Is.True);

        using var anonymous = Server.CreateAnonymousHttpClient();
        (await anonymous.SendAsync(HttpMethod.Get, "/openid/v1/jwks")).AssertStatus(403, "Forbidden");
        (await Http.SendAsync(HttpMethod.Post, "/openid/v1/jwks", "{}")).AssertStatus(405, "MethodNotAllowed");
        var binding = await Http.SendAsync(HttpMethod.Get, "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/system:service-account-issuer-discovery");
        Assert.That(binding.Body["subjects"]!.ToJsonString(), Is.EqualTo("""[{"apiGroup":"rbac.authorization.k8s.io","kind":"Group","name":"system:serviceaccounts"}]"""));
    }

    [Test]
    public async Task TokenReview_AnswersWithTheServersOwnAuthenticators()
    {
        var ns = await NewNamespaceAsync();
        var token = await TokenAsync(Http, ns, "bot");
        var vaultToken = await TokenAsync(Http, ns, "bot", """{"audiences":["vault"]}""");

        var valid = await ReviewAsync(token);
        Assert.That(valid["authenticated"]!.GetValue<bool>(), Is.True);
        Assert.That(valid["user"]!["username"]!.ToString(), Is.EqualTo($"system:serviceaccount:{ns}:bot"));
        Assert.That(valid["audiences"]!.ToJsonString(), Is.EqualTo("""["https://kubernetes.default.svc.cluster.local"]"""));

        var forVault = await ReviewAsync(vaultToken, "vault");
        Assert.That(forVault["authenticated"]!.GetValue<bool>(), Is.True);
        Assert.That(forVault["audiences"]!.ToJsonString(), Is.EqualTo("""["vault"]"""));

        var notForTheApi = await ReviewAsync(vaultToken);
        Assert.That(notForTheApi.Select(p => p.Key), Is.EqualTo(new[] { "user", "error" }));
        Assert.That(notForTheApi["user"]!.ToJsonString(), Is.EqualTo("{}"));
        Assert.That(notForTheApi["error"]!.ToString(), Is.EqualTo("token audiences [\"vault\"] is invalid for the target audiences [\"https://kubernetes.default.svc.cluster.local\"]"));

        var expired = await ReviewAsync(TokenTestSupport.Resign(token, Server.SigningKey(), c => c["exp"] = TokenTestSupport.Now - 600));
        Assert.That(expired["error"]!.ToString(), Is.EqualTo("service account token has expired"));

        var unknown = await ReviewAsync("not-a-token");
        Assert.That(unknown.ToJsonString(), Is.EqualTo("""{"user":{}}"""));

        // Static tokens authenticate for the API's audiences only.
        Assert.That((await ReviewAsync(Server.Chain.AdminToken))["user"]!["username"]!.ToString(), Is.EqualTo("admin"));
        Assert.That((await ReviewAsync(Server.Chain.AdminToken, "vault")).ToJsonString(), Is.EqualTo("""{"user":{}}"""));

        var empty = await Http.SendAsync(HttpMethod.Post, TokenReviews, """{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{}}""");
        Assert.That(empty.AssertStatus(400, "BadRequest")["message"]!.ToString(), Is.EqualTo("token is required for TokenReview in authentication"));
    }

    [Test]
    public async Task GeneratedSigningKey_IsReusedAfterARestart()
    {
        await using var server = await TestServer.StartAsync();
        var ns = "default";
        var token = await TokenAsync(server.Http, ns, "default-bot");
        await server.RestartAsync();

        using var bot = server.BearerClient(token);
        Assert.That((await bot.SendAsync(HttpMethod.Get, "/version")).Code, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Flags_GivenKeysIssuersAudiencesAndMaximum_AreHonoured()
    {
        var dir = Directory.CreateTempSubdirectory("sa-keys-").FullName;
        try
        {
            using var signing = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var retired = RSA.Create(2048);
            File.WriteAllText(Path.Combine(dir, "signing.pem"), signing.ExportPkcs8PrivateKeyPem());
            File.WriteAllText(Path.Combine(dir, "retired.pub"), retired.ExportSubjectPublicKeyInfoPem());
            var security = new SecurityOptions
            {
                ServiceAccounts = new ServiceAccountOptions
                {
                    SigningKeyFile = Path.Combine(dir, "signing.pem"),
                    KeyFiles = [Path.Combine(dir, "retired.pub")],
                    Issuers = ["https://new.example", "https://old.example"],
                    ApiAudiences = ["api"],
                    MaxTokenExpiration = TimeSpan.FromHours(2),
                    JwksUri = "https://keys.example/openid/v1/jwks",
                },
            };
            await using var server = await TestServer.StartAsync(security: security);
            await server.Http.SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/serviceaccounts", """{"metadata":{"name":"bot"}}""");

            using var response = await server.Http.PostAsync("/api/v1/namespaces/default/serviceaccounts/bot/token",
                new StringContent("""{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{"expirationSeconds":10800}}""", Encoding.UTF8, "application/json"));
            var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            var token = answer["status"]!["token"]!.ToString();
            var claims = TokenTestSupport.Claims(token);
            Assert.Multiple(() =>
            {
                Assert.That(response.Headers.GetValues("Warning").Single(), Does.Contain("requested expiration of 10800 seconds shortened to 7200 seconds"));
                Assert.That(answer["spec"]!["expirationSeconds"]!.GetValue<long>(), Is.EqualTo(7200));
                Assert.That(claims["exp"]!.GetValue<long>() - claims["iat"]!.GetValue<long>(), Is.EqualTo(7200));
                Assert.That(claims["iss"]!.ToString(), Is.EqualTo("https://new.example"));
                Assert.That(claims["aud"]!.ToJsonString(), Is.EqualTo("""["api"]"""));
                Assert.That(TokenTestSupport.Header(token)["alg"]!.ToString(), Is.EqualTo("ES256"));
            });
            using (var bot = server.BearerClient(token))
            {
                Assert.That((await bot.SendAsync(HttpMethod.Get, "/version")).Code, Is.EqualTo(HttpStatusCode.OK));
            }
            // A token of the retired key and the old issuer still counts; one of the retired key without its issuer does not.
            var oldToken = TokenTestSupport.Resign(token, JsonWebKey.For(retired), c => c["iss"] = "https://old.example");
            using (var old = server.BearerClient(oldToken))
            {
                Assert.That((await old.SendAsync(HttpMethod.Get, "/version")).Code, Is.EqualTo(HttpStatusCode.OK));
            }
            var strangerToken = TokenTestSupport.Resign(token, JsonWebKey.For(retired), c => c["iss"] = "https://stranger.example");
            using (var stranger = server.BearerClient(strangerToken))
            {
                ServiceAccountTokenTests.AssertUnauthorized(await stranger.SendAsync(HttpMethod.Get, "/version"), strangerToken);
            }
            var document = (await server.Http.SendAsync(HttpMethod.Get, "/.well-known/openid-configuration")).Body;
            Assert.That(document["issuer"]!.ToString(), Is.EqualTo("https://new.example"));
            Assert.That(document["jwks_uri"]!.ToString(), Is.EqualTo("https://keys.example/openid/v1/jwks"));
            Assert.That(document["id_token_signing_alg_values_supported"]!.ToJsonString(), Is.EqualTo("""["ES256","RS256"]"""));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public async Task PodTokenForKubesInjectedExpiry_LivesAYear_AndWarnsAfterTheHour()
    {
        var ns = await NewNamespaceAsync();
        await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/serviceaccounts", """{"metadata":{"name":"app"}}""");
        await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods", """{"metadata":{"name":"p"},"spec":{"serviceAccountName":"app","containers":[{"name":"c","image":"busybox"}]}}""");

        var token = await TokenAsync(Http, ns, "app", """{"expirationSeconds":3607,"boundObjectRef":{"apiVersion":"v1","kind":"Pod","name":"p"}}""", createAccount: false);

        var claims = TokenTestSupport.Claims(token);
        var iat = claims["iat"]!.GetValue<long>();
        Assert.That(claims["exp"]!.GetValue<long>() - iat, Is.EqualTo(365 * 24 * 3600));
        Assert.That(claims["kubernetes.io"]!["warnafter"]!.GetValue<long>() - iat, Is.EqualTo(3607));

        // A token for another audience too keeps the lifetime asked for.
        var vault = TokenTestSupport.Claims(await TokenAsync(Http, ns, "app", """{"audiences":["vault","https://kubernetes.default.svc.cluster.local"],"expirationSeconds":3607,"boundObjectRef":{"apiVersion":"v1","kind":"Pod","name":"p"}}""", createAccount: false));
        Assert.That(vault["exp"]!.GetValue<long>() - vault["iat"]!.GetValue<long>(), Is.EqualTo(3607));
        Assert.That(vault["kubernetes.io"]!["warnafter"], Is.Null);
    }

    [Test]
    public void Flags_AreReadAndChecked_WithKubesNames()
    {
        var command = new System.CommandLine.RootCommand();
        KubeApiserverOptions.AddTo(command);
        var options = KubeApiserverOptions.Read(command.Parse([
            "--service-account-issuer", "https://a.example", "--service-account-issuer", "https://b.example",
            "--api-audiences", "x,y", "--service-account-max-token-expiration", "48h", "--service-account-extend-token-expiration=false",
            "--service-account-jwks-uri", "https://keys.example/jwks",
            "--oidc-issuer-url", "https://idp.example", "--oidc-client-id", "kube", "--oidc-required-claim", "hd=example.com",
            "--oidc-required-claim", "tier=gold,team=a", "--oidc-signing-algs", "RS256,ES256"]));
        var sa = options.Security.ServiceAccounts;
        Assert.Multiple(() =>
        {
            Assert.That(sa.Issuers, Is.EqualTo(new[] { "https://a.example", "https://b.example" }));
            Assert.That(sa.ApiAudiences, Is.EqualTo(new[] { "x", "y" }));
            Assert.That(sa.MaxTokenExpiration, Is.EqualTo(TimeSpan.FromHours(48)));
            Assert.That(sa.ExtendTokenExpiration, Is.False);
            Assert.That(options.Security.Oidc.RequiredClaims, Is.EqualTo(new[] { "hd=example.com", "tier=gold", "team=a" }));
            Assert.That(options.Security.Oidc.SigningAlgorithms, Is.EqualTo(new[] { "RS256", "ES256" }));
            Assert.That(options.Validate(), Is.Empty);
        });

        var bad = new KubeApiserverOptions
        {
            Security = new SecurityOptions
            {
                ServiceAccounts = new ServiceAccountOptions { MaxTokenExpiration = TimeSpan.FromMinutes(30), JwksUri = "http://keys.example", Issuers = ["a:b c", "https://x", "https://x"] },
                Oidc = new OidcOptions { IssuerUrl = "http://idp.example", SigningAlgorithms = ["HS256"], RequiredClaims = ["novalue"] },
            },
        };
        Assert.That(bad.Validate(), Is.EquivalentTo(new[]
        {
            "--service-account-issuer \"a:b c\" contained a ':' but was not a valid URL",
            "--service-account-issuer \"https://x\" is already specified",
            "the --service-account-max-token-expiration must be between 1 hour and 2^32 seconds",
            "--service-account-jwks-uri \"http://keys.example\" requires an https URL",
            "--oidc-required-claim \"novalue\" must be key=value",
            "--oidc-issuer-url \"http://idp.example\" must be a valid https URL",
            "--oidc-client-id must be set when --oidc-issuer-url is",
            "--oidc-signing-algs: unsupported algorithm \"HS256\" (supported: RS256, RS384, RS512, ES256, ES384, ES512, PS256, PS384, PS512)",
        }));
    }

    private async Task<JsonObject> ReviewAsync(string token, params string[] audiences)
    {
        var body = new JsonObject
        {
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["kind"] = "TokenReview",
            ["spec"] = new JsonObject { ["token"] = token, ["audiences"] = new JsonArray([.. audiences.Select(a => (JsonNode?)a)]) },
        };
        var review = await Http.SendAsync(HttpMethod.Post, TokenReviews, body.ToJsonString());
        Assert.That(review.Code, Is.EqualTo(HttpStatusCode.Created), review.Body.ToJsonString());
        return (JsonObject)review.Body["status"]!;
    }

    private static async Task<string> TokenAsync(HttpClient admin, string ns, string account, string spec = "{}", bool createAccount = true)
    {
        if (createAccount)
        {
            await admin.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/serviceaccounts", $$$"""{"metadata":{"name":"{{{account}}}"}}""");
        }
        var answer = await admin.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/serviceaccounts/{account}/token",
            $$"""{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{{spec}}}""");
        Assert.That(answer.Code, Is.EqualTo(HttpStatusCode.Created), answer.Body.ToJsonString());
        return answer.Body["status"]!["token"]!.ToString();
    }
}
