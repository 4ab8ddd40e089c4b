using System.Net;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace KubeApiserver.Tests.Http;

/// <summary>
/// core/v1 services over HTTP: kube 1.34's discovery entry, defaults and allocated fields, the
/// 422s of validation and allocation, the table, and the <c>kubernetes</c> service of the bootstrap controller.
/// </summary>
[TestFixture]
public sealed class ServiceTests : ServerFixture
{
    private static string Svc(string name, string spec) => $$"""{"apiVersion":"v1","kind":"Service","metadata":{"name":"{{name}}"},"spec":{{spec}}}""";

    private static string Strings(JsonNode? array) => string.Join(",", (array as JsonArray ?? []).Select(v => v!.ToString()));

    [Test]
    public async Task Discovery_ReportsKubesEntries()
    {
        var resources = (await Http.SendAsync(HttpMethod.Get, "/api/v1")).Body["resources"]!.AsArray()
            .ToDictionary(r => r!["name"]!.ToString(), r => r!);
        Assert.Multiple(() =>
        {
            Assert.That(resources["services"].ToJsonString(), Is.EqualTo("""{"name":"services","singularName":"service","namespaced":true,"kind":"Service","verbs":["create","delete","get","list","patch","update","watch"],"shortNames":["svc"],"categories":["all"]}"""));
            Assert.That(Strings(resources["services/status"]["verbs"]), Is.EqualTo("get,patch,update"));
            Assert.That(resources["bindings"].ToJsonString(), Is.EqualTo("""{"name":"bindings","singularName":"binding","namespaced":true,"kind":"Binding","verbs":["create"]}"""));
            Assert.That(resources["pods/binding"].ToJsonString(), Is.EqualTo("""{"name":"pods/binding","singularName":"","namespaced":true,"kind":"Binding","verbs":["create"]}"""));
            Assert.That(resources["pods/eviction"].ToJsonString(), Is.EqualTo("""{"name":"pods/eviction","singularName":"","namespaced":true,"kind":"Eviction","verbs":["create"],"group":"policy","version":"v1"}"""));
        });
    }

    [Test]
    public async Task Create_AppliesKubesDefaultsAndAllocates()
    {
        var ns = await NewNamespaceAsync();
        var created = await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/services",
            Svc("web", """{"type":"NodePort","selector":{"app":"web"},"ports":[{"port":80}]}"""));
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        var spec = created.Body["spec"]!;
        var port = spec["ports"]![0]!;
        Assert.Multiple(() =>
        {
            Assert.That(spec["clusterIP"]!.ToString(), Does.StartWith("10.0.0."));
            Assert.That(Strings(spec["clusterIPs"]), Is.EqualTo(spec["clusterIP"]!.ToString()));
            Assert.That(Strings(spec["ipFamilies"]), Is.EqualTo("IPv4"));
            Assert.That(spec["ipFamilyPolicy"]!.ToString(), Is.EqualTo("SingleStack"));
            Assert.That(spec["sessionAffinity"]!.ToString(), Is.EqualTo("None"));
            Assert.That(spec["externalTrafficPolicy"]!.ToString(), Is.EqualTo("Cluster"));
            Assert.That(spec["internalTrafficPolicy"]!.ToString(), Is.EqualTo("Cluster"));
            Assert.That(port["protocol"]!.ToString(), Is.EqualTo("TCP"));
            Assert.That(port["targetPort"]!.GetValue<int>(), Is.EqualTo(80));
            Assert.That(port["nodePort"]!.GetValue<int>(), Is.InRange(30000, 32767));
            Assert.That(created.Body["status"]!.ToJsonString(), Is.EqualTo("""{"loadBalancer":{}}"""));
        });
    }

    [Test]
    public async Task InvalidServices_Answer422WithKubesMessages()
    {
        var ns = await NewNamespaceAsync();
        var path = $"/api/v1/namespaces/{ns}/services";
        // Addresses of the static band (the lowest 16) are not handed out dynamically while the rest is free.
        await Http.SendAsync(HttpMethod.Post, path, Svc("taken", """{"clusterIP":"10.0.0.7","ports":[{"port":80}]}"""));
        var cases = new (string Body, string Message)[]
        {
            (Svc("dup", """{"clusterIP":"10.0.0.7","ports":[{"port":80}]}"""),
                "Service \"dup\" is invalid: spec.clusterIPs: Invalid value: [\"10.0.0.7\"]: failed to allocate IP 10.0.0.7: provided IP is already allocated"),
            // kube 1.34 checks an asked-for IP against every ServiceCIDR (ErrMismatchedNetwork), naming none.
            (Svc("out", """{"clusterIP":"192.168.0.1","ports":[{"port":80}]}"""),
                "Service \"out\" is invalid: spec.clusterIPs: Invalid value: [\"192.168.0.1\"]: failed to allocate IP 192.168.0.1: the provided network does not match the current range"),
            (Svc("noports", """{"selector":{"a":"b"}}"""), "Service \"noports\" is invalid: spec.ports: Required value"),
            (Svc("badport", """{"ports":[{"port":70000,"targetPort":80}]}"""), "Service \"badport\" is invalid: spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive"),
            (Svc("np", """{"ports":[{"port":80,"nodePort":30080}]}"""), "Service \"np\" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"),
            (Svc("npout", """{"type":"NodePort","ports":[{"port":80,"nodePort":80}]}"""),
                "Service \"npout\" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767"),
            (Svc("ext", """{"type":"ExternalName"}"""), "Service \"ext\" is invalid: spec.externalName: Required value"),
            (Svc("kind", """{"type":"Foo","ports":[{"port":80}]}"""), "Service \"kind\" is invalid: spec.type: Unsupported value: \"Foo\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\""),
        };
        foreach (var (body, message) in cases)
        {
            var status = (await Http.SendAsync(HttpMethod.Post, path, body)).AssertStatus(422, "Invalid");
            Assert.That(status["message"]!.ToString(), Is.EqualTo(message));
        }
    }

    [Test]
    public async Task Update_KeepsTheClusterIpAndRefusesToChangeIt()
    {
        var ns = await NewNamespaceAsync();
        var created = (await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/services", Svc("a", """{"ports":[{"port":80}]}"""))).Body;
        var ip = created["spec"]!["clusterIP"]!.ToString();
        // A PUT of the object as first written (without the allocated fields) keeps them.
        var put = await Http.SendAsync(HttpMethod.Put, $"/api/v1/namespaces/{ns}/services/a", Svc("a", """{"ports":[{"port":81}]}"""));
        Assert.That(put.Code, Is.EqualTo(HttpStatusCode.OK), put.Body.ToJsonString());
        Assert.That(put.Body["spec"]!["clusterIP"]!.ToString(), Is.EqualTo(ip));
        var change = await Http.SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{ns}/services/a",
            """{"spec":{"clusterIP":"10.0.0.5","clusterIPs":["10.0.0.5"]}}""", "application/merge-patch+json");
        Assert.That(change.AssertStatus(422, "Invalid")["message"]!.ToString(),
            Is.EqualTo("Service \"a\" is invalid: spec.clusterIPs[0]: Invalid value: \"10.0.0.5\": may not change once set"));
    }

    [Test]
    public async Task KubernetesService_PointsAtTheServer()
    {
        var svc = (await Http.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/services/kubernetes")).Body;
        var endpoints = (await Http.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/endpoints/kubernetes")).Body;
        var slice = (await Http.SendAsync(HttpMethod.Get, "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes")).Body;
        var port = Server.Chain.Address.Port;
        Assert.Multiple(() =>
        {
            Assert.That(svc["spec"]!["clusterIP"]!.ToString(), Is.EqualTo("10.0.0.1"));
            Assert.That(svc["spec"]!["ports"]!.ToJsonString(), Is.EqualTo($$"""[{"name":"https","port":443,"protocol":"TCP","targetPort":{{port}}}]"""));
            Assert.That(svc["metadata"]!["labels"]!.ToJsonString(), Is.EqualTo("""{"component":"apiserver","provider":"kubernetes"}"""));
            Assert.That(endpoints["subsets"]!.ToJsonString(), Is.EqualTo($$"""[{"addresses":[{"ip":"127.0.0.1"}],"ports":[{"name":"https","port":{{port}},"protocol":"TCP"}]}]"""));
            Assert.That(slice["addressType"]!.ToString(), Is.EqualTo("IPv4"));
            Assert.That(slice["metadata"]!["labels"]!["kubernetes.io/service-name"]!.ToString(), Is.EqualTo("kubernetes"));
        });
        var readyz = await Http.GetStringAsync("/readyz?verbose");
        Assert.That(readyz, Does.Contain("[+]poststarthook/bootstrap-controller ok").And.Contain("[+]poststarthook/start-service-ip-repair-controllers ok"));
    }

    [Test]
    public async Task DeleteCollection_IsNotServed()
    {
        var ns = await NewNamespaceAsync();
        (await Http.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/services")).AssertStatus(405, "MethodNotAllowed");
    }

    [Test]
    public async Task RequireDualStack_OnASingleStackCluster_Answers422()
    {
        var ns = await NewNamespaceAsync();
        var created = await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/services", Svc("dual", """{"ipFamilyPolicy":"RequireDualStack","ports":[{"port":80}]}"""));
        var status = created.AssertStatus(422, "Invalid");
        Assert.That(status["message"]!.ToString(), Is.EqualTo(
            "Service \"dual\" is invalid: spec.ipFamilyPolicy: Invalid value: \"RequireDualStack\": this cluster is not configured for dual-stack services"));
        Assert.That(status["details"]!["causes"]![0]!["field"]!.ToString(), Is.EqualTo("spec.ipFamilyPolicy"));
    }
}
