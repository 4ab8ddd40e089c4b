using System.Net;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace KubeApiserver.Tests.Http;

/// <summary>
/// The storage.k8s.io kinds beyond storage classes (CSI drivers, nodes and capacities, volume
/// attachments, volume attributes classes), networking's IP addresses and service CIDRs, and core's
/// component statuses: kube 1.34's defaults, immutable fields, status subresources, discovery and tables.
/// </summary>
[TestFixture]
public sealed class StorageAndNetworkingKindsTests : ServerFixture
{
    private const string Storage = "/apis/storage.k8s.io/v1";
    private const string Networking = "/apis/networking.k8s.io/v1";
    private static readonly string[] StatusVerbs = ["get", "patch", "update"];

    [TestCase("storage.k8s.io", "volumeattachments", "VolumeAttachment")]
    [TestCase("networking.k8s.io", "servicecidrs", "ServiceCIDR")]
    public async Task Discovery_ListsTheStatusSubresource(string group, string plural, string kind)
    {
        var resources = (await Http.SendAsync(HttpMethod.Get, $"/apis/{group}/v1")).Body["resources"]!.AsArray();
        var status = resources.SingleOrDefault(r => r!["name"]!.ToString() == plural + "/status");
        Assert.That(status, Is.Not.Null, resources.ToJsonString());
        Assert.Multiple(() =>
        {
            Assert.That(status!["kind"]!.ToString(), Is.EqualTo(kind));
            Assert.That(status["verbs"]!.AsArray().Select(v => v!.ToString()), Is.EquivalentTo(StatusVerbs));
        });
    }

    [Test]
    public async Task Discovery_ListsComponentStatusesAsKubeDoes()
    {
        var entry = (await Http.SendAsync(HttpMethod.Get, "/api/v1")).Body["resources"]!.AsArray().Single(r => r!["name"]!.ToString() == "componentstatuses")!;
        Assert.Multiple(() =>
        {
            Assert.That(entry["singularName"]!.ToString(), Is.EqualTo("componentstatus"));
            Assert.That(entry["kind"]!.ToString(), Is.EqualTo("ComponentStatus"));
            Assert.That(entry["namespaced"]!.GetValue<bool>(), Is.False);
            Assert.That(entry["verbs"]!.AsArray().Select(v => v!.ToString()), Is.EquivalentTo(new[] { "get", "list" }));
            Assert.That(entry["shortNames"]!.AsArray().Select(v => v!.ToString()), Is.EqualTo(new[] { "cs" }));
        });
    }

    [Test]
    public async Task CsiDriver_GetsKubesDefaults_AndKeepsAttachRequiredAndModes()
    {
        var created = await Http.SendAsync(HttpMethod.Post, $"{Storage}/csidrivers", """{"metadata":{"name":"defaults.csi.io"},"spec":{}}""");
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        Assert.That(created.Body["spec"]!.ToJsonString(), Is.EqualTo(
            """{"attachRequired":true,"podInfoOnMount":false,"storageCapacity":false,"fsGroupPolicy":"ReadWriteOnceWithFSType","volumeLifecycleModes":["Persistent"],"requiresRepublish":false,"seLinuxMount":false}"""));

        var body = (await Http.SendAsync(HttpMethod.Patch, $"{Storage}/csidrivers/defaults.csi.io",
            """{"spec":{"attachRequired":false,"volumeLifecycleModes":["Ephemeral"]}}""", "application/merge-patch+json")).AssertStatus(422, "Invalid");
        Assert.That(body["details"]!["causes"]!.AsArray().Select(c => $"{c!["field"]}: {c["message"]}"), Is.EquivalentTo(new[]
        {
            "spec.attachedRequired: Invalid value: false: field is immutable",
            "spec.volumeLifecycleModes: Invalid value: [\"Ephemeral\"]: field is immutable",
        }));
        var mutable = await Http.SendAsync(HttpMethod.Patch, $"{Storage}/csidrivers/defaults.csi.io", """{"spec":{"podInfoOnMount":true,"storageCapacity":true}}""", "application/merge-patch+json");
        Assert.That(mutable.Code, Is.EqualTo(HttpStatusCode.OK), mutable.Body.ToJsonString());
        Assert.Multiple(() =>
        {
            Assert.That(created.Body["metadata"]!["generation"]!.GetValue<long>(), Is.EqualTo(1));
            Assert.That(mutable.Body["metadata"]!["generation"]!.GetValue<long>(), Is.EqualTo(2), "a spec change counts");
        });
        // kube's CSIDriver store refuses unconditional updates.
        var unconditional = mutable.Body.DeepClone().AsObject();
        unconditional["metadata"]!.AsObject().Remove("resourceVersion");
        var refused = (await Http.SendAsync(HttpMethod.Put, $"{Storage}/csidrivers/defaults.csi.io", unconditional.ToJsonString())).AssertStatus(422, "Invalid");
        Assert.That(refused["details"]!["causes"]![0]!["field"]!.ToString(), Is.EqualTo("metadata.resourceVersion"));
    }

    [Test]
    public async Task CsiNode_DriversKeepTheirIdentity_ButNotTheirCount()
    {
        var created = await Http.SendAsync(HttpMethod.Post, $"{Storage}/csinodes",
            """{"metadata":{"name":"worker-7"},"spec":{"drivers":[{"name":"d.csi.io","nodeID":"w7","allocatable":{"count":10}}]}}""");
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        var recount = created.Body.DeepClone().AsObject();
        recount["spec"]!["drivers"]![0]!["allocatable"]!["count"] = 12;
        var counted = await Http.SendAsync(HttpMethod.Put, $"{Storage}/csinodes/worker-7", recount.ToJsonString());
        Assert.That(counted.Code, Is.EqualTo(HttpStatusCode.OK), counted.Body.ToJsonString());

        var moved = counted.Body.DeepClone().AsObject();
        moved["spec"]!["drivers"]![0]!["nodeID"] = "w8";
        var body = (await Http.SendAsync(HttpMethod.Put, $"{Storage}/csinodes/worker-7", moved.ToJsonString())).AssertStatus(422, "Invalid");
        var cause = body["details"]!["causes"]![0]!;
        Assert.Multiple(() =>
        {
            Assert.That(cause["field"]!.ToString(), Is.EqualTo("spec.drivers"));
            Assert.That(cause["message"]!.ToString(), Does.EndWith("field is immutable"));
        });
    }

    [Test]
    public async Task CsiStorageCapacity_ClassAndTopologyAreImmutable_CapacityIsNot()
    {
        var ns = await NewNamespaceAsync();
        var path = $"{Storage}/namespaces/{ns}/csistoragecapacities";
        var created = await Http.SendAsync(HttpMethod.Post, path, """{"metadata":{"name":"cap"},"storageClassName":"fast","capacity":"1Gi"}""");
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        var body = (await Http.SendAsync(HttpMethod.Patch, $"{path}/cap", """{"storageClassName":"slow"}""", "application/merge-patch+json")).AssertStatus(422, "Invalid");
        Assert.That(body["message"]!.ToString(), Is.EqualTo("CSIStorageCapacity.storage.k8s.io \"cap\" is invalid: storageClassName: Invalid value: \"slow\": field is immutable"));
        var grown = await Http.SendAsync(HttpMethod.Patch, $"{path}/cap", """{"capacity":"2Gi"}""", "application/merge-patch+json");
        Assert.That(grown.Code, Is.EqualTo(HttpStatusCode.OK), grown.Body.ToJsonString());
    }

    [Test]
    public async Task VolumeAttachment_SpecIsImmutable_StatusIsWrittenThroughItsSubresource()
    {
        var created = await Http.SendAsync(HttpMethod.Post, $"{Storage}/volumeattachments",
            """{"metadata":{"name":"va-status"},"spec":{"attacher":"d.csi.io","source":{"persistentVolumeName":"pv-1"},"nodeName":"node-1"},"status":{"attached":true}}""");
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        Assert.That(created.Body["status"]?["attached"], Is.Null, "status is not set on create");

        var body = (await Http.SendAsync(HttpMethod.Patch, $"{Storage}/volumeattachments/va-status", """{"spec":{"nodeName":"node-2"}}""", "application/merge-patch+json")).AssertStatus(422, "Invalid");
        var cause = body["details"]!["causes"]![0]!;
        Assert.Multiple(() =>
        {
            Assert.That(cause["field"]!.ToString(), Is.EqualTo("spec"));
            Assert.That(cause["message"]!.ToString(), Does.EndWith("field is immutable"));
        });

        var attached = await Http.SendAsync(HttpMethod.Patch, $"{Storage}/volumeattachments/va-status/status",
            """{"status":{"attached":true,"attachmentMetadata":{"devicePath":"/dev/xvdba"}}}""", "application/merge-patch+json");
        Assert.That(attached.Code, Is.EqualTo(HttpStatusCode.OK), attached.Body.ToJsonString());
        var badCode = await Http.SendAsync(HttpMethod.Patch, $"{Storage}/volumeattachments/va-status/status",
            """{"status":{"attachError":{"message":"boom","errorCode":-1}}}""", "application/merge-patch+json");
        Assert.That(badCode.AssertStatus(422, "Invalid")["details"]!["causes"]![0]!["field"]!.ToString(), Is.EqualTo("status.attachError.errorCode"));

        var table = await Http.GetTableAsync($"{Storage}/volumeattachments?fieldSelector=metadata.name=va-status");
        Assert.Multiple(() =>
        {
            Assert.That(table.TableColumns(), Is.EqualTo(new[] { "Name", "Attacher", "PV", "Node", "Attached", "Age" }));
            Assert.That(table.SingleRowCells()[..5], Is.EqualTo(new[] { "va-status", "d.csi.io", "pv-1", "node-1", "true" }));
        });
    }

    [Test]
    public async Task VolumeAttributesClass_DriverAndParametersAreForbiddenToChange()
    {
        var created = await Http.SendAsync(HttpMethod.Post, $"{Storage}/volumeattributesclasses", """{"metadata":{"name":"silver"},"driverName":"d.csi.io","parameters":{"iops":"300"}}""");
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        var body = (await Http.SendAsync(HttpMethod.Patch, $"{Storage}/volumeattributesclasses/silver",
            """{"driverName":"e.csi.io","parameters":{"iops":"600"}}""", "application/merge-patch+json")).AssertStatus(422, "Invalid");
        Assert.That(body["details"]!["causes"]!.AsArray().Select(c => $"{c!["field"]}: {c["message"]}"), Is.EquivalentTo(new[]
        {
            "driverName: Forbidden: updates to driverName are forbidden.",
            "parameters: Forbidden: updates to parameters are forbidden.",
        }));
        var labelled = await Http.SendAsync(HttpMethod.Patch, $"{Storage}/volumeattributesclasses/silver", """{"metadata":{"labels":{"tier":"2"}}}""", "application/merge-patch+json");
        Assert.That(labelled.Code, Is.EqualTo(HttpStatusCode.OK), labelled.Body.ToJsonString());
    }

    [Test]
    public async Task IpAddress_ParentRefIsImmutable()
    {
        var created = await Http.SendAsync(HttpMethod.Post, $"{Networking}/ipaddresses",
            """{"metadata":{"name":"192.168.77.4"},"spec":{"parentRef":{"group":"gateway.networking.k8s.io","resource":"gateways","namespace":"infra","name":"gw"}}}""");
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        var body = (await Http.SendAsync(HttpMethod.Patch, $"{Networking}/ipaddresses/192.168.77.4",
            """{"spec":{"parentRef":{"name":"other"}}}""", "application/merge-patch+json")).AssertStatus(422, "Invalid");
        var cause = body["details"]!["causes"]![0]!;
        Assert.Multiple(() =>
        {
            Assert.That(cause["field"]!.ToString(), Is.EqualTo("spec.parentRef"));
            Assert.That(cause["message"]!.ToString(), Does.EndWith("field is immutable"));
        });

        var table = await Http.GetTableAsync($"{Networking}/ipaddresses?fieldSelector=metadata.name=192.168.77.4");
        Assert.Multiple(() =>
        {
            Assert.That(table.TableColumns(), Is.EqualTo(new[] { "Name", "ParentRef" }));
            Assert.That(table.SingleRowCells(), Is.EqualTo(new[] { "192.168.77.4", "gateways.gateway.networking.k8s.io/infra/gw" }));
        });
    }

    [Test]
    public async Task ServiceCidr_CidrsAreImmutable_ExceptGainingTheOtherFamily()
    {
        var created = await Http.SendAsync(HttpMethod.Post, $"{Networking}/servicecidrs", """{"metadata":{"name":"grow"},"spec":{"cidrs":["10.200.0.0/24"]}}""");
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        var changed = (await Http.SendAsync(HttpMethod.Patch, $"{Networking}/servicecidrs/grow", """{"spec":{"cidrs":["10.201.0.0/24"]}}""", "application/merge-patch+json")).AssertStatus(422, "Invalid");
        Assert.That(changed["message"]!.ToString(), Is.EqualTo("ServiceCIDR.networking.k8s.io \"grow\" is invalid: spec.cidrs[0]: Invalid value: \"10.201.0.0/24\": field is immutable"));
        var sameFamily = (await Http.SendAsync(HttpMethod.Patch, $"{Networking}/servicecidrs/grow", """{"spec":{"cidrs":["10.200.0.0/24","10.202.0.0/24"]}}""", "application/merge-patch+json")).AssertStatus(422, "Invalid");
        Assert.That(sameFamily["details"]!["causes"]![0]!["message"]!.ToString(), Does.Contain("may specify no more than one IP for each IP family"));

        var dual = await Http.SendAsync(HttpMethod.Patch, $"{Networking}/servicecidrs/grow", """{"spec":{"cidrs":["10.200.0.0/24","fd00:10:200::/112"]}}""", "application/merge-patch+json");
        Assert.That(dual.Code, Is.EqualTo(HttpStatusCode.OK), dual.Body.ToJsonString());
        var status = await Http.SendAsync(HttpMethod.Patch, $"{Networking}/servicecidrs/grow/status",
            """{"status":{"conditions":[{"type":"Ready","status":"True","reason":"Ready","message":"","lastTransitionTime":"2025-01-02T03:04:05Z"}]}}""", "application/merge-patch+json");
        Assert.That(status.Code, Is.EqualTo(HttpStatusCode.OK), status.Body.ToJsonString());
        Assert.That(status.Body["status"]!["conditions"]![0]!["type"]!.ToString(), Is.EqualTo("Ready"));

        var table = await Http.GetTableAsync($"{Networking}/servicecidrs?fieldSelector=metadata.name=grow");
        Assert.Multiple(() =>
        {
            Assert.That(table.TableColumns(), Is.EqualTo(new[] { "Name", "CIDRs", "Age" }));
            Assert.That(table.SingleRowCells()[..2], Is.EqualTo(new[] { "grow", "10.200.0.0/24,fd00:10:200::/112" }));
        });
    }

    // kube's stores answer a delete with the object for these kinds, with a Status for the others.
    [TestCase("storageclasses", """{"metadata":{"name":"del-sc"},"provisioner":"d.csi.io"}""", true)]
    [TestCase("csidrivers", """{"metadata":{"name":"del.csi.io"},"spec":{}}""", true)]
    [TestCase("csinodes", """{"metadata":{"name":"del-node"},"spec":{"drivers":[]}}""", true)]
    [TestCase("volumeattachments", """{"metadata":{"name":"del-va"},"spec":{"attacher":"d.csi.io","source":{"persistentVolumeName":"pv"},"nodeName":"n"}}""", true)]
    [TestCase("volumeattributesclasses", """{"metadata":{"name":"del-vac"},"driverName":"d.csi.io","parameters":{"a":"b"}}""", true)]
    [TestCase("ipaddresses", """{"metadata":{"name":"10.0.0.222"},"spec":{"parentRef":{"resource":"services","name":"s"}}}""", false)]
    [TestCase("servicecidrs", """{"metadata":{"name":"del-cidr"},"spec":{"cidrs":["10.220.0.0/24"]}}""", false)]
    public async Task Delete_AnswersAsKubesStoreDoes(string plural, string json, bool returnsObject)
    {
        var group = plural is "ipaddresses" or "servicecidrs" ? Networking : Storage;
        var created = await Http.SendAsync(HttpMethod.Post, $"{group}/{plural}", json);
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        var deleted = await Http.SendAsync(HttpMethod.Delete, $"{group}/{plural}/{created.Body["metadata"]!["name"]}");
        Assert.That(deleted.Code, Is.EqualTo(HttpStatusCode.OK), deleted.Body.ToJsonString());
        Assert.That(deleted.Body["kind"]!.ToString(), Is.EqualTo(returnsObject ? created.Body["kind"]!.ToString() : "Status"));
    }

    [Test]
    public async Task DefaultServiceCidr_HoldsTheServiceRange_AndIsReady()
    {
        var readyz = (await Http.SendAsync(HttpMethod.Get, "/readyz?verbose")).Body["text"]!.ToString();
        Assert.That(readyz, Does.Contain("[+]poststarthook/start-kubernetes-service-cidr-controller ok"));
        // The hook has run once the server is ready: the object exists, Ready, and holds the range of the kubernetes Service's IP.
        var cidr = await Http.SendAsync(HttpMethod.Get, $"{Networking}/servicecidrs/kubernetes");
        Assert.That(cidr.Code, Is.EqualTo(HttpStatusCode.OK), cidr.Body.ToJsonString());
        var service = (await Http.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/services/kubernetes")).Body;
        var ready = cidr.Body["status"]!["conditions"]!.AsArray().Single(c => c!["type"]!.ToString() == "Ready")!;
        Assert.Multiple(() =>
        {
            Assert.That(cidr.Body["spec"]!["cidrs"]!.AsArray().Select(c => c!.ToString()), Is.EqualTo(new[] { "10.0.0.0/24" }));
            Assert.That(service["spec"]!["clusterIP"]!.ToString(), Is.EqualTo("10.0.0.1"));
            Assert.That(ready["status"]!.ToString(), Is.EqualTo("True"));
            Assert.That(ready["message"]!.ToString(), Is.EqualTo("Kubernetes default Service CIDR is ready"));
        });
    }

    [Test]
    public async Task StorageTables_ShowKubesColumns()
    {
        var ns = await NewNamespaceAsync();
        await Http.SendAsync(HttpMethod.Post, $"{Storage}/csidrivers", """{"metadata":{"name":"table.csi.io"},"spec":{"tokenRequests":[{"audience":"vault"},{"audience":"sts"}]}}""");
        await Http.SendAsync(HttpMethod.Post, $"{Storage}/csinodes", """{"metadata":{"name":"table-node"},"spec":{"drivers":[{"name":"a.csi.io","nodeID":"1"},{"name":"b.csi.io","nodeID":"2"}]}}""");
        await Http.SendAsync(HttpMethod.Post, $"{Storage}/namespaces/{ns}/csistoragecapacities", """{"metadata":{"name":"cap"},"storageClassName":"fast"}""");
        await Http.SendAsync(HttpMethod.Post, $"{Storage}/volumeattributesclasses", """{"metadata":{"name":"table-vac"},"driverName":"d.csi.io","parameters":{"a":"b"}}""");

        var drivers = await Http.GetTableAsync($"{Storage}/csidrivers?fieldSelector=metadata.name=table.csi.io");
        var nodes = await Http.GetTableAsync($"{Storage}/csinodes?fieldSelector=metadata.name=table-node");
        var capacities = await Http.GetTableAsync($"{Storage}/namespaces/{ns}/csistoragecapacities");
        var classes = await Http.GetTableAsync($"{Storage}/volumeattributesclasses?fieldSelector=metadata.name=table-vac");
        Assert.Multiple(() =>
        {
            Assert.That(drivers.TableColumns(), Is.EqualTo(new[] { "Name", "AttachRequired", "PodInfoOnMount", "StorageCapacity", "TokenRequests", "RequiresRepublish", "Modes", "Age" }));
            Assert.That(drivers.SingleRowCells()[..7], Is.EqualTo(new[] { "table.csi.io", "true", "false", "false", "vault,sts", "false", "Persistent" }));
            Assert.That(nodes.TableColumns(), Is.EqualTo(new[] { "Name", "Drivers", "Age" }));
            Assert.That(nodes.SingleRowCells()[..2], Is.EqualTo(new[] { "table-node", "2" }));
            // kube serves capacities with the default table, not its printer's columns.
            Assert.That(capacities.TableColumns(), Is.EqualTo(new[] { "Name", "Created At" }));
            Assert.That(capacities.SingleRowCells()[0], Is.EqualTo("cap"));
            Assert.That(classes.TableColumns(), Is.EqualTo(new[] { "Name", "DriverName", "Age" }));
            Assert.That(classes.SingleRowCells()[..2], Is.EqualTo(new[] { "table-vac", "d.csi.io" }));
        });
    }

    [Test]
    public async Task ComponentStatuses_ReportTheStorageAsEtcd0_AndEveryComponentKubeLists()
    {
        var list = await Http.SendAsync(HttpMethod.Get, "/api/v1/componentstatuses");
        Assert.That(list.Code, Is.EqualTo(HttpStatusCode.OK), list.Body.ToJsonString());
        var items = list.Body["items"]!.AsArray().ToDictionary(i => i!["metadata"]!["name"]!.ToString(), i => i!["conditions"]!.AsArray().Single()!);
        Assert.Multiple(() =>
        {
            Assert.That(list.Body["kind"]!.ToString(), Is.EqualTo("ComponentStatusList"));
            Assert.That(items.Keys, Is.EquivalentTo(new[] { "controller-manager", "scheduler", "etcd-0" }));
            Assert.That(items["etcd-0"].ToJsonString(), Is.EqualTo("""{"type":"Healthy","status":"True","message":"ok"}"""));
            // Nothing in the test serves the scheduler's port: it answers, or kube's probe failure says why not.
            var scheduler = items["scheduler"];
            Assert.That(scheduler["type"]!.ToString(), Is.EqualTo("Healthy"));
            if (scheduler["status"]!.ToString() == "False")
            {
                Assert.That(scheduler["message"]!.ToString(), Does.StartWith("Get \"https://127.0.0.1:10259/healthz\": "));
            }
        });

        var one = await Http.SendAsync(HttpMethod.Get, "/api/v1/componentstatuses/etcd-0");
        Assert.That(one.Body["conditions"]![0]!["status"]!.ToString(), Is.EqualTo("True"), one.Body.ToJsonString());
        (await Http.SendAsync(HttpMethod.Get, "/api/v1/componentstatuses/kubelet")).AssertStatus(404, "NotFound");
        var byName = await Http.SendAsync(HttpMethod.Get, "/api/v1/componentstatuses?fieldSelector=metadata.name=etcd-0");
        Assert.That(byName.Body["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.ToString()), Is.EqualTo(new[] { "etcd-0" }));
        (await Http.SendAsync(HttpMethod.Post, "/api/v1/componentstatuses", """{"metadata":{"name":"x"}}""")).AssertStatus(405, "MethodNotAllowed");

        var table = await Http.GetTableAsync("/api/v1/componentstatuses/etcd-0");
        Assert.Multiple(() =>
        {
            Assert.That(table.TableColumns(), Is.EqualTo(new[] { "Name", "Status", "Message", "Error" }));
            Assert.That(table.SingleRowCells(), Is.EqualTo(new[] { "etcd-0", "Healthy", "ok", "" }));
        });
    }
}
