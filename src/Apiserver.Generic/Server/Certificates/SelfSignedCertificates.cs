using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Apiserver.Generic.Server.Certificates;

/// <summary>A serving certificate and the CA that clients trust it through.</summary>
/// <param name="Serving">The serving certificate with its private key.</param>
/// <param name="CaCertificatePem">The CA certificate (PEM), for clients' trust (kubeconfig <c>certificate-authority-data</c>).</param>
public sealed record ServingCertificates(X509Certificate2 Serving, string CaCertificatePem);

/// <summary>
/// Generates, on first start, a CA and a serving certificate signed by it in a directory, and
/// loads them on later starts: the development default when no <c>--tls-cert-file</c> is given.
/// </summary>
public static class SelfSignedCertificates
{
    /// <summary>The file names used in the certificate directory.</summary>
    public const string CaCertFile = "ca.crt", CaKeyFile = "ca.key", ServingCertFile = "apiserver.crt", ServingKeyFile = "apiserver.key";

    /// <summary>Loads the certificates in <paramref name="directory"/>, creating any that are missing or do not cover the names.</summary>
    public static ServingCertificates Ensure(string directory, IReadOnlyCollection<string> dnsNames, IReadOnlyCollection<IPAddress> addresses)
    {
        Directory.CreateDirectory(directory);
        var caCert = Path.Combine(directory, CaCertFile);
        var caKey = Path.Combine(directory, CaKeyFile);
        if (!File.Exists(caCert) || !File.Exists(caKey))
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=kube-apiserver-ca", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(10));
            WritePrivate(caKey, key.ExportPkcs8PrivateKeyPem());
            File.WriteAllText(caCert, ca.ExportCertificatePem());
            File.Delete(Path.Combine(directory, ServingCertFile)); // A new CA invalidates the old serving certificate.
        }

        var servingCert = Path.Combine(directory, ServingCertFile);
        var servingKey = Path.Combine(directory, ServingKeyFile);
        if (!File.Exists(servingCert) || !File.Exists(servingKey) || !Covers(servingCert, dnsNames, addresses))
        {
            using var issuer = X509Certificate2.CreateFromPemFile(caCert, caKey);
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=kube-apiserver", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
            var san = new SubjectAlternativeNameBuilder();
            foreach (var name in dnsNames) san.AddDnsName(name);
            foreach (var address in addresses) san.AddIpAddress(address);
            request.CertificateExtensions.Add(san.Build());
            var notAfter = DateTimeOffset.UtcNow.AddYears(1);
            using var cert = request.Create(issuer, DateTimeOffset.UtcNow.AddMinutes(-5), notAfter < issuer.NotAfter ? notAfter : issuer.NotAfter, RandomNumberGenerator.GetBytes(16));
            WritePrivate(servingKey, key.ExportPkcs8PrivateKeyPem());
            File.WriteAllText(servingCert, cert.ExportCertificatePem());
        }
        return new ServingCertificates(X509Certificate2.CreateFromPemFile(servingCert, servingKey), File.ReadAllText(caCert));
    }

    private static bool Covers(string certPath, IReadOnlyCollection<string> dnsNames, IReadOnlyCollection<IPAddress> addresses)
    {
        using var cert = X509Certificate2.CreateFromPem(File.ReadAllText(certPath));
        if (cert.NotAfter < DateTime.Now.AddDays(7))
        {
            return false;
        }
        var san = cert.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        if (san is null)
        {
            return false;
        }
        var names = san.EnumerateDnsNames().ToHashSet();
        var ips = san.EnumerateIPAddresses().ToHashSet();
        return dnsNames.All(names.Contains) && addresses.All(ips.Contains);
    }

    private static void WritePrivate(string path, string pem)
    {
        File.WriteAllText(path, pem);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
