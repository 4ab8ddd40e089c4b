using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace KubeApiserver.Tests.Http;

/// <summary>certificates.k8s.io/v1 CertificateSigningRequests as kube-apiserver 1.34 serves them.</summary>
[TestFixture]
public sealed class CertificateSigningRequestTests : ServerFixture
{
    private const string Path = "/apis/certificates.k8s.io/v1/certificatesigningrequests";

    private static string Request()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=alice, O=dev", key, HashAlgorithmName.SHA256);
        return Convert.ToBase64String(Encoding.ASCII.GetBytes(request.CreateSigningRequestPem()));
    }

    private static string Csr(string name, string request, string signer = "kubernetes.io/kube-apiserver-client", string usages = """["client auth"]""") =>
        $$$"""{"apiVersion":"certificates.k8s.io/v1","kind":"CertificateSigningRequest","metadata":{"name":"{{{name}}}"},"spec":{"request":"{{{request}}}","signerName":"{{{signer}}}","usages":{{{usages}}},"username":"mallory","groups":["system:masters"]},"status":{"conditions":[{"type":"Approved","status":"True"}]}}""";

    [Test]
    public async Task Discovery_ReportsKubesEntries()
    {
        var resources = (await Http.SendAsync(HttpMethod.Get, "/apis/certificates.k8s.io/v1")).Body["resources"]!.AsArray();
        Assert.That(resources.Select(r => r!.ToJsonString()), Is.EqualTo(new[]
        {
            """{"name":"certificatesigningrequests","singularName":"certificatesigningrequest","namespaced":false,"kind":"CertificateSigningRequest","verbs":["create","delete","deletecollection","get","list","patch","update","watch"],"shortNames":["csr"]}""",
            """{"name":"certificatesigningrequests/approval","singularName":"","namespaced":false,"kind":"CertificateSigningRequest","verbs":["get","patch","update"]}""",
            """{"name":"certificatesigningrequests/status","singularName":"","namespaced":false,"kind":"CertificateSigningRequest","verbs":["get","patch","update"]}""",
        }));
    }

    [Test]
    public async Task Create_SetsTheRequestorAndDropsStatus_RoundTrippingTheSpec()
    {
        var request = Request();
        var created = await Http.SendAsync(HttpMethod.Post, Path, Csr("roundtrip", request));
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        var got = (await Http.SendAsync(HttpMethod.Get, $"{Path}/roundtrip")).Body;
        Assert.Multiple(() =>
        {
            Assert.That(got["spec"]!["request"]!.ToString(), Is.EqualTo(request));
            Assert.That(got["spec"]!["signerName"]!.ToString(), Is.EqualTo("kubernetes.io/kube-apiserver-client"));
            Assert.That(got["spec"]!["usages"]!.ToJsonString(), Is.EqualTo("""["client auth"]"""));
            Assert.That(got["spec"]!["username"]!.ToString(), Is.Not.EqualTo("mallory"));
            Assert.That(got["status"]!.ToJsonString(), Is.EqualTo("{}"));
        });
    }

    [Test]
    public async Task InvalidRequests_Answer422()
    {
        var cases = new (string Body, string Message)[]
        {
            (Csr("notpem", Convert.ToBase64String(Encoding.ASCII.GetBytes("hello"))), "CertificateSigningRequest.certificates.k8s.io \"notpem\" is invalid: spec.request: Invalid value: \"<request>\": PEM block type must be CERTIFICATE REQUEST"),
            (Csr("signer", Request(), signer: "nodomain"), "CertificateSigningRequest.certificates.k8s.io \"signer\" is invalid: spec.signerName: Invalid value: \"nodomain\": must be a fully qualified domain and path of the form 'example.com/signer-name'"),
            (Csr("usage", Request(), usages: """["flying"]"""), "spec.usages[0]: Unsupported value: \"flying\""),
            (Csr("nousage", Request(), usages: "[]"), "CertificateSigningRequest.certificates.k8s.io \"nousage\" is invalid: spec.usages: Required value"),
        };
        foreach (var (body, message) in cases)
        {
            var status = (await Http.SendAsync(HttpMethod.Post, Path, body)).AssertStatus(422, "Invalid");
            Assert.That(status["message"]!.ToString(), Does.Contain(message));
        }
    }

    [Test]
    public async Task Approval_ChangesOnlyApprovalConditions_AndStatusCannotApprove()
    {
        await Http.SendAsync(HttpMethod.Post, Path, Csr("approve-me", Request()));
        // The status subresource cannot approve; the approval subresource can.
        var viaStatus = await Http.SendAsync(HttpMethod.Put, $"{Path}/approve-me/status", Csr("approve-me", Request()));
        Assert.That(viaStatus.Code, Is.EqualTo(HttpStatusCode.OK), viaStatus.Body.ToJsonString());
        Assert.That(viaStatus.Body["status"]!["conditions"], Is.Null);

        var approved = await Http.SendAsync(HttpMethod.Put, $"{Path}/approve-me/approval",
            """{"apiVersion":"certificates.k8s.io/v1","kind":"CertificateSigningRequest","metadata":{"name":"approve-me"},"spec":{},"status":{"conditions":[{"type":"Approved","status":"True","reason":"Test"}]}}""");
        Assert.That(approved.Code, Is.EqualTo(HttpStatusCode.OK), approved.Body.ToJsonString());
        var condition = approved.Body["status"]!["conditions"]![0]!;
        Assert.Multiple(() =>
        {
            Assert.That(condition["type"]!.ToString(), Is.EqualTo("Approved"));
            Assert.That(condition["lastUpdateTime"], Is.Not.Null);
            Assert.That(condition["lastTransitionTime"], Is.Not.Null);
            Assert.That(approved.Body["spec"]!["signerName"]!.ToString(), Is.EqualTo("kubernetes.io/kube-apiserver-client"));
        });

        var both = await Http.SendAsync(HttpMethod.Put, $"{Path}/approve-me/approval",
            """{"apiVersion":"certificates.k8s.io/v1","kind":"CertificateSigningRequest","metadata":{"name":"approve-me"},"spec":{},"status":{"conditions":[{"type":"Approved","status":"True"},{"type":"Denied","status":"True"}]}}""");
        Assert.That(both.AssertStatus(422, "Invalid")["message"]!.ToString(), Does.Contain("Approved and Denied conditions are mutually exclusive"));
    }
}
