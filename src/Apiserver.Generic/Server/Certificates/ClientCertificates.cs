using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Apiserver.Generic.Authentication;

namespace Apiserver.Generic.Server.Certificates;

/// <summary>A client certificate and its private key, both PEM (kubeconfig <c>client-certificate-data</c> / <c>client-key-data</c>).</summary>
/// <param name="CertificatePem">The certificate.</param>
/// <param name="KeyPem">The PKCS#8 private key.</param>
public sealed record ClientCertificate(string CertificatePem, string KeyPem)
{
    /// <summary>The certificate with its private key, for an <see cref="System.Net.Http.HttpClientHandler"/>.</summary>
    public X509Certificate2 ToX509() => X509Certificate2.CreateFromPem(CertificatePem, KeyPem);
}

/// <summary>Issues x509 client certificates (CN = user, O = groups) from a CA, and keeps them in files.</summary>
public static class ClientCertificates
{
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    /// <summary>Issues a certificate for <paramref name="user"/> in <paramref name="groups"/>, signed by <paramref name="issuer"/> (which holds its private key).</summary>
    public static ClientCertificate Issue(X509Certificate2 issuer, string user, IEnumerable<string> groups, TimeSpan? lifetime = null)
    {
        var subject = new X500DistinguishedNameBuilder();
        foreach (var group in groups)
        {
            subject.AddOrganizationName(group);
        }
        subject.AddCommonName(user);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ClientAuth], false));
        var notAfter = DateTimeOffset.UtcNow + (lifetime ?? TimeSpan.FromDays(365));
        using var cert = request.Create(issuer, DateTimeOffset.UtcNow.AddMinutes(-5), notAfter < issuer.NotAfter ? notAfter : issuer.NotAfter, RandomNumberGenerator.GetBytes(16));
        return new ClientCertificate(cert.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>
    /// Loads <c>&lt;name&gt;.crt</c>/<c>&lt;name&gt;.key</c> from <paramref name="directory"/>, issuing
    /// them from the CA files when missing, near expiry or no longer signed by that CA.
    /// </summary>
    public static ClientCertificate Ensure(string directory, string name, string caCertFile, string caKeyFile, string user, IReadOnlyCollection<string> groups)
    {
        var certFile = Path.Combine(directory, name + ".crt");
        var keyFile = Path.Combine(directory, name + ".key");
        using var issuer = X509Certificate2.CreateFromPemFile(caCertFile, caKeyFile);
        if (File.Exists(certFile) && File.Exists(keyFile) && StillValid(certFile, issuer))
        {
            return new ClientCertificate(File.ReadAllText(certFile), File.ReadAllText(keyFile));
        }
        var issued = Issue(issuer, user, groups);
        File.WriteAllText(keyFile, issued.KeyPem);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.WriteAllText(certFile, issued.CertificatePem);
        return issued;
    }

    private static bool StillValid(string certFile, X509Certificate2 issuer)
    {
        using var cert = X509Certificate2.CreateFromPem(File.ReadAllText(certFile));
        if (cert.NotAfter < DateTime.Now.AddDays(7))
        {
            return false;
        }
        // Still accepted by the server? A regenerated CA keeps its name, so only verifying tells.
        return new X509Authenticator(new X509Certificate2Collection(issuer)).Authenticate(cert).User is not null;
    }
}
