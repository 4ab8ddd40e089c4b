using System.Security.Cryptography;

namespace Apiserver.Generic.Authentication.Jwt;

/// <summary>The JWS signature algorithms (RFC 7518) over RSA and ECDSA keys.</summary>
public static class JwtAlgorithms
{
    /// <summary>Every algorithm this server verifies.</summary>
    public static IReadOnlyList<string> Supported { get; } = ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512"];

    /// <summary>Signs <paramref name="data"/> with a private key.</summary>
    public static byte[] Sign(JsonWebKey key, byte[] data)
    {
        var (hash, padding) = Parameters(key.Algorithm);
        return key.Key switch
        {
            RSA rsa when padding is not null => rsa.SignData(data, hash, padding),
            ECDsa ec when padding is null => ec.SignData(data, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            _ => throw new ArgumentException($"key {key.KeyId} cannot sign with {key.Algorithm}"),
        };
    }

    /// <summary>Whether <paramref name="signature"/> is <paramref name="key"/>'s signature of <paramref name="data"/> under <paramref name="algorithm"/>.</summary>
    public static bool Verify(string algorithm, AsymmetricAlgorithm key, byte[] data, byte[] signature)
    {
        if (!Supported.Contains(algorithm))
        {
            return false;
        }
        var (hash, padding) = Parameters(algorithm);
        try
        {
            return key switch
            {
                RSA rsa when padding is not null => rsa.VerifyData(data, signature, hash, padding),
                // The curve must be the one the algorithm names (ES256 is P-256 with SHA-256).
                ECDsa ec when padding is null && ec.KeySize == CurveBits(algorithm) =>
                    ec.VerifyData(data, signature, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
                _ => false,
            };
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static int CurveBits(string algorithm) => algorithm switch { "ES256" => 256, "ES384" => 384, _ => 521 };

    private static (HashAlgorithmName Hash, RSASignaturePadding? Padding) Parameters(string algorithm)
    {
        var hash = algorithm[2..] switch
        {
            "256" => HashAlgorithmName.SHA256,
            "384" => HashAlgorithmName.SHA384,
            "512" => HashAlgorithmName.SHA512,
            _ => throw new ArgumentException($"unsupported algorithm {algorithm}"),
        };
        return algorithm[..2] switch
        {
            "RS" => (hash, RSASignaturePadding.Pkcs1),
            "PS" => (hash, RSASignaturePadding.Pss),
            "ES" => (hash, null),
            _ => throw new ArgumentException($"unsupported algorithm {algorithm}"),
        };
    }
}
