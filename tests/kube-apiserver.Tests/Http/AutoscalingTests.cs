using System.Net;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace KubeApiserver.Tests.Http;

/// <summary>
/// autoscaling/v2 (preferred, stored) and autoscaling/v1 HorizontalPodAutoscalers over one storage:
/// round trips in each version, reads, writes and watches across versions, kube's defaults and
/// validation, and the status subresource.
/// </summary>
[TestFixture]
public sealed class AutoscalingTests : ServerFixture
{
    // A realistic v2 object, written with its defaults so that it comes back unchanged.
    private const string V2 = """
        {"kind":"HorizontalPodAutoscaler","apiVersion":"autoscaling/v2","metadata":{"name":"web","labels":{"app":"web"}},
         "spec":{"scaleTargetRef":{"kind":"Deployment","name":"web","apiVersion":"apps/v1"},"minReplicas":2,"maxReplicas":10,
          "metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":60}}},
                     {"type":"Pods","pods":{"metric":{"name":"packets-per-second"},"target":{"type":"AverageValue","averageValue":"1k"}}}],
          "behavior":{"scaleUp":{"stabilizationWindowSeconds":0,"selectPolicy":"Max","policies":[{"type":"Pods","value":4,"periodSeconds":15}]},
                      "scaleDown":{"stabilizationWindowSeconds":300,"selectPolicy":"Min","policies":[{"type":"Percent","value":10,"periodSeconds":60}]}}},
         "status":{"desiredReplicas":0}}
        """;

    private const string V1 = """
        {"kind":"HorizontalPodAutoscaler","apiVersion":"autoscaling/v1","metadata":{"name":"api"},
         "spec":{"scaleTargetRef":{"kind":"Deployment","name":"api","apiVersion":"apps/v1"},"minReplicas":1,"maxReplicas":5,"targetCPUUtilizationPercentage":50},
         "status":{"currentReplicas":0,"desiredReplicas":0}}
        """;

    private static readonly string[] ServerMetadata = ["uid", "resourceVersion", "creationTimestamp", "namespace", "managedFields"];

    private async Task<(string Ns, JsonObject Created)> CreateAsync(string version, string json)
    {
        var ns = await NewNamespaceAsync();
        var created = await Http.SendAsync(HttpMethod.Post, $"/apis/autoscaling/{version}/namespaces/{ns}/horizontalpodautoscalers", json);
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        return (ns, created.Body);
    }

    private static JsonObject WithoutServerMetadata(JsonObject obj)
    {
        foreach (var field in ServerMetadata)
        {
            obj["metadata"]!.AsObject().Remove(field);
        }
        return obj;
    }

    [TestCase("v2", V2)]
    [TestCase("v1", V1)]
    public async Task RealisticObject_RoundTripsUnchangedInItsVersion(string version, string json)
    {
        var (ns, created) = await CreateAsync(version, json);
        var name = created["metadata"]!["name"]!.ToString();
        var got = (await Http.SendAsync(HttpMethod.Get, $"/apis/autoscaling/{version}/namespaces/{ns}/horizontalpodautoscalers/{name}")).Body;
        var input = JsonNode.Parse(json)!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(JsonNode.DeepEquals(WithoutServerMetadata(got), input), Is.True, got.ToJsonString());
            Assert.That(JsonNode.DeepEquals(WithoutServerMetadata(created), input), Is.True, created.ToJsonString());
        });
    }

    [Test]
    public async Task V2Object_ReadsInV1WithRoundTripAnnotations()
    {
        var (ns, created) = await CreateAsync("v2", V2);
        var v1 = (await Http.SendAsync(HttpMethod.Get, $"/apis/autoscaling/v1/namespaces/{ns}/horizontalpodautoscalers/web")).Body;
        var annotations = v1["metadata"]!["annotations"]!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(v1["apiVersion"]!.ToString(), Is.EqualTo("autoscaling/v1"));
            Assert.That(v1["spec"]!["targetCPUUtilizationPercentage"]!.GetValue<int>(), Is.EqualTo(60));
            Assert.That(annotations.Select(a => a.Key), Is.EquivalentTo(new[] { "autoscaling.alpha.kubernetes.io/metrics", "autoscaling.alpha.kubernetes.io/behavior" }));
            Assert.That(v1["metadata"]!["resourceVersion"]!.ToString(), Is.EqualTo(created["metadata"]!["resourceVersion"]!.ToString()));
        });

        // A v1 client writing the object back (changing maxReplicas) loses none of the v2 fields.
        v1["spec"]!["maxReplicas"] = 12;
        var updated = await Http.SendAsync(HttpMethod.Put, $"/apis/autoscaling/v1/namespaces/{ns}/horizontalpodautoscalers/web", v1.ToJsonString());
        Assert.That(updated.Code, Is.EqualTo(HttpStatusCode.OK), updated.Body.ToJsonString());
        var v2 = (await Http.SendAsync(HttpMethod.Get, $"/apis/autoscaling/v2/namespaces/{ns}/horizontalpodautoscalers/web")).Body;
        Assert.Multiple(() =>
        {
            Assert.That(v2["spec"]!["maxReplicas"]!.GetValue<int>(), Is.EqualTo(12));
            Assert.That(v2["spec"]!["metrics"]!.AsArray(), Has.Count.EqualTo(2));
            Assert.That(v2["spec"]!["behavior"]!["scaleDown"]!["selectPolicy"]!.ToString(), Is.EqualTo("Min"));
            Assert.That(v2["metadata"]!["annotations"], Is.Null, "the round-trip annotations are not stored");
        });
    }

    [Test]
    public async Task V2Create_GetsKubesDefaults()
    {
        var (_, created) = await CreateAsync("v2", """
            {"metadata":{"name":"d"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"d"},"maxReplicas":3,"behavior":{"scaleDown":{"stabilizationWindowSeconds":60}}}}
            """);
        Assert.Multiple(() =>
        {
            Assert.That(created["spec"]!["minReplicas"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(created["spec"]!["metrics"]!.ToJsonString(), Is.EqualTo("""[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":80}}}]"""));
            Assert.That(created["spec"]!["behavior"]!.ToJsonString(), Is.EqualTo(
                """{"scaleDown":{"stabilizationWindowSeconds":60,"selectPolicy":"Max","policies":[{"type":"Percent","value":100,"periodSeconds":15}]},"scaleUp":{"stabilizationWindowSeconds":0,"selectPolicy":"Max","policies":[{"type":"Pods","value":4,"periodSeconds":15},{"type":"Percent","value":100,"periodSeconds":15}]}}"""));
        });
    }

    [TestCase("""{"spec":{"scaleTargetRef":{"kind":"Deployment","name":"x"},"minReplicas":0,"maxReplicas":3}}""", "spec.minReplicas", "must be greater than or equal to 1")]
    [TestCase("""{"spec":{"scaleTargetRef":{"kind":"Deployment","name":"x"},"minReplicas":4,"maxReplicas":3}}""", "spec.maxReplicas", "must be greater than or equal to `minReplicas`")]
    [TestCase("""{"spec":{"scaleTargetRef":{"name":"x"},"maxReplicas":3}}""", "spec.scaleTargetRef.kind", "Required value")]
    [TestCase("""{"spec":{"scaleTargetRef":{"kind":"Deployment","name":"x"},"maxReplicas":3,"metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization"}}}]}}""", "spec.metrics[0].resource.target.averageUtilization", "must set either a target raw value or a target utilization")]
    [TestCase("""{"spec":{"scaleTargetRef":{"kind":"Deployment","name":"x"},"maxReplicas":3,"metrics":[{"type":"Pods","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":5}}}]}}""", "spec.metrics[0].pods", "must populate information for the given metric source")]
    [TestCase("""{"spec":{"scaleTargetRef":{"kind":"Deployment","name":"x"},"maxReplicas":3,"behavior":{"scaleUp":{"policies":[{"type":"Pods","value":0,"periodSeconds":1801}]}}}}""", "spec.behavior.scaleUp.policies[0].periodSeconds", "must be less than or equal to 1800")]
    public async Task InvalidV2_Answers422WithKubesCause(string json, string field, string message)
    {
        var ns = await NewNamespaceAsync();
        var body = JsonNode.Parse(json)!.AsObject();
        body["metadata"] = new JsonObject { ["name"] = "bad" };
        var response = (await Http.SendAsync(HttpMethod.Post, $"/apis/autoscaling/v2/namespaces/{ns}/horizontalpodautoscalers", body.ToJsonString())).AssertStatus(422, "Invalid");
        var cause = response["details"]!["causes"]!.AsArray().FirstOrDefault(c => c!["field"]!.ToString() == field);
        Assert.That(cause, Is.Not.Null, response.ToJsonString());
        Assert.That(cause!["message"]!.ToString(), Does.Contain(message));
    }

    [Test]
    public async Task StatusInV1_ReachesV2ConditionsThroughTheAnnotation()
    {
        var (ns, created) = await CreateAsync("v1", V1);
        created["status"] = JsonNode.Parse("""{"currentReplicas":2,"desiredReplicas":3,"currentCPUUtilizationPercentage":75}""");
        created["metadata"]!["annotations"] = new JsonObject
        {
            ["autoscaling.alpha.kubernetes.io/conditions"] = """[{"type":"ScalingActive","status":"True","lastTransitionTime":"2025-01-02T03:04:05Z","reason":"ValidMetricFound"}]""",
        };
        var updated = await Http.SendAsync(HttpMethod.Put, $"/apis/autoscaling/v1/namespaces/{ns}/horizontalpodautoscalers/api/status", created.ToJsonString());
        Assert.That(updated.Code, Is.EqualTo(HttpStatusCode.OK), updated.Body.ToJsonString());
        var v2 = (await Http.SendAsync(HttpMethod.Get, $"/apis/autoscaling/v2/namespaces/{ns}/horizontalpodautoscalers/api")).Body;
        Assert.Multiple(() =>
        {
            Assert.That(v2["status"]!["desiredReplicas"]!.GetValue<int>(), Is.EqualTo(3));
            Assert.That(v2["status"]!["currentMetrics"]![0]!["resource"]!["current"]!["averageUtilization"]!.GetValue<int>(), Is.EqualTo(75));
            Assert.That(v2["status"]!["conditions"]![0]!["reason"]!.ToString(), Is.EqualTo("ValidMetricFound"));
            Assert.That(updated.Body["status"]!["currentCPUUtilizationPercentage"]!.GetValue<int>(), Is.EqualTo(75));
        });
    }

    [Test]
    public async Task WatchInV1_SeesV2WritesAtTheSameResourceVersions()
    {
        var ns = await NewNamespaceAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/apis/autoscaling/v1/namespaces/{ns}/horizontalpodautoscalers?watch=1"),
            HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
        var created = await Http.SendAsync(HttpMethod.Post, $"/apis/autoscaling/v2/namespaces/{ns}/horizontalpodautoscalers", V2);
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        var e = JsonNode.Parse((await reader.ReadLineAsync(cancel.Token))!)!;
        Assert.Multiple(() =>
        {
            Assert.That(e["type"]!.ToString(), Is.EqualTo("ADDED"));
            Assert.That(e["object"]!["apiVersion"]!.ToString(), Is.EqualTo("autoscaling/v1"));
            Assert.That(e["object"]!["spec"]!["targetCPUUtilizationPercentage"]!.GetValue<int>(), Is.EqualTo(60));
            Assert.That(e["object"]!["metadata"]!["resourceVersion"]!.ToString(), Is.EqualTo(created.Body["metadata"]!["resourceVersion"]!.ToString()));
        });
    }

    // v1 rows are computed on the object converted back from v1, which lists the CPU target after the
    // annotation's metrics (kube prints from the stored order); the cells are otherwise the same.
    [TestCase("v2", "cpu: <unknown>/60%, <unknown>/1k")]
    [TestCase("v1", "<unknown>/1k, cpu: <unknown>/60%")]
    public async Task Table_HasKubesHpaColumns(string version, string targets)
    {
        var (ns, _) = await CreateAsync("v2", V2);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/apis/autoscaling/{version}/namespaces/{ns}/horizontalpodautoscalers");
        request.Headers.TryAddWithoutValidation("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io");
        var table = JsonNode.Parse(await (await Http.SendAsync(request)).Content.ReadAsStringAsync())!;
        Assert.That(table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.ToString()),
            Is.EqualTo(new[] { "Name", "Reference", "Targets", "MinPods", "MaxPods", "Replicas", "Age" }));
        var cells = table["rows"]![0]!["cells"]!.AsArray().Select(c => c!.ToString()).Take(6);
        Assert.That(cells, Is.EqualTo(new[] { "web", "Deployment/web", targets, "2", "10", "0" }));
    }

    [Test]
    public async Task StrategicMergePatchInV1_AppliesToTheV1FormAndKeepsV2Fields()
    {
        var (ns, _) = await CreateAsync("v2", V2);
        var patched = await Http.SendAsync(HttpMethod.Patch, $"/apis/autoscaling/v1/namespaces/{ns}/horizontalpodautoscalers/web",
            """{"spec":{"targetCPUUtilizationPercentage":75,"maxReplicas":20}}""", "application/strategic-merge-patch+json");
        Assert.That(patched.Code, Is.EqualTo(HttpStatusCode.OK), patched.Body.ToJsonString());
        var v2 = (await Http.SendAsync(HttpMethod.Get, $"/apis/autoscaling/v2/namespaces/{ns}/horizontalpodautoscalers/web")).Body;
        var metrics = v2["spec"]!["metrics"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(patched.Body["apiVersion"]!.ToString(), Is.EqualTo("autoscaling/v1"));
            Assert.That(patched.Body["spec"]!["targetCPUUtilizationPercentage"]!.GetValue<int>(), Is.EqualTo(75));
            Assert.That(v2["spec"]!["maxReplicas"]!.GetValue<int>(), Is.EqualTo(20));
            Assert.That(metrics.Select(m => m!["type"]!.ToString()), Is.EqualTo(new[] { "Pods", "Resource" }));
            Assert.That(metrics[1]!["resource"]!["target"]!["averageUtilization"]!.GetValue<int>(), Is.EqualTo(75));
        });
    }
}
