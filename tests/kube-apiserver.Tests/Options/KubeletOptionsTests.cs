using System.CommandLine;
using KubeApiserver.Options;
using NUnit.Framework;

namespace KubeApiserver.Tests.Options;

/// <summary>The <c>--kubelet-*</c> flags: kube's defaults, their parsing and their validation.</summary>
[TestFixture]
public sealed class KubeletOptionsTests
{
    private static (KubeApiserverOptions Options, ParseResult Result) Parse(params string[] args)
    {
        var command = new RootCommand();
        KubeApiserverOptions.AddTo(command);
        var result = command.Parse(args);
        return (KubeApiserverOptions.Read(result), result);
    }

    [Test]
    public void Defaults_AreKubes()
    {
        var (options, result) = Parse();

        Assert.That(result.Errors, Is.Empty);
        Assert.That(options.Validate(), Is.Empty);
        Assert.That(options.Kubelet.PreferredAddressTypes, Is.EqualTo(new[] { "Hostname", "InternalDNS", "InternalIP", "ExternalDNS", "ExternalIP" }));
        Assert.That(options.Kubelet.Timeout, Is.EqualTo(TimeSpan.FromSeconds(5)));
        var config = options.Kubelet.ToConfig();
        Assert.That(config.ClientCertificate, Is.Null);
        Assert.That(config.CertificateAuthority, Is.Null, "without a CA the kubelet's certificate is not verified, as in kube");
    }

    [Test]
    public void Flags_AreRead()
    {
        var (options, result) = Parse("--kubelet-preferred-address-types", "InternalIP,Hostname", "--kubelet-timeout", "1m30s",
            "--kubelet-client-certificate", "/c.crt", "--kubelet-client-key", "/c.key", "--kubelet-certificate-authority", "/ca.crt");

        Assert.That(result.Errors, Is.Empty);
        Assert.That(options.Validate(), Is.Empty);
        Assert.That(options.Kubelet, Is.EqualTo(new KubeletOptions
        {
            PreferredAddressTypes = options.Kubelet.PreferredAddressTypes,
            Timeout = TimeSpan.FromSeconds(90),
            ClientCertificate = "/c.crt",
            ClientKey = "/c.key",
            CertificateAuthority = "/ca.crt",
        }));
        Assert.That(options.Kubelet.PreferredAddressTypes, Is.EqualTo(new[] { "InternalIP", "Hostname" }));
    }

    [TestCase(new[] { "--kubelet-preferred-address-types", "InternalIP,Internal" }, "Internal is not a valid address type")]
    [TestCase(new[] { "--kubelet-client-certificate", "/c.crt" }, "--kubelet-client-certificate and --kubelet-client-key must be given together")]
    [TestCase(new[] { "--kubelet-timeout", "0" }, "--kubelet-timeout must be greater than 0")]
    public void BadFlags_AreReported(string[] args, string problem)
    {
        Assert.That(Parse(args).Options.Validate(), Has.Some.Contains(problem));
    }

    [Test]
    public void UnreadableCertificateAuthority_FailsWithTheFlagsName()
    {
        var options = new KubeletOptions { CertificateAuthority = "/nonexistent/ca.crt" };

        var failure = Assert.Throws<ArgumentException>(() => options.ToConfig());
        Assert.That(failure!.Message, Does.StartWith("--kubelet-certificate-authority \"/nonexistent/ca.crt\""));
    }
}
