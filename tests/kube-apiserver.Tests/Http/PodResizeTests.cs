using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeApiserver.Tests.E2E;
using NUnit.Framework;

namespace KubeApiserver.Tests.Http;

/// <summary>
/// The pods/resize subresource (in-place vertical scaling, on by default in kube 1.34): kubectl and
/// the C# client resize through it; only container cpu and memory change, under kube's rules.
/// </summary>
[TestFixture]
public sealed class PodResizeTests : ServerFixture
{
    private const string Smp = "application/strategic-merge-patch+json";

    // A Burstable pod: requests below limits.
    private const string Burstable = """{"requests":{"cpu":"100m","memory":"64Mi"},"limits":{"cpu":"500m","memory":"128Mi"}}""";

    private async Task<(string Ns, string Path)> PodAsync(string resources = Burstable, string extraSpec = "", string metadata = "")
    {
        var ns = await NewNamespaceAsync();
        var created = await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods",
            """{"metadata":{"name":"web" """ + metadata + """},"spec":{ """ + extraSpec + """ "containers":[{"name":"c","image":"nginx","resources":""" + resources + "}]}}");
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        return (ns, $"/api/v1/namespaces/{ns}/pods/web");
    }

    private Task<(HttpStatusCode Code, JsonObject Body)> ResizeAsync(string path, string patch) =>
        Http.SendAsync(HttpMethod.Patch, path + "/resize", patch, Smp);

    private static string ContainerPatch(string resources) => """{"spec":{"containers":[{"name":"c","resources":""" + resources + "}]}}";

    private static List<string> Causes(JsonObject status) =>
        [.. status["details"]!["causes"]!.AsArray().Select(c => $"{c!["field"]}|{c["reason"]}|{c["message"]}")];

    private async Task<JsonObject> GetAsync(string path) => (await Http.SendAsync(HttpMethod.Get, path)).Body;

    [Test]
    public async Task KubectlPatchResize_ChangesTheRequest_BumpsTheGeneration_AndRecordsTheManager()
    {
        var (ns, path) = await PodAsync();
        Assert.That((await GetAsync(path))["metadata"]!["generation"]!.GetValue<long>(), Is.EqualTo(1));

        var output = await new Kubectl(Server.KubeconfigPath).OkAsync(
            $"patch pod web -n {ns} --subresource resize --patch '" + ContainerPatch("""{"requests":{"cpu":"200m"}}""") + "'");
        Assert.That(output, Does.Contain("pod/web patched"));

        var pod = await GetAsync(path);
        var resources = pod["spec"]!["containers"]![0]!["resources"]!;
        Assert.That(resources["requests"]!["cpu"]!.ToString(), Is.EqualTo("200m"));
        Assert.That(resources["requests"]!["memory"]!.ToString(), Is.EqualTo("64Mi"), "what the patch left out stays");
        Assert.That(pod["metadata"]!["generation"]!.GetValue<long>(), Is.EqualTo(2), "a resize is a spec change");
        var managers = pod["metadata"]!["managedFields"]!.AsArray().Select(m => $"{m!["manager"]}|{m["operation"]}|{m["subresource"]}").ToList();
        Assert.That(managers, Does.Contain("kubectl-patch|Update|resize"));

        // The same resize again changes nothing: no new generation.
        var again = await ResizeAsync(path, ContainerPatch("""{"requests":{"cpu":"200m"}}"""));
        Assert.That(again.Code, Is.EqualTo(HttpStatusCode.OK), again.Body.ToJsonString());
        Assert.That(again.Body["metadata"]!["generation"]!.GetValue<long>(), Is.EqualTo(2));
    }

    [Test]
    public async Task CSharpClient_ReadsAndPatchesTheSubresource()
    {
        var (ns, _) = await PodAsync();
        using var client = Server.CreateClient();
        var read = await client.CoreV1.ReadNamespacedPodResizeAsync("web", ns);
        Assert.That(read.Spec.Containers[0].Resources.Limits["cpu"].ToString(), Is.EqualTo("500m"));

        var patch = new V1Patch("""{"spec":{"containers":[{"name":"c","resources":{"limits":{"cpu":"1","memory":"256Mi"}}}]}}""", V1Patch.PatchType.StrategicMergePatch);
        var resized = await client.CoreV1.PatchNamespacedPodResizeAsync(patch, "web", ns);
        Assert.That(resized.Spec.Containers[0].Resources.Limits["memory"].ToString(), Is.EqualTo("256Mi"));
        Assert.That(resized.Metadata.Generation, Is.EqualTo(2));

        var e = Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.PatchNamespacedPodResizeAsync(
            new V1Patch("""{"spec":{"containers":[{"name":"c","resources":{"limits":{"cpu":null}}}]}}""", V1Patch.PatchType.StrategicMergePatch), "web", ns));
        Assert.That(e!.Response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(e.Response.Content, Does.Contain("spec.containers[0].resources.limits: Forbidden: resource limits cannot be removed"));
    }

    [Test]
    public async Task ServerSideApply_ThroughTheSubresource_OwnsTheResources()
    {
        var (_, path) = await PodAsync();
        const string Configuration = """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web"},"spec":{"containers":[{"name":"c","resources":{"requests":{"cpu":"250m"}}}]}}""";
        var conflict = await Http.SendAsync(HttpMethod.Patch, path + "/resize?fieldManager=vpa", Configuration, "application/apply-patch+yaml");
        conflict.AssertStatus(409, "Conflict"); // The creator manages the request: the pod's managed fields span its subresources.
        var applied = await Http.SendAsync(HttpMethod.Patch, path + "/resize?fieldManager=vpa&force=true", Configuration, "application/apply-patch+yaml");
        Assert.That(applied.Code, Is.EqualTo(HttpStatusCode.OK), applied.Body.ToJsonString());
        var container = applied.Body["spec"]!["containers"]![0]!;
        Assert.That(container["resources"]!["requests"]!["cpu"]!.ToString(), Is.EqualTo("250m"));
        Assert.That(container["image"]!.ToString(), Is.EqualTo("nginx"));
        var vpa = applied.Body["metadata"]!["managedFields"]!.AsArray().Single(m => m!["manager"]?.ToString() == "vpa")!;
        Assert.That(vpa["operation"]!.ToString(), Is.EqualTo("Apply"));
        Assert.That(vpa["subresource"]!.ToString(), Is.EqualTo("resize"));
        Assert.That(vpa["fieldsV1"]!.ToJsonString(), Does.Contain("f:cpu"));
    }

    [Test]
    public async Task FieldsOtherThanResources_AreIgnored_AsKubeDropsThem()
    {
        var (_, path) = await PodAsync();
        var resized = await ResizeAsync(path,
            """{"metadata":{"labels":{"resized":"yes"}},"spec":{"activeDeadlineSeconds":30,"containers":[{"name":"c","image":"busybox","resources":{"requests":{"cpu":"300m"}}}]}}""");
        Assert.That(resized.Code, Is.EqualTo(HttpStatusCode.OK), resized.Body.ToJsonString());
        var pod = await GetAsync(path);
        Assert.Multiple(() =>
        {
            Assert.That(pod["spec"]!["containers"]![0]!["resources"]!["requests"]!["cpu"]!.ToString(), Is.EqualTo("300m"));
            Assert.That(pod["spec"]!["containers"]![0]!["image"]!.ToString(), Is.EqualTo("nginx"));
            Assert.That(pod["spec"]!["activeDeadlineSeconds"], Is.Null);
            Assert.That(pod["metadata"]!["labels"], Is.Null);
        });
    }

    [Test]
    public async Task ARemovedRequestOrLimit_AnotherResource_OrARequestAboveItsLimit_IsRefused()
    {
        var (_, path) = await PodAsync();
        var cases = new (string Patch, string[] Causes)[]
        {
            ("""{"requests":{"cpu":null},"limits":{"cpu":null}}""",
                ["spec.containers[0].resources.requests|FieldValueForbidden|Forbidden: resource requests cannot be removed",
                 "spec.containers[0].resources.limits|FieldValueForbidden|Forbidden: resource limits cannot be removed"]),
            ("""{"limits":{"cpu":null}}""", ["spec.containers[0].resources.limits|FieldValueForbidden|Forbidden: resource limits cannot be removed"]),
            ("""{"limits":{"ephemeral-storage":"1Gi"}}""", ["spec|FieldValueForbidden|Forbidden: only cpu and memory resources are mutable"]),
            ("""{"requests":{"cpu":"600m"}}""", ["spec.containers[0].resources.requests|FieldValueInvalid|Invalid value: \"600m\": must be less than or equal to cpu limit of 500m"]),
        };
        foreach (var (patch, causes) in cases)
        {
            var refused = await ResizeAsync(path, ContainerPatch(patch));
            Assert.That(Causes(refused.AssertStatus(422, "Invalid")), Is.EqualTo(causes), patch);
        }
        var pod = await GetAsync(path);
        Assert.That(pod["spec"]!["containers"]![0]!["resources"]!.ToJsonString(), Is.EqualTo(JsonNode.Parse(Burstable)!.ToJsonString()), "nothing refused was written");
        Assert.That(pod["metadata"]!["generation"]!.GetValue<long>(), Is.EqualTo(1));

        // As kube defaults what it decodes, a request dropped beside its limit comes back as the limit.
        var defaulted = await ResizeAsync(path, ContainerPatch("""{"requests":{"memory":null}}"""));
        Assert.That(defaulted.Code, Is.EqualTo(HttpStatusCode.OK), defaulted.Body.ToJsonString());
        Assert.That(defaulted.Body["spec"]!["containers"]![0]!["resources"]!["requests"]!["memory"]!.ToString(), Is.EqualTo("128Mi"));
    }

    [Test]
    public async Task AChangeOfQosClass_IsRefused()
    {
        var (_, burstable) = await PodAsync();
        var guaranteed = await ResizeAsync(burstable, ContainerPatch("""{"requests":{"cpu":"500m","memory":"128Mi"}}"""));
        var status = guaranteed.AssertStatus(422, "Invalid");
        Assert.That(Causes(status), Is.EqualTo(new[] { "spec|FieldValueInvalid|Invalid value: \"Burstable\": Pod QOS Class may not change as a result of resizing" }));
        Assert.That(status["message"]!.ToString(), Is.EqualTo("Pod \"web\" is invalid: spec: Invalid value: \"Burstable\": Pod QOS Class may not change as a result of resizing"));

        var (_, bestEffort) = await PodAsync("{}");
        Assert.That(Causes((await ResizeAsync(bestEffort, ContainerPatch("""{"requests":{"memory":"64Mi"}}"""))).AssertStatus(422, "Invalid")),
            Does.Contain("spec|FieldValueInvalid|Invalid value: \"BestEffort\": Pod QOS Class may not change as a result of resizing"));

        // Quantities compare as numbers: 1 cpu is 1000m, so this Guaranteed pod stays Guaranteed.
        var (_, exact) = await PodAsync("""{"requests":{"cpu":"1","memory":"1Gi"},"limits":{"cpu":"1000m","memory":"1024Mi"}}""");
        Assert.That((await GetAsync(exact))["status"]!["qosClass"]!.ToString(), Is.EqualTo("Guaranteed"));
        var both = await ResizeAsync(exact, ContainerPatch("""{"requests":{"cpu":"2"},"limits":{"cpu":"2000m"}}"""));
        Assert.That(both.Code, Is.EqualTo(HttpStatusCode.OK), both.Body.ToJsonString());
    }

    [Test]
    public async Task MemoryLimits_MayGoDown_AsKube134Allows_ButResizePolicyIsFixed()
    {
        var (_, path) = await PodAsync();
        var lowered = await ResizeAsync(path, ContainerPatch("""{"limits":{"memory":"96Mi"}}"""));
        Assert.That(lowered.Code, Is.EqualTo(HttpStatusCode.OK), lowered.Body.ToJsonString());

        var policy = await ResizeAsync(path, """{"spec":{"containers":[{"name":"c","resizePolicy":[{"resourceName":"memory","restartPolicy":"RestartContainer"}]}]}}""");
        Assert.That(Causes(policy.AssertStatus(422, "Invalid")), Is.EqualTo(new[] { "spec|FieldValueForbidden|Forbidden: only cpu and memory resources are mutable" }));
    }

    [Test]
    public async Task Sidecars_Resize_OrdinaryInitContainers_DoNot()
    {
        var init = """ "initContainers":[{"name":"setup","image":"busybox","resources":{"requests":{"cpu":"10m"}}},{"name":"proxy","image":"envoy","restartPolicy":"Always","resources":{"requests":{"cpu":"10m"}}}],""";
        var (_, path) = await PodAsync(extraSpec: init);
        var sidecar = await ResizeAsync(path, """{"spec":{"initContainers":[{"name":"proxy","resources":{"requests":{"cpu":"20m"}}}]}}""");
        Assert.That(sidecar.Code, Is.EqualTo(HttpStatusCode.OK), sidecar.Body.ToJsonString());
        Assert.That(sidecar.Body["spec"]!["initContainers"]![1]!["resources"]!["requests"]!["cpu"]!.ToString(), Is.EqualTo("20m"));

        var ordinary = await ResizeAsync(path, """{"spec":{"initContainers":[{"name":"setup","resources":{"requests":{"cpu":"20m"}}}]}}""");
        Assert.That(Causes(ordinary.AssertStatus(422, "Invalid")), Is.EqualTo(new[] { "spec|FieldValueForbidden|Forbidden: resources for non-sidecar init containers are immutable" }));
    }

    [Test]
    public async Task ContainersRenamedOrAdded_AreRefused()
    {
        var (_, path) = await PodAsync();
        var pod = await GetAsync(path);
        pod["spec"]!["containers"]![0]!["name"] = "renamed";
        var renamed = await Http.SendAsync(HttpMethod.Put, path + "/resize", pod.ToJsonString());
        Assert.That(Causes(renamed.AssertStatus(422, "Invalid")), Is.EqualTo(new[] { "spec.containers[0].name|FieldValueForbidden|Forbidden: containers may not be renamed or reordered on resize" }));

        pod = await GetAsync(path);
        pod["spec"]!["containers"]!.AsArray().Add(JsonNode.Parse("""{"name":"extra","image":"busybox"}"""));
        var added = await Http.SendAsync(HttpMethod.Put, path + "/resize", pod.ToJsonString());
        Assert.That(Causes(added.AssertStatus(422, "Invalid")), Is.EqualTo(new[] { "spec.containers|FieldValueForbidden|Forbidden: containers may not be added or removed on resize" }));
    }

    [Test]
    public async Task StaticWindowsAndPodLevelResourcePods_AreNeverResized()
    {
        var cases = new (string Spec, string Metadata, string Message)[]
        {
            ("", """, "annotations":{"kubernetes.io/config.mirror":"abc"}""", "static pods cannot be resized"),
            (""" "os":{"name":"windows"},""", "", "windows pods cannot be resized"),
            (""" "resources":{"requests":{"cpu":"1"}},""", "", "pods with pod-level resources cannot be resized"),
        };
        foreach (var (spec, metadata, message) in cases)
        {
            var (_, path) = await PodAsync(extraSpec: spec, metadata: metadata);
            var refused = (await ResizeAsync(path, ContainerPatch("""{"requests":{"cpu":"200m"}}"""))).AssertStatus(422, "Invalid");
            Assert.That(Causes(refused), Is.EqualTo(new[] { $"|FieldValueForbidden|Forbidden: {message}" }), message);
            Assert.That(refused["message"]!.ToString(), Is.EqualTo($"Pod \"web\" is invalid: : Forbidden: {message}"));
        }
    }

    [Test]
    public async Task APodOnANodeThatReportsNoResizeSupport_IsRefused()
    {
        var (_, path) = await PodAsync();
        var pod = await GetAsync(path);
        pod["status"]!["containerStatuses"] = JsonNode.Parse("""[{"name":"c","image":"nginx","imageID":"","ready":true,"restartCount":0,"state":{"running":{"startedAt":"2026-01-01T00:00:00Z"}}}]""");
        var status = await Http.SendAsync(HttpMethod.Put, path + "/status", pod.ToJsonString());
        Assert.That(status.Code, Is.EqualTo(HttpStatusCode.OK), status.Body.ToJsonString());
        var refused = await ResizeAsync(path, ContainerPatch("""{"requests":{"cpu":"200m"}}"""));
        Assert.That(Causes(refused.AssertStatus(422, "Invalid")), Is.EqualTo(new[] { "spec|FieldValueForbidden|Forbidden: Pod running on node without support for resize" }));

        // A node that reports the running container's resources supports resize.
        pod = await GetAsync(path);
        pod["status"]!["containerStatuses"]![0]!["resources"] = JsonNode.Parse(Burstable);
        Assert.That((await Http.SendAsync(HttpMethod.Put, path + "/status", pod.ToJsonString())).Code, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await ResizeAsync(path, ContainerPatch("""{"requests":{"cpu":"200m"}}"""))).Code, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task APlainPodUpdate_StillMayNotChangeResources()
    {
        var (_, path) = await PodAsync();
        var refused = await Http.SendAsync(HttpMethod.Patch, path, ContainerPatch("""{"requests":{"cpu":"200m"}}"""), Smp);
        Assert.That(refused.AssertStatus(422, "Invalid")["message"]!.ToString(), Does.Contain("spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`"));
    }

    [Test]
    public async Task Discovery_ListsTheSubresource_WithKubesVerbs()
    {
        var resources = (await Http.SendAsync(HttpMethod.Get, "/api/v1")).Body["resources"]!.AsArray();
        var entry = resources.Single(r => r!["name"]!.ToString() == "pods/resize")!;
        Assert.That(entry["verbs"]!.AsArray().Select(v => v!.ToString()), Is.EquivalentTo(new[] { "get", "patch", "update" }));
        Assert.That(entry["kind"]!.ToString(), Is.EqualTo("Pod"));
        Assert.That(entry["namespaced"]!.GetValue<bool>(), Is.True);
    }
}
