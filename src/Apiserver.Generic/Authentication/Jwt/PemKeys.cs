using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Apiserver.Generic.Authentication.Jwt;

/// <summary>
/// RSA and ECDSA keys in PEM files, as <c>--service-account-key-file</c> and
/// <c>--service-account-signing-key-file</c> take them: public keys (<c>PUBLIC KEY</c>,
/// <c>RSA PUBLIC KEY</c>), private keys (<c>PRIVATE KEY</c>, <c>RSA PRIVATE KEY</c>,
/// <c>EC PRIVATE KEY</c>) and certificates, several to a file.
/// </summary>
public static class PemKeys
{
    /// <summary>Every key in the file, in order.</summary>
    /// <exception cref="FormatException">The file holds no usable key, or a block that is not one.</exception>
    public static IReadOnlyList<AsymmetricAlgorithm> Read(string path)
    {
        var text = File.ReadAllText(path);
        var keys = new List<AsymmetricAlgorithm>();
        var rest = text.AsMemory();
        while (PemEncoding.TryFind(rest.Span, out var fields))
        {
            var label = rest.Span[fields.Label].ToString();
            var der = Convert.FromBase64String(rest.Span[fields.Base64Data].ToString());
            try
            {
                keys.Add(Decode(label, der) ?? throw new FormatException($"{path}: unsupported PEM block \"{label}\""));
            }
            catch (CryptographicException e)
            {
                throw new FormatException($"{path}: invalid \"{label}\" block: {e.Message}", e);
            }
            rest = rest[fields.Location.End..];
        }
        if (keys.Count == 0)
        {
            throw new FormatException($"{path}: no RSA or ECDSA key found (PEM expected)");
        }
        return keys;
    }

    /// <summary>The one private key of a signing key file.</summary>
    /// <exception cref="FormatException">The file holds no private key.</exception>
    public static AsymmetricAlgorithm ReadPrivate(string path) =>
        Read(path).FirstOrDefault(HasPrivateKey) ?? throw new FormatException($"{path}: no RSA or ECDSA private key found");

    /// <summary>Whether the key can sign.</summary>
    public static bool HasPrivateKey(AsymmetricAlgorithm key)
    {
        try
        {
            return key switch
            {
                RSA rsa => rsa.ExportParameters(true).D is not null,
                ECDsa ec => ec.ExportParameters(true).D is not null,
                _ => false,
            };
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static AsymmetricAlgorithm? Decode(string label, byte[] der)
    {
        switch (label)
        {
            case "RSA PUBLIC KEY":
                var rsaPublic = RSA.Create();
                rsaPublic.ImportRSAPublicKey(der, out _);
                return rsaPublic;
            case "RSA PRIVATE KEY":
                var rsaPrivate = RSA.Create();
                rsaPrivate.ImportRSAPrivateKey(der, out _);
                return rsaPrivate;
            case "EC PRIVATE KEY":
                var ecPrivate = ECDsa.Create();
                ecPrivate.ImportECPrivateKey(der, out _);
                return ecPrivate;
            case "PUBLIC KEY":
                return Either(k => k.ImportSubjectPublicKeyInfo(der, out _));
            case "PRIVATE KEY":
                return Either(k => k.ImportPkcs8PrivateKey(der, out _));
            case "CERTIFICATE":
                using (var certificate = X509CertificateLoader.LoadCertificate(der))
                {
                    return (AsymmetricAlgorithm?)certificate.GetRSAPublicKey() ?? certificate.GetECDsaPublicKey();
                }
            default:
                return null;
        }
    }

    /// <summary>The DER as an RSA key, else as an ECDSA key.</summary>
    private static AsymmetricAlgorithm Either(Action<AsymmetricAlgorithm> import)
    {
        var rsa = RSA.Create();
        try
        {
            import(rsa);
            return rsa;
        }
        catch (CryptographicException)
        {
            rsa.Dispose();
        }
        var ec = ECDsa.Create();
        import(ec);
        return ec;
    }
}
