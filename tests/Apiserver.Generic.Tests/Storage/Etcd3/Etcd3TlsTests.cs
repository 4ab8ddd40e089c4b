using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Apiserver.Generic.Storage;
using Apiserver.Generic.Storage.Etcd3;
using NUnit.Framework;

namespace Apiserver.Generic.Tests.Storage.Etcd3;

/// <summary>
/// etcd over TLS with client certificates (--etcd-cafile, --etcd-certfile, --etcd-keyfile): a real etcd
/// that serves HTTPS and requires a client certificate signed by its CA.
/// </summary>
[TestFixture]
[Category("Etcd")]
public sealed class Etcd3TlsTests
{
    private string _dir = null!;
    private Process _etcd = null!;
    private string _endpoint = null!;

    [OneTimeSetUp]
    public async Task StartEtcdAsync()
    {
        _dir = Directory.CreateTempSubdirectory("etcd-tls-").FullName;
        WriteCertificates(_dir);
        var (client, peer) = (FreePort(), FreePort());
        _endpoint = $"https://127.0.0.1:{client}";
        var info = new ProcessStartInfo("/usr/bin/etcd") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            "--name", "tls", "--data-dir", Path.Combine(_dir, "data"),
            "--listen-client-urls", _endpoint, "--advertise-client-urls", _endpoint,
            "--listen-peer-urls", $"http://127.0.0.1:{peer}", "--initial-advertise-peer-urls", $"http://127.0.0.1:{peer}",
            "--initial-cluster", $"tls=http://127.0.0.1:{peer}",
            "--cert-file", Path.Combine(_dir, "server.crt"), "--key-file", Path.Combine(_dir, "server.key"),
            "--trusted-ca-file", Path.Combine(_dir, "ca.crt"), "--client-cert-auth",
            "--heartbeat-interval", "25", "--election-timeout", "250", "--log-level", "warn", "--logger", "zap",
        })
        {
            info.ArgumentList.Add(argument);
        }
        _etcd = Process.Start(info)!;
        _etcd.OutputDataReceived += (_, _) => { };
        _etcd.ErrorDataReceived += (_, _) => { };
        _etcd.BeginOutputReadLine();
        _etcd.BeginErrorReadLine();

        await using var probe = Open(withClientCertificate: true);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await probe.GetCurrentRevisionAsync();
                return;
            }
            catch (StorageException) when (DateTime.UtcNow < deadline && !_etcd.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    [OneTimeTearDown]
    public async Task StopEtcdAsync()
    {
        if (!_etcd.HasExited)
        {
            _etcd.Kill();
            await _etcd.WaitForExitAsync();
        }
        _etcd.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public async Task WithAClientCertificate_ReadsAndWrites()
    {
        await using var storage = Open(withClientCertificate: true);
        var created = await storage.CreateAsync("/registry/configmaps/default/tls", Encoding.UTF8.GetBytes("{}"));
        var read = await storage.GetAsync("/registry/configmaps/default/tls");
        Assert.That(read!.ModRevision, Is.EqualTo(created.ModRevision));
    }

    [Test]
    public async Task WithoutAClientCertificate_FailsCleanlyWithinTheTimeout()
    {
        await using var storage = Open(withClientCertificate: false);
        var watch = Stopwatch.StartNew();
        var e = Assert.ThrowsAsync<StorageException>(async () => await storage.GetCurrentRevisionAsync());
        Assert.That(e!.Code, Is.EqualTo(StorageErrorCode.Unavailable));
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(15)));
    }

    private Etcd3Storage Open(bool withClientCertificate) => Etcd3Storage.Open(new Etcd3StorageOptions
    {
        Endpoints = [_endpoint],
        CaFile = Path.Combine(_dir, "ca.crt"),
        CertFile = withClientCertificate ? Path.Combine(_dir, "client.crt") : null,
        KeyFile = withClientCertificate ? Path.Combine(_dir, "client.key") : null,
        RequestTimeout = TimeSpan.FromSeconds(5),
    });

    private static void WriteCertificates(string dir)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=etcd-test-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.DigitalSignature, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(Path.Combine(dir, "ca.crt"), ca.ExportCertificatePem());
        Issue(dir, "server", ca, server: true);
        Issue(dir, "client", ca, server: false);
    }

    private static void Issue(string dir, string name, X509Certificate2 ca, bool server)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            server ? [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")] : [new Oid("1.3.6.1.5.5.7.3.2")], false));
        if (server)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            san.AddDnsName("localhost");
            request.CertificateExtensions.Add(san.Build());
        }
        // The self-signed CA carries its private key already. The leaf shares its validity: a clock
        // tick between the two certificates must not let the leaf outlive its issuer.
        using var cert = request.Create(ca, ca.NotBefore, ca.NotAfter, RandomNumberGenerator.GetBytes(12));
        File.WriteAllText(Path.Combine(dir, $"{name}.crt"), cert.ExportCertificatePem());
        File.WriteAllText(Path.Combine(dir, $"{name}.key"), key.ExportPkcs8PrivateKeyPem());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
