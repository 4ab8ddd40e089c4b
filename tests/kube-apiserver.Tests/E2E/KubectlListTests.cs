using NUnit.Framework;

namespace KubeApiserver.Tests.E2E;

/// <summary>
/// kubectl with a <c>kind: List</c> document: it validates the items client-side against the protobuf
/// form of <c>/openapi/v2</c>, with its default validation.
/// </summary>
[TestFixture]
[Category("E2E")]
internal sealed class KubectlListTests : KubectlFixture
{
    protected override Task OnStartedAsync() => Kubectl.OkAsync("create ns list-e2e");

    [Test]
    public async Task CreateAndApply_AcceptAListOfConfigMaps()
    {
        const string list = """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: ConfigMap
              metadata:
                name: one
              data:
                a: "1"
            - apiVersion: v1
              kind: ConfigMap
              metadata:
                name: two
              data:
                b: "2"
            """;
        var created = await Kubectl.OkAsync("-n list-e2e create -f -", list);
        Assert.Multiple(() =>
        {
            Assert.That(created, Does.Contain("configmap/one created"));
            Assert.That(created, Does.Contain("configmap/two created"));
        });

        var yaml = await Kubectl.OkAsync("-n list-e2e get cm -o yaml");
        Assert.That(yaml, Does.Contain("kind: List"));
        var applied = await Kubectl.OkAsync("-n list-e2e apply -f -", yaml);
        Assert.Multiple(() =>
        {
            Assert.That(applied, Does.Contain("configmap/one"));
            Assert.That(applied, Does.Contain("configmap/two"));
        });
        Assert.That(await Kubectl.OkAsync("-n list-e2e get cm one -o jsonpath={.data.a}"), Is.EqualTo("1"));
    }
}
