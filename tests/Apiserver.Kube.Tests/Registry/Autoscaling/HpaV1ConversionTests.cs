using System.Text.Json.Nodes;
using Apiserver.Kube.Registry.Autoscaling.HorizontalPodAutoscalers;
using NUnit.Framework;

namespace Apiserver.Kube.Tests.Registry.Autoscaling;

/// <summary>
/// autoscaling/v1 ⇄ v2 HorizontalPodAutoscaler conversion as kube's: the CPU target maps to
/// targetCPUUtilizationPercentage, everything else v1 cannot say rides in the
/// <c>autoscaling.alpha.kubernetes.io/*</c> annotations and comes back unchanged.
/// </summary>
public class HpaV1ConversionTests
{
    private const string FullV2 = """
        {"metadata":{"name":"web","namespace":"default","annotations":{"team":"a"}},
         "spec":{"scaleTargetRef":{"kind":"Deployment","name":"web","apiVersion":"apps/v1"},"minReplicas":2,"maxReplicas":10,
          "metrics":[
           {"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":60}}},
           {"type":"Resource","resource":{"name":"memory","target":{"type":"AverageValue","averageValue":"500Mi"}}},
           {"type":"Pods","pods":{"metric":{"name":"packets-per-second"},"target":{"type":"AverageValue","averageValue":"1k"}}},
           {"type":"Object","object":{"describedObject":{"kind":"Ingress","name":"main","apiVersion":"networking.k8s.io/v1"},"target":{"type":"Value","value":"10k"},"metric":{"name":"requests-per-second"}}},
           {"type":"External","external":{"metric":{"name":"queue_messages","selector":{"matchLabels":{"queue":"worker"}}},"target":{"type":"AverageValue","averageValue":"30"}}}],
          "behavior":{"scaleUp":{"stabilizationWindowSeconds":0,"selectPolicy":"Max","policies":[{"type":"Pods","value":4,"periodSeconds":15}]},
                      "scaleDown":{"selectPolicy":"Min","policies":[{"type":"Percent","value":10,"periodSeconds":60}]}}},
         "status":{"observedGeneration":3,"lastScaleTime":"2025-01-02T03:04:05Z","currentReplicas":4,"desiredReplicas":5,
          "currentMetrics":[{"type":"Resource","resource":{"name":"cpu","current":{"averageValue":"120m","averageUtilization":70}}}],
          "conditions":[{"type":"AbleToScale","status":"True","lastTransitionTime":"2025-01-02T03:00:00Z","reason":"ReadyForNewScale","message":"recommended size matches current size"}]}}
        """;

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    [Test]
    public void V2ToV1_KeepsTheCpuTargetAndAnnotatesTheRest()
    {
        var v1 = HpaV1Conversion.Instance.FromStorage(Parse(FullV2));
        var annotations = v1["metadata"]!["annotations"]!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(v1["spec"]!.ToJsonString(), Is.EqualTo("""{"scaleTargetRef":{"kind":"Deployment","name":"web","apiVersion":"apps/v1"},"minReplicas":2,"maxReplicas":10,"targetCPUUtilizationPercentage":60}"""));
            Assert.That(v1["status"]!.ToJsonString(), Is.EqualTo("""{"observedGeneration":3,"lastScaleTime":"2025-01-02T03:04:05Z","currentReplicas":4,"desiredReplicas":5,"currentCPUUtilizationPercentage":70}"""));
            Assert.That(annotations["team"]!.ToString(), Is.EqualTo("a"));
            Assert.That(JsonNode.Parse(annotations[HpaV1Conversion.MetricsAnnotation]!.ToString())!.AsArray().Select(m => m!["type"]!.ToString()),
                Is.EqualTo(new[] { "Resource", "Pods", "Object", "External" }));
            Assert.That(JsonNode.Parse(annotations[HpaV1Conversion.MetricsAnnotation]!.ToString())![1]!.ToJsonString(),
                Is.EqualTo("""{"type":"Pods","pods":{"metricName":"packets-per-second","targetAverageValue":"1k"}}"""));
            Assert.That(annotations[HpaV1Conversion.CurrentMetricsAnnotation]!.ToString(),
                Is.EqualTo("""[{"type":"Resource","resource":{"name":"cpu","currentAverageUtilization":70,"currentAverageValue":"120m"}}]"""));
            Assert.That(annotations[HpaV1Conversion.BehaviorAnnotation]!.ToString(), Is.EqualTo(
                """{"ScaleUp":{"StabilizationWindowSeconds":0,"SelectPolicy":"Max","Policies":[{"Type":"Pods","Value":4,"PeriodSeconds":15}],"Tolerance":null},"ScaleDown":{"StabilizationWindowSeconds":null,"SelectPolicy":"Min","Policies":[{"Type":"Percent","Value":10,"PeriodSeconds":60}],"Tolerance":null}}"""));
            Assert.That(JsonNode.Parse(annotations[HpaV1Conversion.ConditionsAnnotation]!.ToString())![0]!["reason"]!.ToString(), Is.EqualTo("ReadyForNewScale"));
        });
    }

    [Test]
    public void V2ToV1ToV2_RoundTripsEveryField()
    {
        var v2 = Parse(FullV2);
        var back = HpaV1Conversion.Instance.ToStorage(HpaV1Conversion.Instance.FromStorage((JsonObject)v2.DeepClone()));
        // The CPU metric comes back last: kube appends the normal spec conversion's metric after the annotation's.
        var metrics = v2["spec"]!["metrics"]!.AsArray();
        var cpu = metrics[0]!;
        metrics.RemoveAt(0);
        metrics.Add(cpu);
        Assert.That(JsonNode.DeepEquals(back, v2), Is.True, back.ToJsonString());
    }

    [Test]
    public void PlainV1_GetsTheImplicitCpuDefaultAndNoAnnotations()
    {
        var v2 = HpaV1Conversion.Instance.ToStorage(Parse("""{"metadata":{"name":"x"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"x"},"maxReplicas":3}}"""));
        Assert.Multiple(() =>
        {
            Assert.That(v2["spec"]!.ToJsonString(), Is.EqualTo(
                """{"scaleTargetRef":{"kind":"Deployment","name":"x"},"minReplicas":1,"maxReplicas":3,"metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":80}}}]}"""));
            Assert.That(v2["metadata"]!["annotations"], Is.Null);
        });
        var v1 = HpaV1Conversion.Instance.FromStorage(v2);
        Assert.That(v1["spec"]!["targetCPUUtilizationPercentage"]!.GetValue<int>(), Is.EqualTo(80));
        Assert.That(v1["metadata"]!["annotations"], Is.Null);
    }

    [Test]
    public void V1CurrentCpu_BecomesACurrentMetric()
    {
        var v2 = HpaV1Conversion.Instance.ToStorage(Parse("""{"metadata":{"name":"x"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"x"},"maxReplicas":3,"targetCPUUtilizationPercentage":50},"status":{"currentReplicas":2,"desiredReplicas":2,"currentCPUUtilizationPercentage":41}}"""));
        Assert.That(v2["status"]!.ToJsonString(), Is.EqualTo(
            """{"currentReplicas":2,"desiredReplicas":2,"currentMetrics":[{"type":"Resource","resource":{"name":"cpu","current":{"averageUtilization":41}}}]}"""));
    }

    [Test]
    public void BehaviorAnnotation_IsReadIgnoringCase()
    {
        var v2 = HpaV1Conversion.Instance.ToStorage(Parse("""
            {"metadata":{"name":"x","annotations":{"autoscaling.alpha.kubernetes.io/behavior":"{\"scaleup\":{\"selectpolicy\":\"Disabled\"}}"}},
             "spec":{"scaleTargetRef":{"kind":"Deployment","name":"x"},"maxReplicas":3}}
            """));
        Assert.That(v2["spec"]!["behavior"]!.ToJsonString(), Is.EqualTo("""{"scaleUp":{"selectPolicy":"Disabled"}}"""));
    }

    [Test]
    public void BrokenAnnotation_IsAClientError()
    {
        var v1 = Parse("""{"metadata":{"name":"x","annotations":{"autoscaling.alpha.kubernetes.io/metrics":"not json"}},"spec":{"maxReplicas":3}}""");
        var e = Assert.Throws<Apiserver.Generic.Api.StatusException>(() => HpaV1Conversion.Instance.ToStorage(v1));
        Assert.That(e!.Code, Is.EqualTo(400));
    }
}
