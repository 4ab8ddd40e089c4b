using k8s;
using k8s.Models;
using NUnit.Framework;

namespace KubeApiserver.Tests.Client;

/// <summary>The official C# client's typed calls for the storage, networking and component status kinds kube 1.34 serves.</summary>
[TestFixture]
public sealed class CSharpClientStorageNetworkingTests
{
    private TestServer _server = null!;
    private Kubernetes _client = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await TestServer.StartAsync();
        _client = _server.CreateClient();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task TypedCalls_CreateReadAndListTheNewKinds()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var ct = timeout.Token;
        var driver = await _client.StorageV1.CreateCSIDriverAsync(
            new V1CSIDriver { Metadata = new V1ObjectMeta { Name = "typed.csi.io" }, Spec = new V1CSIDriverSpec { PodInfoOnMount = true } }, cancellationToken: ct);
        var attachment = await _client.StorageV1.CreateVolumeAttachmentAsync(new V1VolumeAttachment
        {
            Metadata = new V1ObjectMeta { Name = "typed-va" },
            Spec = new V1VolumeAttachmentSpec { Attacher = "typed.csi.io", NodeName = "node-1", Source = new V1VolumeAttachmentSource { PersistentVolumeName = "pv-1" } },
        }, cancellationToken: ct);
        attachment.Status = new V1VolumeAttachmentStatus { Attached = true };
        var attached = await _client.StorageV1.ReplaceVolumeAttachmentStatusAsync(attachment, "typed-va", cancellationToken: ct);
        var ip = await _client.NetworkingV1.CreateIPAddressAsync(new V1IPAddress
        {
            Metadata = new V1ObjectMeta { Name = "10.0.0.200" },
            Spec = new V1IPAddressSpec { ParentRef = new V1ParentReference { Resource = "services", NamespaceProperty = "default", Name = "typed" } },
        }, cancellationToken: ct);
        var cidrs = await _client.NetworkingV1.ListServiceCIDRAsync(cancellationToken: ct);
        var components = await _client.CoreV1.ListComponentStatusAsync(cancellationToken: ct);

        Assert.Multiple(() =>
        {
            Assert.That(driver.Spec.AttachRequired, Is.True, "defaulted by the server");
            Assert.That(driver.Spec.FsGroupPolicy, Is.EqualTo("ReadWriteOnceWithFSType"));
            Assert.That(driver.Spec.VolumeLifecycleModes, Is.EqualTo(new[] { "Persistent" }));
            Assert.That(attached.Status.Attached, Is.True);
            Assert.That(ip.Spec.ParentRef.Name, Is.EqualTo("typed"));
            Assert.That(cidrs.Items.Select(c => c.Metadata.Name), Does.Contain("kubernetes"));
            Assert.That(components.Items.Single(c => c.Metadata.Name == "etcd-0").Conditions.Single().Status, Is.EqualTo("True"));
        });
    }
}
