using System.Net;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace KubeApiserver.Tests.Http;

/// <summary>admissionregistration.k8s.io/v1 as kube-apiserver 1.34 stores it: discovery, defaults, validation, round trips.</summary>
[TestFixture]
public sealed class AdmissionRegistrationTests : ServerFixture
{
    private const string Group = "/apis/admissionregistration.k8s.io/v1";

    private const string Webhook = """{"name":"a.example.com","clientConfig":{"service":{"namespace":"default","name":"svc"}},"rules":[{"operations":["CREATE"],"apiGroups":[""],"apiVersions":["v1"],"resources":["pods"]}],"sideEffects":"None","admissionReviewVersions":["v1"]}""";

    [Test]
    public async Task Discovery_ReportsKubesEntries()
    {
        var resources = (await Http.SendAsync(HttpMethod.Get, Group)).Body["resources"]!.AsArray();
        Assert.That(resources.Select(r => r!["name"]!.ToString()), Is.EqualTo(new[]
        {
            "mutatingwebhookconfigurations", "validatingadmissionpolicies", "validatingadmissionpolicies/status",
            "validatingadmissionpolicybindings", "validatingwebhookconfigurations",
        }));
        Assert.That(resources[0]!.ToJsonString(), Is.EqualTo("""{"name":"mutatingwebhookconfigurations","singularName":"mutatingwebhookconfiguration","namespaced":false,"kind":"MutatingWebhookConfiguration","verbs":["create","delete","deletecollection","get","list","patch","update","watch"],"categories":["api-extensions"]}"""));
    }

    [Test]
    public async Task MutatingWebhook_GetsKubesDefaultsAndRoundTrips()
    {
        var created = await Http.SendAsync(HttpMethod.Post, $"{Group}/mutatingwebhookconfigurations",
            $$$"""{"apiVersion":"admissionregistration.k8s.io/v1","kind":"MutatingWebhookConfiguration","metadata":{"name":"mwc"},"webhooks":[{{{Webhook}}}]}""");
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        var got = (await Http.SendAsync(HttpMethod.Get, $"{Group}/mutatingwebhookconfigurations/mwc")).Body;
        Assert.That(got["webhooks"]![0]!.ToJsonString(), Is.EqualTo(
            """{"name":"a.example.com","clientConfig":{"service":{"namespace":"default","name":"svc","port":443}},"rules":[{"operations":["CREATE"],"apiGroups":[""],"apiVersions":["v1"],"resources":["pods"],"scope":"*"}],"sideEffects":"None","admissionReviewVersions":["v1"],"failurePolicy":"Fail","timeoutSeconds":10,"matchPolicy":"Equivalent","namespaceSelector":{},"objectSelector":{},"reinvocationPolicy":"Never"}"""));
        Assert.That(got["metadata"]!["generation"]!.GetValue<int>(), Is.EqualTo(1));
    }

    [Test]
    public async Task InvalidWebhook_Answers422WithEveryProblem()
    {
        var bad = await Http.SendAsync(HttpMethod.Post, $"{Group}/validatingwebhookconfigurations",
            """{"apiVersion":"admissionregistration.k8s.io/v1","kind":"ValidatingWebhookConfiguration","metadata":{"name":"bad"},"webhooks":[{"name":"short","clientConfig":{"url":"http://x"},"timeoutSeconds":31}]}""");
        var message = bad.AssertStatus(422, "Invalid")["message"]!.ToString();
        Assert.That(message, Does.Contain("webhooks[0].name: Invalid value: \"short\": should be a domain with at least three segments separated by dots")
            .And.Contain("webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun")
            .And.Contain("webhooks[0].admissionReviewVersions: Required value: must specify one of v1, v1beta1")
            .And.Contain("webhooks[0].timeoutSeconds: Invalid value: 31: the timeout value must be between 1 and 30 seconds")
            .And.Contain("webhooks[0].clientConfig.url: Invalid value: \"http://x\": 'https' is the only allowed URL scheme"));
    }

    [Test]
    public async Task PolicyAndBinding_RoundTripWithDefaultsAndRefuseWhatKubeRefuses()
    {
        var policy = await Http.SendAsync(HttpMethod.Post, $"{Group}/validatingadmissionpolicies",
            """{"apiVersion":"admissionregistration.k8s.io/v1","kind":"ValidatingAdmissionPolicy","metadata":{"name":"max-replicas"},"spec":{"matchConstraints":{"resourceRules":[{"operations":["CREATE","UPDATE"],"apiGroups":["apps"],"apiVersions":["v1"],"resources":["deployments"]}]},"validations":[{"expression":"object.spec.replicas <= 5","message":"too many"}]}}""");
        Assert.That(policy.Code, Is.EqualTo(HttpStatusCode.Created), policy.Body.ToJsonString());
        Assert.Multiple(() =>
        {
            Assert.That(policy.Body["spec"]!["failurePolicy"]!.ToString(), Is.EqualTo("Fail"));
            Assert.That(policy.Body["spec"]!["matchConstraints"]!.ToJsonString(), Is.EqualTo(
                """{"resourceRules":[{"operations":["CREATE","UPDATE"],"apiGroups":["apps"],"apiVersions":["v1"],"resources":["deployments"],"scope":"*"}],"matchPolicy":"Equivalent","namespaceSelector":{},"objectSelector":{}}"""));
            Assert.That(policy.Body["spec"]!["validations"]![0]!["expression"]!.ToString(), Is.EqualTo("object.spec.replicas <= 5"));
        });
        var binding = await Http.SendAsync(HttpMethod.Post, $"{Group}/validatingadmissionpolicybindings",
            """{"apiVersion":"admissionregistration.k8s.io/v1","kind":"ValidatingAdmissionPolicyBinding","metadata":{"name":"b"},"spec":{"policyName":"max-replicas","validationActions":["Deny"]}}""");
        Assert.That(binding.Code, Is.EqualTo(HttpStatusCode.Created), binding.Body.ToJsonString());
        Assert.That(binding.Body["spec"]!.ToJsonString(), Is.EqualTo("""{"policyName":"max-replicas","validationActions":["Deny"]}"""));

        var noValidations = await Http.SendAsync(HttpMethod.Post, $"{Group}/validatingadmissionpolicies",
            """{"apiVersion":"admissionregistration.k8s.io/v1","kind":"ValidatingAdmissionPolicy","metadata":{"name":"empty"},"spec":{}}""");
        Assert.That(noValidations.AssertStatus(422, "Invalid")["message"]!.ToString(),
            Does.Contain("spec.matchConstraints: Required value").And.Contain("spec.validations: Required value: validations or auditAnnotations must contain at least one item"));
        var noActions = await Http.SendAsync(HttpMethod.Post, $"{Group}/validatingadmissionpolicybindings",
            """{"apiVersion":"admissionregistration.k8s.io/v1","kind":"ValidatingAdmissionPolicyBinding","metadata":{"name":"c"},"spec":{"policyName":"p","validationActions":["Deny","Warn"]}}""");
        Assert.That(noActions.AssertStatus(422, "Invalid")["message"]!.ToString(), Does.Contain("must not contain both Deny and Warn"));
    }
}
