using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using NUnit.Framework;

namespace KubeApiserver.Tests.E2E;

/// <summary>The real kubectl creating, approving and listing a CertificateSigningRequest.</summary>
[TestFixture]
[Category("E2E")]
internal sealed class KubectlCertificateTests : KubectlFixture
{
    [Test]
    public async Task CertificateApprove_MarksTheRequestApproved()
    {
        using var key = RSA.Create(2048);
        var pem = new CertificateRequest("CN=bob", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSigningRequestPem();
        await Kubectl.OkAsync("create -f -", $"""
            apiVersion: certificates.k8s.io/v1
            kind: CertificateSigningRequest
            metadata:
              name: bob
            spec:
              request: {Convert.ToBase64String(Encoding.ASCII.GetBytes(pem))}
              signerName: kubernetes.io/kube-apiserver-client
              expirationSeconds: 86400
              usages: [client auth]
            """);
        Assert.That(await Kubectl.OkAsync("get csr bob"), Does.Match(@"(?m)^bob\s+\S+\s+kubernetes\.io/kube-apiserver-client\s+kubernetes-admin\s+24h\s+Pending\s*$"));
        Assert.That(await Kubectl.OkAsync("certificate approve bob"), Does.Contain("certificatesigningrequest.certificates.k8s.io/bob approved"));
        Assert.Multiple(async () =>
        {
            Assert.That(await Kubectl.OkAsync("get csr bob"), Does.Match(@"(?m)^bob\s+.*\s+Approved\s*$"));
            Assert.That(await Kubectl.OkAsync("get csr bob -o jsonpath={.status.conditions[0].reason}"), Is.EqualTo("KubectlApprove"));
        });
    }
}
