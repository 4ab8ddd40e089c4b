using System.Net;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace KubeApiserver.Tests.Http;

/// <summary>
/// apps/v1: discovery with the status and scale subresources, kube's defaults, generation, the
/// scale subresource, validation and tables, as kube-apiserver 1.34.
/// </summary>
[TestFixture]
public sealed class AppsTests : ServerFixture
{
    private static readonly string[] AllVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
    private static readonly string[] SubresourceVerbs = ["get", "patch", "update"];

    private const string Template = """{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"nginx","image":"nginx:1.27","ports":[{"containerPort":80}]}]}}""";
    private const string DeploymentJson = """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"}},"spec":{"selector":{"matchLabels":{"app":"web"}},"template":""" + Template + "}}";

    private static readonly object[] Resources =
    [
        new object[] { "deployments", "deployment", "Deployment", new[] { "deploy" }, new[] { "all" } },
        new object[] { "replicasets", "replicaset", "ReplicaSet", new[] { "rs" }, new[] { "all" } },
        new object[] { "statefulsets", "statefulset", "StatefulSet", new[] { "sts" }, new[] { "all" } },
        new object[] { "daemonsets", "daemonset", "DaemonSet", new[] { "ds" }, new[] { "all" } },
        new object[] { "controllerrevisions", "controllerrevision", "ControllerRevision", Array.Empty<string>(), Array.Empty<string>() },
    ];

    [TestCaseSource(nameof(Resources))]
    public async Task Discovery_ReportsKubesEntry(string plural, string singular, string kind, string[] shortNames, string[] categories)
    {
        var list = (await Http.SendAsync(HttpMethod.Get, "/apis/apps/v1")).Body;
        var entry = list["resources"]!.AsArray().Single(r => r!["name"]!.ToString() == plural)!;
        Assert.Multiple(() =>
        {
            Assert.That(entry["singularName"]!.ToString(), Is.EqualTo(singular));
            Assert.That(entry["kind"]!.ToString(), Is.EqualTo(kind));
            Assert.That(entry["namespaced"]!.GetValue<bool>(), Is.True);
            Assert.That(entry["verbs"]!.AsArray().Select(v => v!.ToString()), Is.EquivalentTo(AllVerbs));
            Assert.That((entry["shortNames"] as JsonArray ?? []).Select(v => v!.ToString()), Is.EqualTo(shortNames));
            Assert.That((entry["categories"] as JsonArray ?? []).Select(v => v!.ToString()), Is.EqualTo(categories));
        });
    }

    [Test]
    public async Task Discovery_ListsStatusAndScaleSubresources()
    {
        var resources = (await Http.SendAsync(HttpMethod.Get, "/apis/apps/v1")).Body["resources"]!.AsArray()
            .ToDictionary(r => r!["name"]!.ToString(), r => r!);
        Assert.Multiple(() =>
        {
            foreach (var name in new[] { "deployments/status", "replicasets/status", "statefulsets/status", "daemonsets/status" })
            {
                Assert.That(resources.ContainsKey(name), Is.True, name);
                Assert.That(resources[name]["verbs"]!.AsArray().Select(v => v!.ToString()), Is.EquivalentTo(SubresourceVerbs), name);
            }
            foreach (var name in new[] { "deployments/scale", "replicasets/scale", "statefulsets/scale" })
            {
                Assert.That(resources.ContainsKey(name), Is.True, name);
                Assert.That(resources[name]["kind"]!.ToString(), Is.EqualTo("Scale"), name);
                Assert.That(resources[name]["group"]!.ToString(), Is.EqualTo("autoscaling"), name);
                Assert.That(resources[name]["version"]!.ToString(), Is.EqualTo("v1"), name);
                Assert.That(resources[name]["singularName"]!.ToString(), Is.Empty, name);
                Assert.That(resources[name]["verbs"]!.AsArray().Select(v => v!.ToString()), Is.EquivalentTo(SubresourceVerbs), name);
            }
            Assert.That(resources.ContainsKey("daemonsets/scale"), Is.False);
            Assert.That(resources.ContainsKey("controllerrevisions/status"), Is.False);
        });
    }

    [Test]
    public async Task Deployment_GetsKubesDefaults()
    {
        var ns = await NewNamespaceAsync();
        var created = await Http.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/deployments", DeploymentJson);
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        var d = created.Body;
        var pod = d["spec"]!["template"]!["spec"]!;
        var container = pod["containers"]![0]!;
        Assert.Multiple(() =>
        {
            Assert.That(d["metadata"]!["generation"]!.GetValue<long>(), Is.EqualTo(1));
            Assert.That(d["spec"]!["replicas"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(d["spec"]!["strategy"]!.ToJsonString(), Is.EqualTo("""{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"25%","maxSurge":"25%"}}"""));
            Assert.That(d["spec"]!["revisionHistoryLimit"]!.GetValue<int>(), Is.EqualTo(10));
            Assert.That(d["spec"]!["progressDeadlineSeconds"]!.GetValue<int>(), Is.EqualTo(600));
            Assert.That(pod["restartPolicy"]!.ToString(), Is.EqualTo("Always"));
            Assert.That(pod["dnsPolicy"]!.ToString(), Is.EqualTo("ClusterFirst"));
            Assert.That(pod["schedulerName"]!.ToString(), Is.EqualTo("default-scheduler"));
            Assert.That(pod["terminationGracePeriodSeconds"]!.GetValue<int>(), Is.EqualTo(30));
            Assert.That(pod["securityContext"]!.ToJsonString(), Is.EqualTo("{}"));
            Assert.That(container["imagePullPolicy"]!.ToString(), Is.EqualTo("IfNotPresent"));
            Assert.That(container["terminationMessagePath"]!.ToString(), Is.EqualTo("/dev/termination-log"));
            Assert.That(container["terminationMessagePolicy"]!.ToString(), Is.EqualTo("File"));
            Assert.That(container["ports"]![0]!["protocol"]!.ToString(), Is.EqualTo("TCP"));
            Assert.That(d["status"]!.ToJsonString(), Is.EqualTo("{}"));
        });
    }

    [TestCase("nginx", "Always")]
    [TestCase("nginx:latest", "Always")]
    [TestCase("registry:5000/nginx", "Always")]
    [TestCase("registry:5000/nginx:1.2", "IfNotPresent")]
    [TestCase("nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "IfNotPresent")]
    public async Task ImagePullPolicy_DependsOnTheTag(string image, string policy)
    {
        var ns = await NewNamespaceAsync();
        var body = DeploymentJson.Replace("nginx:1.27", image);
        var created = await Http.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/deployments", body);
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        Assert.That(created.Body["spec"]!["template"]!["spec"]!["containers"]![0]!["imagePullPolicy"]!.ToString(), Is.EqualTo(policy));
    }

    [Test]
    public async Task StatefulSetDaemonSetReplicaSet_GetKubesDefaults()
    {
        var ns = await NewNamespaceAsync();
        var sts = await Http.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/statefulsets",
            """{"metadata":{"name":"db"},"spec":{"serviceName":"db","selector":{"matchLabels":{"app":"web"}},"template":""" + Template + "}}");
        var ds = await Http.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/daemonsets",
            """{"metadata":{"name":"agent"},"spec":{"selector":{"matchLabels":{"app":"web"}},"template":""" + Template + "}}");
        var rs = await Http.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/replicasets",
            """{"metadata":{"name":"web-1"},"spec":{"selector":{"matchLabels":{"app":"web"}},"template":""" + Template + "}}");
        Assert.Multiple(() =>
        {
            Assert.That(sts.Code, Is.EqualTo(HttpStatusCode.Created), sts.Body.ToJsonString());
            Assert.That(ds.Code, Is.EqualTo(HttpStatusCode.Created), ds.Body.ToJsonString());
            Assert.That(rs.Code, Is.EqualTo(HttpStatusCode.Created), rs.Body.ToJsonString());
        });
        Assert.Multiple(() =>
        {
            var s = sts.Body["spec"]!;
            Assert.That(s["replicas"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(s["podManagementPolicy"]!.ToString(), Is.EqualTo("OrderedReady"));
            Assert.That(s["updateStrategy"]!.ToJsonString(), Is.EqualTo("""{"type":"RollingUpdate","rollingUpdate":{"partition":0}}"""));
            Assert.That(s["revisionHistoryLimit"]!.GetValue<int>(), Is.EqualTo(10));
            Assert.That(s["persistentVolumeClaimRetentionPolicy"]!.ToJsonString(), Is.EqualTo("""{"whenDeleted":"Retain","whenScaled":"Retain"}"""));
            Assert.That(s["template"]!["spec"]!["restartPolicy"]!.ToString(), Is.EqualTo("Always"));
            var d = ds.Body["spec"]!;
            Assert.That(d["updateStrategy"]!.ToJsonString(), Is.EqualTo("""{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":1,"maxSurge":0}}"""));
            Assert.That(d["revisionHistoryLimit"]!.GetValue<int>(), Is.EqualTo(10));
            Assert.That(ds.Body["metadata"]!["generation"]!.GetValue<long>(), Is.EqualTo(1));
            Assert.That(rs.Body["spec"]!["replicas"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(rs.Body["spec"]!["template"]!["spec"]!["containers"]![0]!["imagePullPolicy"]!.ToString(), Is.EqualTo("IfNotPresent"));
        });
    }

    // Realistic objects written with every default, so that they come back unchanged.
    private static readonly object[] Objects =
    [
        new object[] { "deployments", """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"api","labels":{"app":"api"},"annotations":{"deployment.kubernetes.io/revision":"1"}},"spec":{"replicas":3,"selector":{"matchLabels":{"app":"api"},"matchExpressions":[{"key":"tier","operator":"In","values":["backend"]}]},"template":{"metadata":{"labels":{"app":"api","tier":"backend"}},"spec":{"containers":[{"name":"api","image":"example.com/api:2.1.0","args":["--port=8080"],"ports":[{"name":"http","containerPort":8080,"protocol":"TCP"}],"env":[{"name":"POD_NAME","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"metadata.name"}}}],"resources":{"limits":{"cpu":"500m","memory":"256Mi"},"requests":{"cpu":"100m","memory":"128Mi"}},"volumeMounts":[{"name":"config","mountPath":"/etc/api"}],"readinessProbe":{"httpGet":{"path":"/healthz","port":"http","scheme":"HTTP"},"timeoutSeconds":1,"periodSeconds":10,"successThreshold":1,"failureThreshold":3},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","imagePullPolicy":"IfNotPresent"}],"volumes":[{"name":"config","configMap":{"name":"api-config","defaultMode":420}}],"restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst","securityContext":{},"schedulerName":"default-scheduler"}},"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":0,"maxSurge":1}},"minReadySeconds":5,"revisionHistoryLimit":5,"progressDeadlineSeconds":300},"status":{}}""" },
        new object[] { "statefulsets", """{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"db"}},"template":{"metadata":{"labels":{"app":"db"}},"spec":{"containers":[{"name":"postgres","image":"postgres:17","ports":[{"containerPort":5432,"protocol":"TCP"}],"resources":{},"volumeMounts":[{"name":"data","mountPath":"/var/lib/postgresql/data"}],"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","imagePullPolicy":"IfNotPresent"}],"restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst","securityContext":{"fsGroup":999},"schedulerName":"default-scheduler"}},"serviceName":"db","podManagementPolicy":"Parallel","updateStrategy":{"type":"OnDelete"},"revisionHistoryLimit":10,"persistentVolumeClaimRetentionPolicy":{"whenDeleted":"Delete","whenScaled":"Retain"}},"status":{}}""" },
        new object[] { "daemonsets", """{"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"node-agent"},"spec":{"selector":{"matchLabels":{"app":"agent"}},"template":{"metadata":{"labels":{"app":"agent"}},"spec":{"containers":[{"name":"agent","image":"example.com/agent:latest","resources":{},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","imagePullPolicy":"Always"}],"restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst","nodeSelector":{"kubernetes.io/os":"linux"},"securityContext":{},"schedulerName":"default-scheduler","tolerations":[{"operator":"Exists"}]}},"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"10%","maxSurge":0}},"revisionHistoryLimit":10},"status":{}}""" },
        new object[] { "replicasets", """{"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"web-5d4f8","labels":{"app":"web","pod-template-hash":"5d4f8"}},"spec":{"replicas":0,"selector":{"matchLabels":{"app":"web","pod-template-hash":"5d4f8"}},"template":{"metadata":{"labels":{"app":"web","pod-template-hash":"5d4f8"}},"spec":{"containers":[{"name":"web","image":"nginx:1.27","resources":{},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","imagePullPolicy":"IfNotPresent"}],"restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst","securityContext":{},"schedulerName":"default-scheduler"}}},"status":{}}""" },
        new object[] { "controllerrevisions", """{"apiVersion":"apps/v1","kind":"ControllerRevision","metadata":{"name":"db-7c9f","labels":{"controller.kubernetes.io/hash":"7c9f"}},"data":{"spec":{"template":{"$patch":"replace","metadata":{"labels":{"app":"db"}}}}},"revision":2}""" },
    ];

    [TestCaseSource(nameof(Objects))]
    public async Task RealisticObject_RoundTripsUnchanged(string plural, string json)
    {
        var input = JsonNode.Parse(json)!.AsObject();
        var ns = await NewNamespaceAsync();
        input["metadata"]!["namespace"] = ns;
        var path = $"/apis/apps/v1/namespaces/{ns}/{plural}";
        var created = await Http.SendAsync(HttpMethod.Post, path, input.ToJsonString());
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        var got = await Http.SendAsync(HttpMethod.Get, $"{path}/{input["metadata"]!["name"]}");
        foreach (var field in new[] { "uid", "resourceVersion", "creationTimestamp", "generation", "managedFields" })
        {
            got.Body["metadata"]!.AsObject().Remove(field);
            created.Body["metadata"]!.AsObject().Remove(field);
        }
        Assert.Multiple(() =>
        {
            Assert.That(JsonNode.DeepEquals(got.Body, input), Is.True, got.Body.ToJsonString());
            Assert.That(JsonNode.DeepEquals(created.Body, input), Is.True, created.Body.ToJsonString());
        });
    }

    [Test]
    public async Task Generation_GrowsWithSpecChangesOnly_AndMainWritesIgnoreStatus()
    {
        var (path, d) = await CreateDeploymentAsync();
        d["metadata"]!["labels"]!["extra"] = "1";
        d["status"] = JsonNode.Parse("""{"replicas":7}""");
        var relabelled = await Http.SendAsync(HttpMethod.Put, path, d.ToJsonString());
        Assert.That(relabelled.Code, Is.EqualTo(HttpStatusCode.OK), relabelled.Body.ToJsonString());
        var changed = await Http.SendAsync(HttpMethod.Patch, path, """{"spec":{"minReadySeconds":3}}""", "application/merge-patch+json");
        var status = await Http.SendAsync(HttpMethod.Patch, path + "/status", """{"status":{"replicas":2,"readyReplicas":1}}""", "application/merge-patch+json");
        Assert.Multiple(() =>
        {
            Assert.That(relabelled.Body["metadata"]!["generation"]!.GetValue<long>(), Is.EqualTo(1));
            Assert.That(relabelled.Body["status"]!.ToJsonString(), Is.EqualTo("{}"));
            Assert.That(changed.Body["metadata"]!["generation"]!.GetValue<long>(), Is.EqualTo(2));
            Assert.That(status.Code, Is.EqualTo(HttpStatusCode.OK), status.Body.ToJsonString());
            Assert.That(status.Body["metadata"]!["generation"]!.GetValue<long>(), Is.EqualTo(2));
            Assert.That(status.Body["status"]!["replicas"]!.GetValue<int>(), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Replace_WithTheUndefaultedOriginal_KeepsTheGeneration()
    {
        var (path, d) = await CreateDeploymentAsync();
        var original = JsonNode.Parse(DeploymentJson)!.AsObject();
        original["metadata"]!["resourceVersion"] = d["metadata"]!["resourceVersion"]!.ToString();
        var replaced = await Http.SendAsync(HttpMethod.Put, path, original.ToJsonString());
        Assert.That(replaced.Code, Is.EqualTo(HttpStatusCode.OK), replaced.Body.ToJsonString());
        Assert.Multiple(() =>
        {
            Assert.That(replaced.Body["metadata"]!["generation"]!.GetValue<long>(), Is.EqualTo(1));
            Assert.That(replaced.Body["metadata"]!["resourceVersion"]!.ToString(), Is.EqualTo(d["metadata"]!["resourceVersion"]!.ToString()));
        });
    }

    [Test]
    public async Task Scale_GetReturnsAnAutoscalingScale()
    {
        var (path, d) = await CreateDeploymentAsync();
        var scale = await Http.SendAsync(HttpMethod.Get, path + "/scale");
        Assert.That(scale.Code, Is.EqualTo(HttpStatusCode.OK), scale.Body.ToJsonString());
        var body = scale.Body;
        Assert.Multiple(() =>
        {
            Assert.That(body["kind"]!.ToString(), Is.EqualTo("Scale"));
            Assert.That(body["apiVersion"]!.ToString(), Is.EqualTo("autoscaling/v1"));
            Assert.That(body["metadata"]!["name"]!.ToString(), Is.EqualTo("web"));
            Assert.That(body["metadata"]!["uid"]!.ToString(), Is.EqualTo(d["metadata"]!["uid"]!.ToString()));
            Assert.That(body["metadata"]!["resourceVersion"]!.ToString(), Is.EqualTo(d["metadata"]!["resourceVersion"]!.ToString()));
            Assert.That(body["spec"]!["replicas"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(body["status"]!.ToJsonString(), Is.EqualTo("""{"replicas":0,"selector":"app=web"}"""));
        });
    }

    [Test]
    public async Task Scale_PutAndPatch_ChangeReplicasAndGeneration()
    {
        var (path, _) = await CreateDeploymentAsync();
        var put = await Http.SendAsync(HttpMethod.Put, path + "/scale",
            """{"kind":"Scale","apiVersion":"autoscaling/v1","metadata":{"name":"web"},"spec":{"replicas":4}}""");
        Assert.That(put.Code, Is.EqualTo(HttpStatusCode.OK), put.Body.ToJsonString());
        var patch = await Http.SendAsync(HttpMethod.Patch, path + "/scale", """{"spec":{"replicas":6}}""", "application/merge-patch+json");
        Assert.That(patch.Code, Is.EqualTo(HttpStatusCode.OK), patch.Body.ToJsonString());
        var got = (await Http.SendAsync(HttpMethod.Get, path)).Body;
        Assert.Multiple(() =>
        {
            Assert.That(put.Body["kind"]!.ToString(), Is.EqualTo("Scale"));
            Assert.That(put.Body["spec"]!["replicas"]!.GetValue<int>(), Is.EqualTo(4));
            Assert.That(patch.Body["spec"]!["replicas"]!.GetValue<int>(), Is.EqualTo(6));
            Assert.That(got["spec"]!["replicas"]!.GetValue<int>(), Is.EqualTo(6));
            Assert.That(got["metadata"]!["generation"]!.GetValue<long>(), Is.EqualTo(3));
            Assert.That(got["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.ToString(), Is.EqualTo("nginx:1.27"));
        });
    }

    [Test]
    public async Task Scale_WithAStaleResourceVersion_Conflicts()
    {
        var (path, _) = await CreateDeploymentAsync();
        var body = (await Http.SendAsync(HttpMethod.Put, path + "/scale",
            """{"kind":"Scale","apiVersion":"autoscaling/v1","metadata":{"name":"web","resourceVersion":"1"},"spec":{"replicas":4}}""")).AssertStatus(409, "Conflict");
        Assert.That(body["message"]!.ToString(), Does.Contain("the object has been modified"));
    }

    [Test]
    public async Task Scale_OfAWrongKindOrNegativeReplicas_IsRefused()
    {
        var (path, _) = await CreateDeploymentAsync();
        (await Http.SendAsync(HttpMethod.Put, path + "/scale", """{"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"web"},"spec":{"replicas":4}}""")).AssertStatus(400, "BadRequest");
        var invalid = (await Http.SendAsync(HttpMethod.Patch, path + "/scale", """{"spec":{"replicas":-1}}""", "application/merge-patch+json")).AssertStatus(422, "Invalid");
        Assert.That(invalid["message"]!.ToString(), Is.EqualTo("Scale.autoscaling \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0"));
    }

    [Test]
    public async Task StatefulSetAndReplicaSetScale_Work()
    {
        var ns = await NewNamespaceAsync();
        foreach (var plural in new[] { "statefulsets", "replicasets" })
        {
            var created = await Http.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/{plural}",
                """{"metadata":{"name":"s"},"spec":{"serviceName":"s","selector":{"matchLabels":{"app":"web"}},"template":""" + Template + "}}");
            Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
            var patched = await Http.SendAsync(HttpMethod.Patch, $"/apis/apps/v1/namespaces/{ns}/{plural}/s/scale", """{"spec":{"replicas":0}}""", "application/merge-patch+json");
            Assert.That(patched.Code, Is.EqualTo(HttpStatusCode.OK), patched.Body.ToJsonString());
            Assert.That(patched.Body["spec"]!.ToJsonString(), Is.EqualTo("{}"), plural);
            var got = (await Http.SendAsync(HttpMethod.Get, $"/apis/apps/v1/namespaces/{ns}/{plural}/s")).Body;
            Assert.That(got["spec"]!["replicas"]!.GetValue<int>(), Is.EqualTo(0), plural);
        }
    }

    // (resource, body, field, reason, message fragment)
    private static readonly object[] Invalid =
    [
        new object[] { "deployments", """{"metadata":{"name":"d"},"spec":{"selector":{"matchLabels":{"app":"other"}},"template":""" + Template + "}}", "spec.template.metadata.labels", "FieldValueInvalid", "`selector` does not match template `labels`" },
        new object[] { "deployments", """{"metadata":{"name":"d"},"spec":{"template":""" + Template + "}}", "spec.selector", "FieldValueRequired", "" },
        new object[] { "deployments", """{"metadata":{"name":"d"},"spec":{"selector":{},"template":""" + Template + "}}", "spec.selector", "FieldValueInvalid", "empty selector is invalid for deployment" },
        new object[] { "deployments", """{"metadata":{"name":"d"},"spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c"}]}}}}""", "spec.template.spec.containers[0].image", "FieldValueRequired", "" },
        new object[] { "deployments", """{"metadata":{"name":"d"},"spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[]}}}}""", "spec.template.spec.containers", "FieldValueRequired", "" },
        new object[] { "deployments", """{"metadata":{"name":"d"},"spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"a","image":"x"},{"name":"a","image":"y"}]}}}}""", "spec.template.spec.containers[1].name", "FieldValueDuplicate", "" },
        new object[] { "deployments", """{"metadata":{"name":"d"},"spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"Web_1","image":"x"}]}}}}""", "spec.template.spec.containers[0].name", "FieldValueInvalid", "a lowercase RFC 1123 label must consist of" },
        new object[] { "deployments", """{"metadata":{"name":"d"},"spec":{"replicas":-1,"selector":{"matchLabels":{"app":"web"}},"template":""" + Template + "}}", "spec.replicas", "FieldValueInvalid", "must be greater than or equal to 0" },
        new object[] { "deployments", """{"metadata":{"name":"d"},"spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"x"}]}}}}""", "spec.template.spec.restartPolicy", "FieldValueNotSupported", "supported values: \"Always\"" },
        new object[] { "statefulsets", """{"metadata":{"name":"s"},"spec":{"selector":{"matchLabels":{"app":"x"}},"template":""" + Template + "}}", "spec.template.metadata.labels", "FieldValueInvalid", "`selector` does not match template `labels`" },
        new object[] { "daemonsets", """{"metadata":{"name":"s"},"spec":{"selector":{},"template":""" + Template + "}}", "spec.selector", "FieldValueInvalid", "empty selector is invalid for daemonset" },
        new object[] { "replicasets", """{"metadata":{"name":"r"},"spec":{"selector":{"matchExpressions":[{"key":"app","operator":"NotIn","values":["web"]}]},"template":""" + Template + "}}", "spec.template.metadata.labels", "FieldValueInvalid", "`selector` does not match template `labels`" },
        new object[] { "controllerrevisions", """{"metadata":{"name":"c"},"revision":-1}""", "revision", "FieldValueInvalid", "must be greater than or equal to 0" },
    ];

    [TestCaseSource(nameof(Invalid))]
    public async Task InvalidObject_Answers422WithKubesFieldError(string plural, string json, string field, string reason, string message)
    {
        var ns = await NewNamespaceAsync();
        var body = (await Http.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/{plural}", json)).AssertStatus(422, "Invalid");
        var cause = body["details"]!["causes"]!.AsArray().FirstOrDefault(c => c!["field"]?.ToString() == field);
        Assert.That(cause, Is.Not.Null, body.ToJsonString());
        Assert.Multiple(() =>
        {
            Assert.That(cause!["reason"]!.ToString(), Is.EqualTo(reason));
            Assert.That(cause["message"]!.ToString(), Does.Contain(message));
        });
    }

    [Test]
    public async Task Selector_IsImmutable()
    {
        var (path, _) = await CreateDeploymentAsync();
        var body = (await Http.SendAsync(HttpMethod.Patch, path,
            """{"spec":{"selector":{"matchLabels":{"app":"web","v":"2"}},"template":{"metadata":{"labels":{"v":"2"}}}}}""", "application/merge-patch+json")).AssertStatus(422, "Invalid");
        var cause = body["details"]!["causes"]!.AsArray().Single(c => c!["field"]!.ToString() == "spec.selector")!;
        Assert.That(cause["message"]!.ToString(), Does.EndWith("field is immutable"));
    }

    [Test]
    public async Task SetImage_ByStrategicMergePatch_ReplacesOneContainersImage()
    {
        var (path, _) = await CreateDeploymentAsync();
        var patched = await Http.SendAsync(HttpMethod.Patch, path,
            """{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.28"}]}}}}""", "application/strategic-merge-patch+json");
        Assert.That(patched.Code, Is.EqualTo(HttpStatusCode.OK), patched.Body.ToJsonString());
        var container = patched.Body["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Multiple(() =>
        {
            Assert.That(container["image"]!.ToString(), Is.EqualTo("nginx:1.28"));
            Assert.That(container["ports"]![0]!["containerPort"]!.GetValue<int>(), Is.EqualTo(80));
            Assert.That(patched.Body["metadata"]!["generation"]!.GetValue<long>(), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Tables_ShowKubesColumns()
    {
        var (path, _) = await CreateDeploymentAsync();
        await Http.SendAsync(HttpMethod.Patch, path + "/status", """{"status":{"readyReplicas":1,"updatedReplicas":1,"availableReplicas":1}}""", "application/merge-patch+json");
        var ns = path.Split('/')[5];
        await Http.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/daemonsets",
            """{"metadata":{"name":"agent"},"spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"nodeSelector":{"role":"edge","disk":"ssd"},"containers":[{"name":"a","image":"agent:1"}]}}}}""");
        await Http.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/controllerrevisions",
            """{"metadata":{"name":"agent-1","ownerReferences":[{"apiVersion":"apps/v1","kind":"DaemonSet","name":"agent","uid":"u1","controller":true}]},"data":{},"revision":1}""");
        var deployments = await TableAsync($"/apis/apps/v1/namespaces/{ns}/deployments");
        var daemonsets = await TableAsync($"/apis/apps/v1/namespaces/{ns}/daemonsets");
        var revisions = await TableAsync($"/apis/apps/v1/namespaces/{ns}/controllerrevisions");
        var replicasets = await TableAsync($"/apis/apps/v1/namespaces/{ns}/replicasets");
        var statefulsets = await TableAsync($"/apis/apps/v1/namespaces/{ns}/statefulsets");
        Assert.Multiple(() =>
        {
            Assert.That(Columns(deployments), Is.EqualTo(new[] { "Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images", "Selector" }));
            var cells = Cells(deployments);
            Assert.That(cells[..4], Is.EqualTo(new[] { "web", "1/1", "1", "1" }));
            Assert.That(cells[5..], Is.EqualTo(new[] { "nginx", "nginx:1.27", "app=web" }));
            Assert.That(Columns(daemonsets), Is.EqualTo(new[] { "Name", "Desired", "Current", "Ready", "Up-to-date", "Available", "Node Selector", "Age", "Containers", "Images", "Selector" }));
            Assert.That(Cells(daemonsets)[6], Is.EqualTo("disk=ssd,role=edge"));
            Assert.That(Columns(revisions), Is.EqualTo(new[] { "Name", "Controller", "Revision", "Age" }));
            Assert.That(Cells(revisions)[..3], Is.EqualTo(new[] { "agent-1", "daemonset.apps/agent", "1" }));
            Assert.That(Columns(replicasets), Is.EqualTo(new[] { "Name", "Desired", "Current", "Ready", "Age", "Containers", "Images", "Selector" }));
            Assert.That(Columns(statefulsets), Is.EqualTo(new[] { "Name", "Ready", "Age", "Containers", "Images" }));
        });
    }

    [Test]
    public async Task NamespaceDeletion_RemovesItsWorkloads()
    {
        var (path, _) = await CreateDeploymentAsync();
        var ns = path.Split('/')[5];
        await Http.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/controllerrevisions", """{"metadata":{"name":"r"},"data":{},"revision":1}""");
        Assert.That((await Http.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}")).Code, Is.EqualTo(HttpStatusCode.OK));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}")).Code != HttpStatusCode.NotFound)
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the namespace was not deleted");
            await Task.Delay(100);
        }
        Assert.Multiple(async () =>
        {
            Assert.That((await Http.SendAsync(HttpMethod.Get, $"/apis/apps/v1/namespaces/{ns}/deployments")).Body["items"]!.AsArray(), Is.Empty);
            Assert.That((await Http.SendAsync(HttpMethod.Get, $"/apis/apps/v1/namespaces/{ns}/controllerrevisions")).Body["items"]!.AsArray(), Is.Empty);
        });
    }

    private async Task<(string Path, JsonObject Deployment)> CreateDeploymentAsync()
    {
        var ns = await NewNamespaceAsync();
        var created = await Http.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/deployments", DeploymentJson);
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        return ($"/apis/apps/v1/namespaces/{ns}/deployments/web", created.Body);
    }

    private async Task<JsonObject> TableAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io");
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        return JsonNode.Parse(text)!.AsObject();
    }

    private static string[] Columns(JsonObject table) => [.. table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.ToString())];

    private static string[] Cells(JsonObject table) => [.. table["rows"]!.AsArray().First()!["cells"]!.AsArray().Select(c => c?.ToString() ?? "")];
}
