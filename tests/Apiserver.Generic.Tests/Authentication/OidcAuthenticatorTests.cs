using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Apiserver.Generic.Authentication.Jwt;
using Apiserver.Generic.Authentication.Oidc;
using NUnit.Framework;

namespace Apiserver.Generic.Tests.Authentication;

/// <summary>The OIDC authenticator's rules, over a fixed key set.</summary>
[TestFixture]
public sealed class OidcAuthenticatorTests
{
    private const string Issuer = "https://idp.example";
    private static readonly JsonWebKey Key = JsonWebKey.For(RSA.Create(2048));

    [TestCase("sub", null, Issuer + "#")]
    [TestCase("sub", "", Issuer + "#")]
    [TestCase("email", null, "")]
    [TestCase("sub", "-", "")]
    [TestCase("email", "corp:", "corp:")]
    public void UsernamePrefix_FollowsKubesDefaultingRule(string claim, string? flag, string expected) =>
        Assert.That((Config() with { UsernameClaim = claim, UsernamePrefix = flag }).EffectiveUsernamePrefix, Is.EqualTo(expected));

    [Test]
    public async Task TokensOfOtherIssuersOrNotJwts_AreNotRecognised()
    {
        var authenticator = new OidcAuthenticator(Config(), new StaticJsonWebKeySource([Key]));
        Assert.That((await authenticator.AuthenticateTokenAsync(Sign(Claims(iss: "https://other.example")), [], default)).Recognized, Is.False);
        Assert.That((await authenticator.AuthenticateTokenAsync("opaque-static-token", [], default)).Recognized, Is.False);
    }

    [Test]
    public async Task GroupsClaim_TakesAStringOrAnArray()
    {
        var authenticator = new OidcAuthenticator(Config() with { GroupsClaim = "roles", UsernamePrefix = "-" }, new StaticJsonWebKeySource([Key]));
        var one = Claims();
        one["roles"] = "admins";
        var many = Claims();
        many["roles"] = new JsonArray("a", "b");

        var single = await authenticator.AuthenticateTokenAsync(Sign(one), ["api"], default);
        var list = await authenticator.AuthenticateTokenAsync(Sign(many), ["api"], default);

        Assert.That(single.User!.Name, Is.EqualTo("alice"));
        Assert.That(single.User.Groups, Is.EqualTo(new[] { "admins", "system:authenticated" }));
        Assert.That(list.User!.Groups, Is.EqualTo(new[] { "a", "b", "system:authenticated" }));
        Assert.That(list.Audiences, Is.EqualTo(new[] { "api" }));
    }

    [Test]
    public async Task OnlyTheConfiguredAlgorithms_AreAccepted()
    {
        var ec = JsonWebKey.For(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        var keys = new StaticJsonWebKeySource([Key, ec]);
        var token = JsonWebToken.Create(Claims(), ec);

        var refused = await new OidcAuthenticator(Config(), keys).AuthenticateTokenAsync(token, [], default);
        var accepted = await new OidcAuthenticator(Config() with { SigningAlgorithms = ["RS256", "ES256"] }, keys).AuthenticateTokenAsync(token, [], default);

        Assert.That(refused.Error, Is.EqualTo("oidc: verify token: oidc: id token signed with unsupported algorithm, expected [RS256] got \"ES256\""));
        Assert.That(accepted.User!.Name, Is.EqualTo(Issuer + "#alice"));
    }

    [Test]
    public void Config_ReportsEveryProblem()
    {
        var problems = (Config() with { IssuerUrl = "http://idp.example", ClientId = "", SigningAlgorithms = ["HS256"] }).Validate();
        Assert.That(problems, Has.Exactly(3).Items);
    }

    private static OidcConfig Config() => new() { IssuerUrl = Issuer, ClientId = "kube" };

    private static string Sign(JsonObject claims) => JsonWebToken.Create(claims, Key);

    private static JsonObject Claims(string iss = Issuer) => new()
    {
        ["iss"] = iss,
        ["aud"] = "kube",
        ["sub"] = "alice",
        ["exp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 600,
    };
}
