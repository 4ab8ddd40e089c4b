using System.Net;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace KubeApiserver.Tests.Http;

/// <summary>networking.k8s.io/v1 ingresses: round trip, status, kube's validation and columns.</summary>
[TestFixture]
public sealed class IngressTests : ServerFixture
{
    private const string Realistic = """
        {"kind":"Ingress","apiVersion":"networking.k8s.io/v1","metadata":{"name":"web","annotations":{"nginx.ingress.kubernetes.io/rewrite-target":"/"}},
         "spec":{"ingressClassName":"nginx","defaultBackend":{"service":{"name":"fallback","port":{"name":"http"}}},
          "tls":[{"hosts":["foo.example.com","*.bar.example.com"],"secretName":"foo-tls"}],
          "rules":[{"host":"foo.example.com","http":{"paths":[{"path":"/api","pathType":"Prefix","backend":{"service":{"name":"api","port":{"number":8080}}}},
                                                              {"path":"/static","pathType":"ImplementationSpecific","backend":{"resource":{"apiGroup":"k8s.example.com","kind":"StorageBucket","name":"static-assets"}}}]}},
                   {"http":{"paths":[{"path":"/","pathType":"Exact","backend":{"service":{"name":"web","port":{"number":80}}}}]}}]},
         "status":{"loadBalancer":{}}}
        """;

    [Test]
    public async Task RealisticIngress_RoundTripsUnchanged()
    {
        var ns = await NewNamespaceAsync();
        var created = await Http.SendAsync(HttpMethod.Post, $"/apis/networking.k8s.io/v1/namespaces/{ns}/ingresses", Realistic);
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        var got = (await Http.SendAsync(HttpMethod.Get, $"/apis/networking.k8s.io/v1/namespaces/{ns}/ingresses/web")).Body;
        Assert.That(got["metadata"]!["generation"]!.GetValue<int>(), Is.EqualTo(1));
        foreach (var field in new[] { "uid", "resourceVersion", "creationTimestamp", "generation", "namespace", "managedFields" })
        {
            got["metadata"]!.AsObject().Remove(field);
        }
        Assert.That(JsonNode.DeepEquals(got, JsonNode.Parse(Realistic)), Is.True, got.ToJsonString());
    }

    [Test]
    public async Task Status_IsWrittenThroughItsSubresourceAndShownInTheTable()
    {
        var ns = await NewNamespaceAsync();
        var created = (await Http.SendAsync(HttpMethod.Post, $"/apis/networking.k8s.io/v1/namespaces/{ns}/ingresses", Realistic)).Body;
        created["status"] = JsonNode.Parse("""{"loadBalancer":{"ingress":[{"ip":"203.0.113.10"},{"hostname":"lb.example.com"}]}}""");
        var updated = await Http.SendAsync(HttpMethod.Put, $"/apis/networking.k8s.io/v1/namespaces/{ns}/ingresses/web/status", created.ToJsonString());
        Assert.That(updated.Code, Is.EqualTo(HttpStatusCode.OK), updated.Body.ToJsonString());

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/apis/networking.k8s.io/v1/namespaces/{ns}/ingresses");
        request.Headers.TryAddWithoutValidation("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io");
        var table = JsonNode.Parse(await (await Http.SendAsync(request)).Content.ReadAsStringAsync())!;
        Assert.That(table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.ToString()), Is.EqualTo(new[] { "Name", "Class", "Hosts", "Address", "Ports", "Age" }));
        var cells = table["rows"]![0]!["cells"]!.AsArray().Select(c => c!.ToString()).Take(5);
        Assert.That(cells, Is.EqualTo(new[] { "web", "nginx", "foo.example.com", "203.0.113.10,...", "80, 443" }));
    }

    [TestCase("""{"spec":{}}""", "spec", "either `defaultBackend` or `rules` must be specified")]
    [TestCase("""{"spec":{"rules":[{"host":"foo.com","http":{"paths":[{"path":"/a","backend":{"service":{"name":"s","port":{"number":80}}}}]}}]}}""", "spec.rules[0].http.paths[0].pathType", "pathType must be specified")]
    [TestCase("""{"spec":{"rules":[{"host":"foo.com","http":{"paths":[{"path":"a","pathType":"Prefix","backend":{"service":{"name":"s","port":{"number":80}}}}]}}]}}""", "spec.rules[0].http.paths[0].path", "must be an absolute path")]
    [TestCase("""{"spec":{"rules":[{"host":"foo.com","http":{"paths":[{"path":"/a//b","pathType":"Exact","backend":{"service":{"name":"s","port":{"number":80}}}}]}}]}}""", "spec.rules[0].http.paths[0].path", "must not contain '//'")]
    [TestCase("""{"spec":{"rules":[{"host":"foo.com","http":{"paths":[{"path":"/","pathType":"Regex","backend":{"service":{"name":"s","port":{"number":80}}}}]}}]}}""", "spec.rules[0].http.paths[0].pathType", "supported values: \"Exact\", \"ImplementationSpecific\", \"Prefix\"")]
    [TestCase("""{"spec":{"rules":[{"host":"10.0.0.1","http":{"paths":[{"path":"/","pathType":"Prefix","backend":{"service":{"name":"s","port":{"number":80}}}}]}}]}}""", "spec.rules[0].host", "must be a DNS name, not an IP address")]
    [TestCase("""{"spec":{"defaultBackend":{"service":{"name":"s"}}}}""", "spec.defaultBackend", "port name or number is required")]
    [TestCase("""{"spec":{"defaultBackend":{"service":{"name":"s","port":{"name":"http","number":80}}}}}""", "spec.defaultBackend", "cannot set both port name & port number")]
    [TestCase("""{"spec":{"defaultBackend":{"service":{"name":"1svc","port":{"number":80}}}}}""", "spec.defaultBackend.service.name", "a DNS-1035 label")]
    [TestCase("""{"spec":{"defaultBackend":{}}}""", "spec.defaultBackend", "resource or service backend is required")]
    [TestCase("""{"metadata":{"annotations":{"kubernetes.io/ingress.class":"nginx"}},"spec":{"ingressClassName":"nginx","defaultBackend":{"service":{"name":"s","port":{"number":80}}}}}""", "annotations.kubernetes.io/ingress.class", "can not be set when the class field is also set")]
    public async Task InvalidIngress_Answers422WithKubesCause(string json, string field, string message)
    {
        var ns = await NewNamespaceAsync();
        var body = JsonNode.Parse(json)!.AsObject();
        body["metadata"] ??= new JsonObject();
        body["metadata"]!["name"] = "bad";
        var response = (await Http.SendAsync(HttpMethod.Post, $"/apis/networking.k8s.io/v1/namespaces/{ns}/ingresses", body.ToJsonString())).AssertStatus(422, "Invalid");
        var cause = response["details"]!["causes"]!.AsArray().FirstOrDefault(c => c!["field"]!.ToString() == field);
        Assert.That(cause, Is.Not.Null, response.ToJsonString());
        Assert.That(cause!["message"]!.ToString(), Does.Contain(message));
    }
}
