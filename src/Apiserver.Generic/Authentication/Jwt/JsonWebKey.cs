using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Apiserver.Generic.Authentication.Jwt;

/// <summary>An RSA or ECDSA key with the id and algorithm a JWS names it by.</summary>
/// <param name="KeyId">The <c>kid</c>.</param>
/// <param name="Algorithm">The JWS algorithm it signs with (<c>RS256</c>, <c>ES256</c>, …).</param>
/// <param name="Key">An <see cref="RSA"/> or <see cref="ECDsa"/> key; a private one can sign.</param>
public sealed record JsonWebKey(string KeyId, string Algorithm, AsymmetricAlgorithm Key)
{
    /// <summary>
    /// A key named as kube-apiserver names service-account keys: the <c>kid</c> is the unpadded
    /// base64url SHA-256 of the public key's DER SubjectPublicKeyInfo; the algorithm RS256 for RSA,
    /// and ES256/ES384/ES512 by curve for ECDSA.
    /// </summary>
    /// <exception cref="ArgumentException">The key is neither RSA nor ECDSA on P-256/384/521.</exception>
    public static JsonWebKey For(AsymmetricAlgorithm key) =>
        new(Base64Url.EncodeToString(SHA256.HashData(key.ExportSubjectPublicKeyInfo())), DefaultAlgorithm(key), key);

    /// <summary>The algorithm a key signs with by default.</summary>
    public static string DefaultAlgorithm(AsymmetricAlgorithm key) => key switch
    {
        RSA => "RS256",
        ECDsa { KeySize: 256 } => "ES256",
        ECDsa { KeySize: 384 } => "ES384",
        ECDsa { KeySize: 521 } => "ES512",
        _ => throw new ArgumentException($"unsupported key type {key.GetType().Name} ({key.KeySize} bits): RSA or ECDSA P-256/P-384/P-521 is needed"),
    };

    /// <summary>The public key as a JWK (RFC 7517), with <c>use: sig</c>, as <c>/openid/v1/jwks</c> lists it.</summary>
    public JsonObject ToJson()
    {
        var jwk = new JsonObject { ["use"] = "sig" };
        switch (Key)
        {
            case RSA rsa:
                var p = rsa.ExportParameters(false);
                jwk["kty"] = "RSA";
                jwk["kid"] = KeyId;
                jwk["alg"] = Algorithm;
                jwk["n"] = Base64Url.EncodeToString(p.Modulus);
                jwk["e"] = Base64Url.EncodeToString(p.Exponent);
                break;
            case ECDsa ec:
                var q = ec.ExportParameters(false);
                jwk["kty"] = "EC";
                jwk["kid"] = KeyId;
                jwk["crv"] = ec.KeySize switch { 256 => "P-256", 384 => "P-384", _ => "P-521" };
                jwk["alg"] = Algorithm;
                jwk["x"] = Base64Url.EncodeToString(q.Q.X);
                jwk["y"] = Base64Url.EncodeToString(q.Q.Y);
                break;
        }
        return jwk;
    }

    /// <summary>Reads a public JWK; null when it is not an RSA or EC signing key this server can use.</summary>
    public static JsonWebKey? FromJson(JsonObject jwk)
    {
        string S(string name) => jwk[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
        if (S("use") is { Length: > 0 } use && use != "sig")
        {
            return null;
        }
        try
        {
            AsymmetricAlgorithm key;
            switch (S("kty"))
            {
                case "RSA":
                    key = RSA.Create(new RSAParameters { Modulus = Base64Url.DecodeFromChars(S("n")), Exponent = Base64Url.DecodeFromChars(S("e")) });
                    break;
                case "EC":
                    var curve = S("crv") switch
                    {
                        "P-256" => ECCurve.NamedCurves.nistP256,
                        "P-384" => ECCurve.NamedCurves.nistP384,
                        "P-521" => ECCurve.NamedCurves.nistP521,
                        _ => (ECCurve?)null,
                    };
                    if (curve is null)
                    {
                        return null;
                    }
                    key = ECDsa.Create(new ECParameters { Curve = curve.Value, Q = new ECPoint { X = Base64Url.DecodeFromChars(S("x")), Y = Base64Url.DecodeFromChars(S("y")) } });
                    break;
                default:
                    return null;
            }
            return new JsonWebKey(S("kid"), S("alg") is { Length: > 0 } alg ? alg : DefaultAlgorithm(key), key);
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            return null;
        }
    }
}
