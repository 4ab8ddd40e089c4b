using System.Net;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace KubeApiserver.Tests.Http;

/// <summary>
/// kube's OpenAPI <c>required</c> lists: published in /openapi/v2 and /openapi/v3, and a missing
/// required field answers 422 with a <c>Required value</c> cause, after defaults (so a defaulted
/// field is never refused).
/// </summary>
[TestFixture]
public sealed class RequiredFieldsTests : ServerFixture
{
    [TestCase("io.k8s.api.core.v1.Container", new[] { "name" })]
    [TestCase("io.k8s.api.core.v1.ContainerPort", new[] { "containerPort" })]
    [TestCase("io.k8s.api.apps.v1.DeploymentSpec", new[] { "selector", "template" })]
    [TestCase("io.k8s.api.rbac.v1.RoleRef", new[] { "apiGroup", "kind", "name" })]
    public async Task OpenApiV2_PublishesKubesRequiredLists(string definition, string[] required)
    {
        var document = (await Http.SendAsync(HttpMethod.Get, "/openapi/v2")).Body;
        var schema = document["definitions"]![definition];
        Assert.That(schema, Is.Not.Null, definition);
        Assert.That(schema!["required"]!.AsArray().Select(r => r!.ToString()), Is.EqualTo(required));
    }

    [Test]
    public async Task OpenApiV3_PublishesKubesRequiredLists()
    {
        var document = (await Http.SendAsync(HttpMethod.Get, "/openapi/v3/apis/autoscaling/v2")).Body;
        var schemas = document["components"]!["schemas"]!;
        Assert.Multiple(() =>
        {
            Assert.That(schemas["io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec"]!["required"]!.AsArray().Select(r => r!.ToString()),
                Is.EqualTo(new[] { "scaleTargetRef", "maxReplicas" }));
            Assert.That(schemas["io.k8s.api.autoscaling.v2.MetricTarget"]!["required"]!.AsArray().Select(r => r!.ToString()), Is.EqualTo(new[] { "type" }));
        });
    }

    [Test]
    public async Task MissingRequiredField_Answers422RequiredValue()
    {
        var ns = await NewNamespaceAsync();
        var body = (await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods", """
            {"metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"nginx"}],
             "affinity":{"podAntiAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[{"labelSelector":{"matchLabels":{"app":"x"}}}]}}}}
            """)).AssertStatus(422, "Invalid");
        var causes = body["details"]!["causes"]!.AsArray();
        Assert.That(causes.Any(c => c!["field"]!.ToString() == "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey"
            && c["reason"]!.ToString() == "FieldValueRequired"), Is.True, body.ToJsonString());
    }

    [Test]
    public async Task DefaultedRequiredField_IsAccepted()
    {
        // roleRef.apiGroup is required in kube's OpenAPI and defaulted before validation.
        var ns = await NewNamespaceAsync();
        var created = await Http.SendAsync(HttpMethod.Post, $"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings",
            """{"metadata":{"name":"b"},"roleRef":{"kind":"Role","name":"r"},"subjects":[{"kind":"User","name":"u"}]}""");
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
    }
}
