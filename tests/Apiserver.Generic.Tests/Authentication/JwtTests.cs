using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Apiserver.Generic.Authentication.Jwt;
using NUnit.Framework;

namespace Apiserver.Generic.Tests.Authentication;

/// <summary>The hand-written JWS pieces: algorithms, keys as JWKs and PEM, and the verifier's checks.</summary>
[TestFixture]
public sealed class JwtTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    [TestCase("RS256"), TestCase("RS384"), TestCase("RS512"), TestCase("PS256"), TestCase("PS512")]
    public async Task RsaAlgorithms_SignAndVerify_AndATamperedPayloadFails(string algorithm)
    {
        var key = JsonWebKey.For(RSA.Create(2048)) with { Algorithm = algorithm };
        await AssertRoundTripAsync(key);
    }

    [TestCase(256, "ES256"), TestCase(384, "ES384"), TestCase(521, "ES512")]
    public async Task EcdsaKeys_SignWithTheirCurvesAlgorithm(int bits, string algorithm)
    {
        var curve = bits switch { 256 => ECCurve.NamedCurves.nistP256, 384 => ECCurve.NamedCurves.nistP384, _ => ECCurve.NamedCurves.nistP521 };
        var key = JsonWebKey.For(ECDsa.Create(curve));
        Assert.That(key.Algorithm, Is.EqualTo(algorithm));
        await AssertRoundTripAsync(key);
    }

    [Test]
    public async Task Verifier_RefusesAlgorithmsItWasNotGiven_AndTokensWithoutASignature()
    {
        var key = JsonWebKey.For(RSA.Create(2048));
        var token = Parse(JsonWebToken.Create(Claims(), key));
        var verifier = new JwtVerifier(new StaticJsonWebKeySource([key]), ["ES256"], TimeSpan.Zero);
        Assert.That(await verifier.VerifyAsync(token, Now, default), Is.EqualTo(JwtFailure.UnsupportedAlgorithm));

        var header = Base64Url.EncodeToString("""{"alg":"none"}"""u8);
        var unsigned = Parse($"{header}.{token.SigningInput.Split('.')[1]}.");
        Assert.That(await new JwtVerifier(new StaticJsonWebKeySource([key]), ["none", "RS256"], TimeSpan.Zero).VerifyAsync(unsigned, Now, default), Is.EqualTo(JwtFailure.UnsupportedAlgorithm));
    }

    [Test]
    public async Task Verifier_ChecksTimesWithItsLeeway()
    {
        var key = JsonWebKey.For(RSA.Create(2048));
        var verifier = new JwtVerifier(new StaticJsonWebKeySource([key]), ["RS256"], TimeSpan.FromMinutes(1));
        async Task<JwtFailure> Check(JsonObject claims) => await verifier.VerifyAsync(Parse(JsonWebToken.Create(claims, key)), Now, default);

        Assert.That(await Check(Claims(exp: -30)), Is.EqualTo(JwtFailure.None));
        Assert.That(await Check(Claims(exp: -90)), Is.EqualTo(JwtFailure.Expired));
        Assert.That(await Check(Claims(nbf: 90)), Is.EqualTo(JwtFailure.NotYetValid));
        var noExpiry = Claims();
        noExpiry.Remove("exp");
        Assert.That(await Check(noExpiry), Is.EqualTo(JwtFailure.MissingExpiry));
    }

    [Test]
    public async Task Verifier_UsesTheKeyTheTokenNames()
    {
        var (a, b) = (JsonWebKey.For(RSA.Create(2048)), JsonWebKey.For(RSA.Create(2048)));
        var verifier = new JwtVerifier(new StaticJsonWebKeySource([a, b]), ["RS256"], TimeSpan.Zero);
        Assert.That(await verifier.VerifyAsync(Parse(JsonWebToken.Create(Claims(), b)), Now, default), Is.EqualTo(JwtFailure.None));
        // Signed by b but naming a: refused, as a names the key to check with.
        Assert.That(await verifier.VerifyAsync(Parse(JsonWebToken.Create(Claims(), b with { KeyId = a.KeyId })), Now, default), Is.EqualTo(JwtFailure.InvalidSignature));
    }

    [Test]
    public void JsonWebKey_RoundTripsAsAPublicJwk_WithKubesKeyId()
    {
        using var rsa = RSA.Create(2048);
        var key = JsonWebKey.For(rsa);
        var expectedKid = Base64Url.EncodeToString(SHA256.HashData(rsa.ExportSubjectPublicKeyInfo()));
        var json = key.ToJson();
        Assert.That(json.Select(p => p.Key), Is.EqualTo(new[] { "use", "kty", "kid", "alg", "n", "e" }));
        Assert.That(json["kid"]!.ToString(), Is.EqualTo(expectedKid));
        Assert.That(json["e"]!.ToString(), Is.EqualTo("AQAB"));
        var back = JsonWebKey.FromJson(json)!;
        Assert.That(back.Key.ExportSubjectPublicKeyInfo(), Is.EqualTo(rsa.ExportSubjectPublicKeyInfo()));

        var ec = JsonWebKey.For(ECDsa.Create(ECCurve.NamedCurves.nistP384)).ToJson();
        Assert.That(ec["crv"]!.ToString(), Is.EqualTo("P-384"));
        Assert.That(JsonWebKey.FromJson(ec)!.Algorithm, Is.EqualTo("ES384"));
        Assert.That(JsonWebKey.FromJson(new JsonObject { ["kty"] = "oct", ["k"] = "c2VjcmV0" }), Is.Null);
        Assert.That(JsonWebKey.FromJson(new JsonObject { ["kty"] = "RSA", ["use"] = "enc", ["n"] = json["n"]!.ToString(), ["e"] = "AQAB" }), Is.Null);
    }

    [Test]
    public void PemKeys_ReadsPublicPrivateAndCertificateBlocks()
    {
        var path = Path.GetTempFileName();
        try
        {
            using var rsa = RSA.Create(2048);
            using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var certificate = new CertificateRequest("CN=sa", ECDsa.Create(), HashAlgorithmName.SHA256).CreateSelfSigned(Now, Now.AddDays(1));
            File.WriteAllText(path, string.Join("\n", rsa.ExportSubjectPublicKeyInfoPem(), rsa.ExportRSAPublicKeyPem(), ec.ExportECPrivateKeyPem(), ec.ExportPkcs8PrivateKeyPem(), rsa.ExportRSAPrivateKeyPem(), certificate.ExportCertificatePem()));

            var keys = PemKeys.Read(path);

            Assert.That(keys.Select(k => k.GetType().BaseType!.Name), Is.EqualTo(new[] { "RSA", "RSA", "ECDsa", "ECDsa", "RSA", "ECDsa" }));
            Assert.That(keys.Select(PemKeys.HasPrivateKey), Is.EqualTo(new[] { false, false, true, true, true, false }));
            Assert.That(PemKeys.ReadPrivate(path).ExportSubjectPublicKeyInfo(), Is.EqualTo(ec.ExportSubjectPublicKeyInfo()));

            File.WriteAllText(path, "not a key");
            Assert.That(() => PemKeys.Read(path), Throws.TypeOf<FormatException>().With.Message.Contains("no RSA or ECDSA key found"));
            File.WriteAllText(path, rsa.ExportSubjectPublicKeyInfoPem());
            Assert.That(() => PemKeys.ReadPrivate(path), Throws.TypeOf<FormatException>().With.Message.Contains("no RSA or ECDSA private key"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void JsonWebToken_ParsesOnlyCompactJws()
    {
        Assert.That(JsonWebToken.TryParse("abc", out _), Is.False);
        Assert.That(JsonWebToken.TryParse("a.b.c", out _), Is.False);
        Assert.That(JsonWebToken.TryParse("e30.e30.!!", out _), Is.False);
        Assert.That(JsonWebToken.TryParse("W10.e30.", out _), Is.False); // The header is an array.
        Assert.That(JsonWebToken.TryParse("e30.eyJhdWQiOiJ4In0.", out var jwt), Is.True);
        Assert.That(jwt!.Audiences, Is.EqualTo(new[] { "x" }));
        Assert.That(jwt.TimeClaim("exp"), Is.Null);
    }

    private static async Task AssertRoundTripAsync(JsonWebKey key)
    {
        var verifier = new JwtVerifier(new StaticJsonWebKeySource([key]), JwtAlgorithms.Supported, TimeSpan.Zero);
        var token = JsonWebToken.Create(Claims(), key);
        Assert.That(await verifier.VerifyAsync(Parse(token), Now, default), Is.EqualTo(JwtFailure.None));

        var parts = token.Split('.');
        var other = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Claims(sub: "mallory").ToJsonString()));
        Assert.That(await verifier.VerifyAsync(Parse($"{parts[0]}.{other}.{parts[2]}"), Now, default), Is.EqualTo(JwtFailure.InvalidSignature));
    }

    private static JsonWebToken Parse(string token)
    {
        Assert.That(JsonWebToken.TryParse(token, out var jwt), Is.True, token);
        return jwt!;
    }

    private static JsonObject Claims(long exp = 3600, long nbf = 0, string sub = "alice") => new()
    {
        ["iss"] = "https://issuer.example",
        ["sub"] = sub,
        ["exp"] = Now.ToUnixTimeSeconds() + exp,
        ["nbf"] = Now.ToUnixTimeSeconds() + nbf,
    };
}
