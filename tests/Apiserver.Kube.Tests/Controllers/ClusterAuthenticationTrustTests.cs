using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Apiserver.Kube.Controllers;
using NUnit.Framework;

namespace Apiserver.Kube.Tests.Controllers;

/// <summary>The data of <c>kube-system/extension-apiserver-authentication</c>, combined as kube's controller combines it.</summary>
public sealed class ClusterAuthenticationTrustTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

    private static string Ca(string name, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var cert = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256).CreateSelfSigned(notAfter.AddYears(-1), notAfter);
        return cert.ExportCertificatePem() + "\n";
    }

    private static string[] Names(string? pem)
    {
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPem(pem ?? "");
        return [.. bundle.Select(c => c.GetNameInfo(X509NameType.SimpleName, false))];
    }

    [Test]
    public void WithoutAProxyCa_OnlyTheClientCaIsPublished()
    {
        var data = ClusterAuthenticationTrustController.Data([], new ClusterAuthenticationInfo
        {
            ClientCaPem = Ca("clients", Now.AddYears(1)),
            RequestHeaderUsernameHeaders = ["X-Remote-User"],
        }, Now);
        Assert.That(data.Select(e => e.Key), Is.EqualTo(new[] { "client-ca-file" }));
        Assert.That(Names(data["client-ca-file"]!.ToString()), Is.EqualTo(new[] { "clients" }));
    }

    [Test]
    public void WhatIsThere_IsCombinedWithThisServers_WithoutDuplicatesOrExpiredCertificates()
    {
        var shared = Ca("shared", Now.AddYears(1));
        var existing = new JsonObject
        {
            ["client-ca-file"] = shared + Ca("expired", Now.AddMinutes(-10)) + Ca("other-replica", Now.AddYears(1)),
            ["requestheader-client-ca-file"] = Ca("old-proxy", Now.AddMinutes(-1)),
            ["requestheader-username-headers"] = """["X-Old-User"]""",
            ["requestheader-allowed-names"] = """["front-proxy"]""",
            ["requestheader-group-headers"] = "not json",
        };
        var data = ClusterAuthenticationTrustController.Data(existing, new ClusterAuthenticationInfo
        {
            ClientCaPem = shared,
            RequestHeaderCaPem = Ca("proxy", Now.AddYears(1)),
            RequestHeaderAllowedNames = ["front-proxy", "aggregator"],
            RequestHeaderUsernameHeaders = ["X-Remote-User"],
            RequestHeaderGroupHeaders = ["X-Remote-Group"],
            RequestHeaderExtraHeaderPrefixes = ["X-Remote-Extra-"],
        }, Now);

        Assert.Multiple(() =>
        {
            Assert.That(Names(data["client-ca-file"]!.ToString()), Is.EqualTo(new[] { "shared", "other-replica" }));
            // Expired a minute ago: within the five minutes of slack kube allows.
            Assert.That(Names(data["requestheader-client-ca-file"]!.ToString()), Is.EqualTo(new[] { "old-proxy", "proxy" }));
            Assert.That(data["requestheader-username-headers"]!.ToString(), Is.EqualTo("""["X-Old-User","X-Remote-User"]"""));
            Assert.That(data["requestheader-allowed-names"]!.ToString(), Is.EqualTo("""["front-proxy","aggregator"]"""));
            Assert.That(data["requestheader-group-headers"]!.ToString(), Is.EqualTo("""["X-Remote-Group"]"""));
            Assert.That(data["requestheader-uid-headers"]!.ToString(), Is.EqualTo("[]"));
            Assert.That(data["requestheader-extra-headers-prefix"]!.ToString(), Is.EqualTo("""["X-Remote-Extra-"]"""));
        });
    }
}
