using System.CommandLine;
using KubeApiserver.Options;
using NUnit.Framework;

namespace KubeApiserver.Tests.Etcd;

/// <summary>The etcd flags: parsing, defaults and validation (no etcd needed).</summary>
[TestFixture]
public sealed class EtcdOptionsTests
{
    [Test]
    public void NoEtcdFlags_SelectEmbeddedStoreWithFiveMinuteCompaction()
    {
        var options = Parse();

        Assert.That(options.Storage.UsesEtcd, Is.False);
        Assert.That(options.Storage.EtcdCompactionInterval, Is.EqualTo(TimeSpan.FromMinutes(5)));
        Assert.That(options.Validate(), Is.Empty);
    }

    [Test]
    public void EtcdServersAndInterval_AreParsedLikeKubeApiserver()
    {
        var options = Parse("--etcd-servers", "http://127.0.0.1:2379, http://127.0.0.1:22379", "--etcd-compaction-interval", "1m30s");

        Assert.That(options.Storage.EtcdServers, Is.EqualTo(new[] { "http://127.0.0.1:2379", "http://127.0.0.1:22379" }));
        Assert.That(options.Storage.EtcdCompactionInterval, Is.EqualTo(TimeSpan.FromSeconds(90)));
        Assert.That(options.Storage.ToEtcd3StorageOptions().CompactionInterval, Is.EqualTo(TimeSpan.FromSeconds(90)));
        Assert.That(options.Validate(), Is.Empty);
    }

    [TestCase("5m0s", 300_000)]
    [TestCase("30s", 30_000)]
    [TestCase("1.5h", 5_400_000)]
    [TestCase("250ms", 250)]
    [TestCase("0", 0)]
    public void TryParseDuration_GoSyntax_Parses(string text, long milliseconds)
    {
        Assert.That(StorageOptions.TryParseDuration(text, out var duration), Is.True);
        Assert.That(duration, Is.EqualTo(TimeSpan.FromMilliseconds(milliseconds)));
    }

    [TestCase("5")]
    [TestCase("5 m")]
    [TestCase("m")]
    [TestCase("")]
    public void TryParseDuration_Invalid_Fails(string text) =>
        Assert.That(StorageOptions.TryParseDuration(text, out _), Is.False);

    [Test]
    public void ZeroInterval_DisablesCompaction()
    {
        var options = Parse("--etcd-servers", "http://127.0.0.1:2379", "--etcd-compaction-interval", "0");

        Assert.That(options.Storage.ToEtcd3StorageOptions().CompactionInterval, Is.Null);
    }

    [Test]
    public void BadInterval_IsAParseError()
    {
        var command = new RootCommand();
        KubeApiserverOptions.AddTo(command);

        var result = command.Parse(["--etcd-compaction-interval", "soon"]);

        Assert.That(result.Errors.Select(e => e.Message), Has.Some.Contains("--etcd-compaction-interval"));
    }

    [Test]
    public void BadEndpointsOrTlsWithoutEtcd_AreReported()
    {
        var badEndpoint = Parse("--etcd-servers", "127.0.0.1:2379");
        var tlsOnly = Parse("--etcd-cafile", "/nonexistent/ca.pem");

        Assert.That(badEndpoint.Validate(), Has.Some.Contains("127.0.0.1:2379"));
        Assert.That(tlsOnly.Validate(), Has.Some.Contains("need --etcd-servers"));
    }

    private static KubeApiserverOptions Parse(params string[] args)
    {
        var command = new RootCommand();
        KubeApiserverOptions.AddTo(command);
        var result = command.Parse(args);
        Assert.That(result.Errors, Is.Empty);
        return KubeApiserverOptions.Read(result);
    }
}
