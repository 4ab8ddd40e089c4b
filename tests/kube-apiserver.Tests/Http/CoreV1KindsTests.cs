using System.Net;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace KubeApiserver.Tests.Http;

/// <summary>
/// The workload-facing kinds of core/v1 (pods first): discovery entries, kube's defaults, field
/// selectors, update restrictions, the status subresource and tables, as kube-apiserver 1.34.
/// </summary>
[TestFixture]
public sealed class CoreV1KindsTests : ServerFixture
{
    private static readonly string[] AllVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
    private static readonly string[] SubresourceVerbs = ["get", "patch", "update"];

    private const string PodJson = """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","labels":{"app":"web"}},"spec":{"containers":[{"name":"nginx","image":"nginx:1.27","ports":[{"containerPort":80}],"resources":{"limits":{"cpu":"100m","memory":"64Mi"}}}]}}""";

    private static readonly object[] Resources =
    [
        new object[] { "pods", "pod", "Pod", true, new[] { "po" }, new[] { "all" } },
        new object[] { "nodes", "node", "Node", false, new[] { "no" }, Array.Empty<string>() },
        new object[] { "persistentvolumes", "persistentvolume", "PersistentVolume", false, new[] { "pv" }, Array.Empty<string>() },
        new object[] { "persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim", true, new[] { "pvc" }, Array.Empty<string>() },
        new object[] { "endpoints", "endpoints", "Endpoints", true, new[] { "ep" }, Array.Empty<string>() },
        new object[] { "podtemplates", "podtemplate", "PodTemplate", true, Array.Empty<string>(), Array.Empty<string>() },
        new object[] { "limitranges", "limitrange", "LimitRange", true, new[] { "limits" }, Array.Empty<string>() },
        new object[] { "resourcequotas", "resourcequota", "ResourceQuota", true, new[] { "quota" }, Array.Empty<string>() },
        new object[] { "replicationcontrollers", "replicationcontroller", "ReplicationController", true, new[] { "rc" }, new[] { "all" } },
    ];

    [TestCaseSource(nameof(Resources))]
    public async Task Discovery_ReportsKubesEntry(string plural, string singular, string kind, bool namespaced, string[] shortNames, string[] categories)
    {
        var list = (await Http.SendAsync(HttpMethod.Get, "/api/v1")).Body;
        var entry = list["resources"]!.AsArray().Single(r => r!["name"]!.ToString() == plural)!;
        Assert.Multiple(() =>
        {
            Assert.That(entry["singularName"]!.ToString(), Is.EqualTo(singular));
            Assert.That(entry["kind"]!.ToString(), Is.EqualTo(kind));
            Assert.That(entry["namespaced"]!.GetValue<bool>(), Is.EqualTo(namespaced));
            Assert.That(entry["verbs"]!.AsArray().Select(v => v!.ToString()), Is.EquivalentTo(AllVerbs));
            Assert.That((entry["shortNames"] as JsonArray ?? []).Select(v => v!.ToString()), Is.EqualTo(shortNames));
            Assert.That((entry["categories"] as JsonArray ?? []).Select(v => v!.ToString()), Is.EqualTo(categories));
        });
    }

    [TestCase("pods/status")]
    [TestCase("nodes/status")]
    [TestCase("persistentvolumes/status")]
    [TestCase("persistentvolumeclaims/status")]
    [TestCase("resourcequotas/status")]
    [TestCase("replicationcontrollers/status")]
    [TestCase("replicationcontrollers/scale")]
    public async Task Discovery_ListsStatusSubresource(string name)
    {
        var resources = (await Http.SendAsync(HttpMethod.Get, "/api/v1")).Body["resources"]!.AsArray()
            .ToDictionary(r => r!["name"]!.ToString(), r => r!);
        Assert.That(resources.ContainsKey(name), Is.True, name);
        Assert.That(resources[name]["verbs"]!.AsArray().Select(v => v!.ToString()), Is.EquivalentTo(SubresourceVerbs));
    }

    [Test]
    public async Task Pod_GetsKubesDefaultsAndPendingStatus()
    {
        var ns = await NewNamespaceAsync();
        var created = await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods", PodJson);
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        var pod = created.Body;
        var spec = pod["spec"]!;
        var container = spec["containers"]![0]!;
        Assert.Multiple(() =>
        {
            Assert.That(pod["metadata"]!["generation"]!.GetValue<long>(), Is.EqualTo(1));
            Assert.That(spec["restartPolicy"]!.ToString(), Is.EqualTo("Always"));
            Assert.That(spec["dnsPolicy"]!.ToString(), Is.EqualTo("ClusterFirst"));
            Assert.That(spec["schedulerName"]!.ToString(), Is.EqualTo("default-scheduler"));
            Assert.That(spec["terminationGracePeriodSeconds"]!.GetValue<long>(), Is.EqualTo(30));
            Assert.That(spec["enableServiceLinks"]!.GetValue<bool>(), Is.True);
            Assert.That(spec["serviceAccountName"]!.ToString(), Is.EqualTo("default"));
            Assert.That(spec["priority"]!.GetValue<int>(), Is.EqualTo(0));
            Assert.That(spec["preemptionPolicy"]!.ToString(), Is.EqualTo("PreemptLowerPriority"));
            Assert.That(spec["tolerations"]!.AsArray().Select(t => t!["key"]!.ToString()),
                Is.EqualTo(new[] { "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable" }));
            Assert.That(container["imagePullPolicy"]!.ToString(), Is.EqualTo("IfNotPresent"));
            Assert.That(container["terminationMessagePath"]!.ToString(), Is.EqualTo("/dev/termination-log"));
            Assert.That(container["ports"]![0]!["protocol"]!.ToString(), Is.EqualTo("TCP"));
            Assert.That(container["resources"]!["requests"]!["cpu"]!.ToString(), Is.EqualTo("100m"));
            Assert.That(pod["status"]!["phase"]!.ToString(), Is.EqualTo("Pending"));
            Assert.That(pod["status"]!["qosClass"]!.ToString(), Is.EqualTo("Guaranteed"));
        });
        var got = await Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods/web");
        Assert.That(JsonNode.DeepEquals(got.Body["spec"], spec), Is.True);
    }

    [Test]
    public async Task Pod_Invalid_AnswersKubesCauses()
    {
        var ns = await NewNamespaceAsync();
        var body = """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"bad"},"spec":{"restartPolicy":"Sometimes","containers":[{"name":"Bad_Name","image":""}]}}""";
        var status = (await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods", body)).AssertStatus(422, "Invalid");
        var fields = status["details"]!["causes"]!.AsArray().Select(c => c!["field"]!.ToString()).ToList();
        Assert.That(fields, Does.Contain("spec.restartPolicy").And.Contain("spec.containers[0].name").And.Contain("spec.containers[0].image"));
    }

    [Test]
    public async Task Pod_FieldSelectors_SelectByNodeAndPhase()
    {
        var ns = await NewNamespaceAsync();
        await CreatePodAsync(ns, "a", """ "nodeName":"node-1", """);
        await CreatePodAsync(ns, "b", "");
        var onNode = await Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods?fieldSelector=spec.nodeName%3Dnode-1");
        var unscheduled = await Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods?fieldSelector=spec.nodeName%3D");
        var pending = await Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods?fieldSelector=status.phase%3DPending");
        var running = await Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods?fieldSelector=status.phase%3DRunning,spec.restartPolicy%3DAlways");
        Assert.Multiple(() =>
        {
            Assert.That(Names(onNode.Body), Is.EqualTo(new[] { "a" }));
            Assert.That(Names(unscheduled.Body), Is.EqualTo(new[] { "b" }));
            Assert.That(Names(pending.Body), Is.EquivalentTo(new[] { "a", "b" }));
            Assert.That(Names(running.Body), Is.Empty);
        });
        (await Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods?fieldSelector=spec.image%3Dx")).AssertStatus(400, "BadRequest");
    }

    [Test]
    public async Task Pod_Update_MayChangeOnlyWhatKubeAllows()
    {
        var ns = await NewNamespaceAsync();
        var path = $"/api/v1/namespaces/{ns}/pods/web";
        await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods", PodJson);
        var image = await Http.SendAsync(HttpMethod.Patch, path, """{"spec":{"containers":[{"name":"nginx","image":"nginx:1.28"}],"activeDeadlineSeconds":60}}""", "application/strategic-merge-patch+json");
        Assert.That(image.Code, Is.EqualTo(HttpStatusCode.OK), image.Body.ToJsonString());
        Assert.Multiple(() =>
        {
            Assert.That(image.Body["spec"]!["containers"]![0]!["image"]!.ToString(), Is.EqualTo("nginx:1.28"));
            Assert.That(image.Body["metadata"]!["generation"]!.GetValue<long>(), Is.EqualTo(2));
        });
        var forbidden = (await Http.SendAsync(HttpMethod.Patch, path, """{"spec":{"restartPolicy":"Never"}}""", "application/merge-patch+json")).AssertStatus(422, "Invalid");
        var cause = forbidden["details"]!["causes"]![0]!;
        Assert.Multiple(() =>
        {
            Assert.That(cause["reason"]!.ToString(), Is.EqualTo("FieldValueForbidden"));
            Assert.That(cause["field"]!.ToString(), Is.EqualTo("spec"));
            Assert.That(cause["message"]!.ToString(), Does.StartWith("Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n"));
        });
        var longer = (await Http.SendAsync(HttpMethod.Patch, path, """{"spec":{"activeDeadlineSeconds":600}}""", "application/merge-patch+json")).AssertStatus(422, "Invalid");
        Assert.That(longer["details"]!["causes"]![0]!["message"]!.ToString(), Is.EqualTo("Invalid value: 600: must be less than or equal to previous value"));
    }

    [Test]
    public async Task Pod_StatusSubresource_WritesOnlyStatus()
    {
        var ns = await NewNamespaceAsync();
        var path = $"/api/v1/namespaces/{ns}/pods/web";
        await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods", PodJson);
        var status = await Http.SendAsync(HttpMethod.Patch, path + "/status",
            """{"spec":{"nodeName":"ignored"},"status":{"phase":"Running","podIP":"10.0.0.7","containerStatuses":[{"name":"nginx","ready":true,"restartCount":2,"image":"nginx:1.27","imageID":"","state":{"running":{}}}]}}""",
            "application/merge-patch+json");
        Assert.That(status.Code, Is.EqualTo(HttpStatusCode.OK), status.Body.ToJsonString());
        Assert.Multiple(() =>
        {
            Assert.That(status.Body["status"]!["phase"]!.ToString(), Is.EqualTo("Running"));
            Assert.That(status.Body["spec"]!["nodeName"], Is.Null);
        });
        // A main-resource write leaves the status alone.
        var labelled = await Http.SendAsync(HttpMethod.Patch, path, """{"metadata":{"labels":{"x":"y"}},"status":{"phase":"Failed"}}""", "application/merge-patch+json");
        Assert.That(labelled.Body["status"]!["phase"]!.ToString(), Is.EqualTo("Running"));

        var table = await TableAsync($"/api/v1/namespaces/{ns}/pods");
        var columns = table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.ToString());
        Assert.That(columns, Is.EqualTo(new[] { "Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates" }));
        var cells = table["rows"]![0]!["cells"]!.AsArray().Select(c => c!.ToString()).ToList();
        Assert.That(cells.Take(4).Concat(cells.Skip(5)), Is.EqualTo(new[] { "web", "1/1", "Running", "2", "10.0.0.7", "<none>", "<none>", "<none>" }));
    }

    [Test]
    public async Task Node_RoundTrips_WithGosEmptyStatus_AndKubesTable()
    {
        var created = await Http.SendAsync(HttpMethod.Post, "/api/v1/nodes",
            """{"apiVersion":"v1","kind":"Node","metadata":{"name":"node-rt","labels":{"node-role.kubernetes.io/control-plane":""}},"spec":{"podCIDR":"10.244.0.0/24"}}""");
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        Assert.Multiple(() =>
        {
            Assert.That(created.Body["metadata"]!["namespace"], Is.Null);
            Assert.That(created.Body["status"]!["nodeInfo"]!["kubeletVersion"]!.ToString(), Is.Empty);
            Assert.That(created.Body["status"]!["daemonEndpoints"]!["kubeletEndpoint"]!["Port"]!.GetValue<int>(), Is.EqualTo(0));
        });
        var status = await Http.SendAsync(HttpMethod.Patch, "/api/v1/nodes/node-rt/status",
            """{"status":{"conditions":[{"type":"Ready","status":"True"}],"nodeInfo":{"kubeletVersion":"v1.34.0"},"addresses":[{"type":"InternalIP","address":"10.0.0.1"}]}}""", "application/merge-patch+json");
        Assert.That(status.Code, Is.EqualTo(HttpStatusCode.OK), status.Body.ToJsonString());
        var table = await TableAsync("/api/v1/nodes?fieldSelector=metadata.name%3Dnode-rt");
        var cells = table["rows"]![0]!["cells"]!.AsArray().Select(c => c!.ToString()).ToList();
        Assert.That(cells.Take(3).Concat(cells.Skip(4)), Is.EqualTo(new[] { "node-rt", "Ready", "control-plane", "v1.34.0", "10.0.0.1", "<none>", "<unknown>", "<unknown>", "<unknown>" }));
    }

    [Test]
    public async Task PersistentVolumeAndClaim_GetKubesDefaultsAndTables()
    {
        var ns = await NewNamespaceAsync();
        var pv = await Http.SendAsync(HttpMethod.Post, "/api/v1/persistentvolumes",
            """{"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"pv-rt"},"spec":{"capacity":{"storage":"1Gi"},"accessModes":["ReadWriteOnce","ReadOnlyMany"],"hostPath":{"path":"/data"},"storageClassName":"manual"}}""");
        Assert.That(pv.Code, Is.EqualTo(HttpStatusCode.Created), pv.Body.ToJsonString());
        Assert.Multiple(() =>
        {
            Assert.That(pv.Body["spec"]!["persistentVolumeReclaimPolicy"]!.ToString(), Is.EqualTo("Retain"));
            Assert.That(pv.Body["spec"]!["volumeMode"]!.ToString(), Is.EqualTo("Filesystem"));
            Assert.That(pv.Body["status"]!["phase"]!.ToString(), Is.EqualTo("Pending"));
        });
        var pvTable = await TableAsync("/api/v1/persistentvolumes?fieldSelector=metadata.name%3Dpv-rt");
        Assert.That(pvTable["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.ToString()),
            Is.EqualTo(new[] { "Name", "Capacity", "Access Modes", "Reclaim Policy", "Status", "Claim", "StorageClass", "VolumeAttributesClass", "Reason", "Age", "VolumeMode" }));
        var pvCells = pvTable["rows"]![0]!["cells"]!.AsArray().Select(c => c!.ToString()).ToList();
        Assert.That(pvCells.Take(9), Is.EqualTo(new[] { "pv-rt", "1Gi", "RWO,ROX", "Retain", "Pending", "", "manual", "<unset>", "" }));

        var noSource = await Http.SendAsync(HttpMethod.Post, "/api/v1/persistentvolumes",
            """{"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"pv-bad"},"spec":{"capacity":{"storage":"1Gi"}}}""");
        var causes = noSource.AssertStatus(422, "Invalid")["details"]!["causes"]!.AsArray().Select(c => c!["field"]!.ToString());
        Assert.That(causes, Does.Contain("spec.accessModes").And.Contain("spec"));

        var pvc = await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/persistentvolumeclaims",
            """{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"data"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}},"storageClassName":"manual"}}""");
        Assert.That(pvc.Code, Is.EqualTo(HttpStatusCode.Created), pvc.Body.ToJsonString());
        Assert.Multiple(() =>
        {
            Assert.That(pvc.Body["spec"]!["volumeMode"]!.ToString(), Is.EqualTo("Filesystem"));
            Assert.That(pvc.Body["status"]!["phase"]!.ToString(), Is.EqualTo("Pending"));
        });
        var pvcPath = $"/api/v1/namespaces/{ns}/persistentvolumeclaims/data";
        var forbidden = (await Http.SendAsync(HttpMethod.Patch, pvcPath, """{"spec":{"storageClassName":"other"}}""", "application/merge-patch+json")).AssertStatus(422, "Invalid");
        Assert.That(forbidden["details"]!["causes"]![0]!["message"]!.ToString(), Does.StartWith("Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"));
        var bind = await Http.SendAsync(HttpMethod.Patch, pvcPath, """{"spec":{"volumeName":"pv-rt"}}""", "application/merge-patch+json");
        Assert.That(bind.Code, Is.EqualTo(HttpStatusCode.OK), bind.Body.ToJsonString());
        var bound = await Http.SendAsync(HttpMethod.Patch, pvcPath + "/status", """{"status":{"phase":"Bound","capacity":{"storage":"1Gi"},"accessModes":["ReadWriteOnce"]}}""", "application/merge-patch+json");
        Assert.That(bound.Code, Is.EqualTo(HttpStatusCode.OK), bound.Body.ToJsonString());
        var pvcCells = (await TableAsync($"/api/v1/namespaces/{ns}/persistentvolumeclaims"))["rows"]![0]!["cells"]!.AsArray().Select(c => c!.ToString()).ToList();
        Assert.That(pvcCells.Take(7), Is.EqualTo(new[] { "data", "Bound", "pv-rt", "1Gi", "RWO", "manual", "<unset>" }));
    }

    [Test]
    public async Task EndpointsPodTemplatesLimitRangesAndQuotas_RoundTripWithDefaults()
    {
        var ns = await NewNamespaceAsync();
        var ep = await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/endpoints",
            """{"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"web"},"subsets":[{"addresses":[{"ip":"10.0.0.1"},{"ip":"10.0.0.2"}],"ports":[{"port":80},{"port":443}]}]}""");
        Assert.That(ep.Code, Is.EqualTo(HttpStatusCode.Created), ep.Body.ToJsonString());
        Assert.That(ep.Body["subsets"]![0]!["ports"]![0]!["protocol"]!.ToString(), Is.EqualTo("TCP"));
        var epCells = (await TableAsync($"/api/v1/namespaces/{ns}/endpoints"))["rows"]![0]!["cells"]!.AsArray().Select(c => c!.ToString()).ToList();
        Assert.That(epCells[1], Is.EqualTo("10.0.0.1:80,10.0.0.1:443,10.0.0.2:80 + 1 more..."));
        (await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/endpoints",
            """{"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"bad"},"subsets":[{"addresses":[{"ip":"nope"}],"ports":[{"port":0}]}]}""")).AssertStatus(422, "Invalid");

        var template = await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/podtemplates",
            """{"apiVersion":"v1","kind":"PodTemplate","metadata":{"name":"t"},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}""");
        Assert.That(template.Code, Is.EqualTo(HttpStatusCode.Created), template.Body.ToJsonString());
        Assert.That(template.Body["template"]!["spec"]!["restartPolicy"]!.ToString(), Is.EqualTo("Always"));
        var tCells = (await TableAsync($"/api/v1/namespaces/{ns}/podtemplates"))["rows"]![0]!["cells"]!.AsArray().Select(c => c!.ToString());
        Assert.That(tCells, Is.EqualTo(new[] { "t", "c", "nginx", "app=web" }));

        var limits = await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/limitranges",
            """{"apiVersion":"v1","kind":"LimitRange","metadata":{"name":"l"},"spec":{"limits":[{"type":"Container","max":{"cpu":"1"},"min":{"memory":"64Mi"}}]}}""");
        Assert.That(limits.Code, Is.EqualTo(HttpStatusCode.Created), limits.Body.ToJsonString());
        var item = limits.Body["spec"]!["limits"]![0]!;
        Assert.Multiple(() =>
        {
            Assert.That(item["default"]!["cpu"]!.ToString(), Is.EqualTo("1"));
            Assert.That(item["defaultRequest"]!["cpu"]!.ToString(), Is.EqualTo("1"));
            Assert.That(item["defaultRequest"]!["memory"]!.ToString(), Is.EqualTo("64Mi"));
        });

        var quota = await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/resourcequotas",
            """{"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"q"},"spec":{"hard":{"pods":"10","limits.cpu":"4"}},"status":{"hard":{"pods":"99"}}}""");
        Assert.That(quota.Code, Is.EqualTo(HttpStatusCode.Created), quota.Body.ToJsonString());
        Assert.That(quota.Body["status"]!.AsObject(), Is.Empty);
        await Http.SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{ns}/resourcequotas/q/status",
            """{"status":{"hard":{"pods":"10","limits.cpu":"4"},"used":{"pods":"1"}}}""", "application/merge-patch+json");
        var qCells = (await TableAsync($"/api/v1/namespaces/{ns}/resourcequotas"))["rows"]![0]!["cells"]!.AsArray().Select(c => c!.ToString()).ToList();
        Assert.That(new[] { qCells[2], qCells[3] }, Is.EqualTo(new[] { "pods: 1/10", "limits.cpu: 0/4" }));
    }

    [Test]
    public async Task ReplicationController_DefaultsSelectorAndScales()
    {
        var ns = await NewNamespaceAsync();
        var path = $"/api/v1/namespaces/{ns}/replicationcontrollers";
        var rc = await Http.SendAsync(HttpMethod.Post, path,
            """{"apiVersion":"v1","kind":"ReplicationController","metadata":{"name":"web"},"spec":{"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx:1.27"}]}}}}""");
        Assert.That(rc.Code, Is.EqualTo(HttpStatusCode.Created), rc.Body.ToJsonString());
        Assert.Multiple(() =>
        {
            Assert.That(rc.Body["spec"]!["selector"]!["app"]!.ToString(), Is.EqualTo("web"));
            Assert.That(rc.Body["metadata"]!["labels"]!["app"]!.ToString(), Is.EqualTo("web"));
            Assert.That(rc.Body["spec"]!["replicas"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(rc.Body["metadata"]!["generation"]!.GetValue<long>(), Is.EqualTo(1));
            Assert.That(rc.Body["status"]!["replicas"]!.GetValue<int>(), Is.EqualTo(0));
        });
        var scale = await Http.SendAsync(HttpMethod.Patch, path + "/web/scale", """{"spec":{"replicas":3}}""", "application/merge-patch+json");
        Assert.That(scale.Code, Is.EqualTo(HttpStatusCode.OK), scale.Body.ToJsonString());
        Assert.Multiple(() =>
        {
            Assert.That(scale.Body["kind"]!.ToString(), Is.EqualTo("Scale"));
            Assert.That(scale.Body["spec"]!["replicas"]!.GetValue<int>(), Is.EqualTo(3));
            Assert.That(scale.Body["status"]!["selector"]!.ToString(), Is.EqualTo("app=web"));
        });
        var cells = (await TableAsync(path))["rows"]![0]!["cells"]!.AsArray().Select(c => c!.ToString()).ToList();
        Assert.That(cells.Take(4).Concat(cells.Skip(5)), Is.EqualTo(new[] { "web", "3", "0", "0", "c", "nginx:1.27", "app=web" }));
        var mismatch = await Http.SendAsync(HttpMethod.Post, path,
            """{"apiVersion":"v1","kind":"ReplicationController","metadata":{"name":"bad"},"spec":{"selector":{"app":"x"},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}""");
        Assert.That(mismatch.AssertStatus(422, "Invalid")["details"]!["causes"]![0]!["field"]!.ToString(), Is.EqualTo("spec.template.metadata.labels"));
    }

    [Test]
    public async Task Pod_CreatedAsProtobuf_AsKubectl133SendsIt()
    {
        var ns = await NewNamespaceAsync();
        static byte[] Message(Action<Google.Protobuf.CodedOutputStream> write)
        {
            using var buffer = new MemoryStream();
            var output = new Google.Protobuf.CodedOutputStream(buffer);
            write(output);
            output.Flush();
            return buffer.ToArray();
        }
        static void Bytes(Google.Protobuf.CodedOutputStream o, int field, byte[] value)
        {
            o.WriteTag(field, Google.Protobuf.WireFormat.WireType.LengthDelimited);
            o.WriteBytes(Google.Protobuf.ByteString.CopyFrom(value));
        }
        static void Text(Google.Protobuf.CodedOutputStream o, int field, string value)
        {
            o.WriteTag(field, Google.Protobuf.WireFormat.WireType.LengthDelimited);
            o.WriteString(value);
        }
        var container = Message(o => { Text(o, 1, "c"); Text(o, 2, "nginx:1.27"); });
        var pod = Message(o =>
        {
            Bytes(o, 1, Message(m => Text(m, 1, "proto")));
            Bytes(o, 2, Message(spec => { Bytes(spec, 2, container); Text(spec, 3, "Never"); }));
        });
        var unknown = Message(o =>
        {
            Bytes(o, 1, Message(t => { Text(t, 1, "v1"); Text(t, 2, "Pod"); }));
            Bytes(o, 2, pod);
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods")
        {
            Content = new ByteArrayContent([.. "k8s\0"u8.ToArray(), .. unknown]),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/vnd.kubernetes.protobuf");
        request.Headers.TryAddWithoutValidation("Accept", "application/json");
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), text);
        var created = JsonNode.Parse(text)!;
        Assert.Multiple(() =>
        {
            Assert.That(created["spec"]!["restartPolicy"]!.ToString(), Is.EqualTo("Never"));
            Assert.That(created["spec"]!["containers"]![0]!["imagePullPolicy"]!.ToString(), Is.EqualTo("IfNotPresent"));
            Assert.That(created["status"]!["phase"]!.ToString(), Is.EqualTo("Pending"));
        });
    }

    private async Task CreatePodAsync(string ns, string name, string extraSpec)
    {
        var body = $$$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}"},"spec":{ {{{extraSpec}}} "containers":[{"name":"c","image":"busybox"}]}}""";
        var created = await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods", body);
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
    }

    private static IEnumerable<string> Names(JsonObject list) =>
        list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.ToString());

    private async Task<JsonObject> TableAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io");
        using var response = await Http.SendAsync(request);
        return (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }
}
