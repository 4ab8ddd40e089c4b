using Apiserver.Generic.Api;
using k8s.Models;
using NUnit.Framework;

namespace Apiserver.Kube.Tests.Validation;

/// <summary>
/// The server's canonical quantities agree with the official C# client's port of apimachinery's
/// <c>resource.Quantity</c>, so what a client computes and what the server stores read the same.
/// </summary>
[TestFixture]
internal sealed class QuantityAgreementTests
{
    // Positive values only: the client's port spells negative ones wrongly ("-1" as
    // "-0.000000000000000001E"); QuantityTests pins kube's spelling of those.
    private static readonly string[] Corpus =
    [
        "0", "1", "2", "+3", "10", "100", "999", "1000", "1001", "1024", "123456", "1000000", "1500000", "1000000000",
        "0.1", "0.5", ".25", "1.5", "2.75", "0.001", "0.0005", "12.345678",
        "1m", "100m", "999m", "1000m", "1500m", "2000m", "250m",
        "1n", "5n", "1000n", "1u", "7u", "1500u", "1000000u",
        "1k", "1.5k", "1000k", "1M", "2.5M", "1G", "1T", "1P", "1E",
        "1Ki", "512Ki", "1023Ki", "1024Ki", "1100Ki", "1Mi", "100Mi", "1024Mi", "1536Mi", "1Gi", "1.5Gi", "0.5Gi", "2Ti", "1Pi", "1Ei", "0.5Ki", "1.5Ki",
        "1e3", "1e6", "12E-2", "1e-3", "5e0", "1.5e3",
    ];

    [TestCaseSource(nameof(Corpus))]
    public void CanonicalSpelling_IsTheClients(string text)
    {
        Assert.That(Quantity.TryCanonicalize(text, out var canonical), Is.True);
        Assert.That(canonical, Is.EqualTo(new ResourceQuantity(text).CanonicalizeString()));
    }
}
