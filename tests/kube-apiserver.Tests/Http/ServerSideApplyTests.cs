using System.Net;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace KubeApiserver.Tests.Http;

/// <summary>Server-side apply and managedFields over HTTP: the request options, the Status of failures, every write's entry.</summary>
[TestFixture]
public sealed class ServerSideApplyTests : ServerFixture
{
    private const string ApplyType = "application/apply-patch+yaml";

    private static string ConfigMapYaml(string name, string data) =>
        $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n{data}";

    private Task<(HttpStatusCode Code, JsonObject Body)> ApplyAsync(string ns, string name, string yaml, string query) =>
        Http.SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{ns}/configmaps/{name}?{query}", yaml, ApplyType);

    private static JsonObject Entry(JsonObject obj, string manager) =>
        obj["metadata"]!["managedFields"]!.AsArray().Single(e => e!["manager"]?.ToString() == manager)!.AsObject();

    [Test]
    public async Task ApplyOnMissingObject_Creates201WithAnApplyEntry()
    {
        var ns = await NewNamespaceAsync();
        var (code, body) = await ApplyAsync(ns, "cm", ConfigMapYaml("cm", "  a: \"1\"\n"), "fieldManager=tool");
        Assert.That(code, Is.EqualTo(HttpStatusCode.Created), body.ToJsonString());
        var entry = Entry(body, "tool");
        Assert.Multiple(() =>
        {
            Assert.That(entry["operation"]!.ToString(), Is.EqualTo("Apply"));
            Assert.That(entry["fieldsV1"]!.ToJsonString(), Is.EqualTo("""{"f:data":{"f:a":{}}}"""));
            Assert.That(body["data"]!["a"]!.ToString(), Is.EqualTo("1"));
        });
    }

    [Test]
    public async Task ApplyInJson_IsAcceptedToo()
    {
        var ns = await NewNamespaceAsync();
        var (code, _) = await ApplyAsync(ns, "json", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"json"},"data":{"a":"1"}}""", "fieldManager=tool");
        Assert.That(code, Is.EqualTo(HttpStatusCode.Created));
    }

    [Test]
    public async Task ApplyWithoutFieldManager_Answers422()
    {
        var ns = await NewNamespaceAsync();
        var status = (await ApplyAsync(ns, "cm", ConfigMapYaml("cm", "  a: \"1\"\n"), "")).AssertStatus(422, "Invalid");
        Assert.That(status["message"]!.ToString(), Is.EqualTo("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch"));
    }

    [Test]
    public async Task ForceOnANonApplyPatch_Answers422()
    {
        var ns = await NewNamespaceAsync();
        await ApplyAsync(ns, "cm", ConfigMapYaml("cm", "  a: \"1\"\n"), "fieldManager=tool");
        var status = (await Http.SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{ns}/configmaps/cm?force=true", """{"data":{"a":"2"}}""", "application/merge-patch+json"))
            .AssertStatus(422, "Invalid");
        Assert.That(status["message"]!.ToString(), Does.EndWith("force: Forbidden: may not be specified for non-apply patch"));
    }

    [Test]
    public async Task ApplyWithTheWrongVersion_Answers400()
    {
        var ns = await NewNamespaceAsync();
        var status = (await ApplyAsync(ns, "cm", "apiVersion: v2\nkind: ConfigMap\nmetadata:\n  name: cm\n", "fieldManager=tool")).AssertStatus(400, "BadRequest");
        Assert.That(status["message"]!.ToString(), Is.EqualTo("Incorrect version specified in apply patch. Specified patch version: v2, expected: v1"));
    }

    [Test]
    public async Task ConflictingApply_Answers409WithACausePerField_AndForceTakesOver()
    {
        var ns = await NewNamespaceAsync();
        await ApplyAsync(ns, "cm", ConfigMapYaml("cm", "  a: \"1\"\n  b: \"2\"\n"), "fieldManager=first");
        var conflict = (await ApplyAsync(ns, "cm", ConfigMapYaml("cm", "  a: \"9\"\n  b: \"8\"\n"), "fieldManager=second")).AssertStatus(409, "Conflict");
        Assert.Multiple(() =>
        {
            Assert.That(conflict["message"]!.ToString(), Is.EqualTo("Apply failed with 2 conflicts: conflicts with \"first\":\n- .data.a\n- .data.b"));
            Assert.That(conflict["details"]!["causes"]!.ToJsonString(Apiserver.Generic.Api.JsonOptions.Compact), Is.EqualTo(
                """[{"reason":"FieldManagerConflict","message":"conflict with \"first\"","field":".data.a"},{"reason":"FieldManagerConflict","message":"conflict with \"first\"","field":".data.b"}]"""));
        });
        var (code, forced) = await ApplyAsync(ns, "cm", ConfigMapYaml("cm", "  a: \"9\"\n"), "fieldManager=second&force=true");
        Assert.That(code, Is.EqualTo(HttpStatusCode.OK), forced.ToJsonString());
        Assert.Multiple(() =>
        {
            Assert.That(forced["data"]!.ToJsonString(), Is.EqualTo("""{"a":"9","b":"2"}"""));
            Assert.That(Entry(forced, "first")["fieldsV1"]!.ToJsonString(), Is.EqualTo("""{"f:data":{"f:b":{}}}"""));
        });
    }

    [Test]
    public async Task DryRunApply_StoresNothing()
    {
        var ns = await NewNamespaceAsync();
        var (code, _) = await ApplyAsync(ns, "dry", ConfigMapYaml("dry", "  a: \"1\"\n"), "fieldManager=tool&dryRun=All");
        Assert.That(code, Is.EqualTo(HttpStatusCode.Created));
        (await Http.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/dry")).AssertStatus(404, "NotFound");
    }

    [Test]
    public async Task EveryWrite_IsAnUpdateEntryOfItsManagerOrUserAgent()
    {
        var ns = await NewNamespaceAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps")
        {
            Content = new StringContent("""{"metadata":{"name":"ua"},"data":{"a":"1"}}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.UserAgent.ParseAdd("my-controller/v1.2.3");
        Assert.That((await Http.SendAsync(request)).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var patched = (await Http.SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{ns}/configmaps/ua?fieldManager=patcher", """{"data":{"b":"2"}}""", "application/merge-patch+json")).Body;
        var entries = patched["metadata"]!["managedFields"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(entries.Select(e => e!["manager"]!.ToString()), Is.EqualTo(new[] { "my-controller", "patcher" }));
            Assert.That(entries.Select(e => e!["operation"]!.ToString()), Is.EqualTo(new[] { "Update", "Update" }));
            Assert.That(entries[1]!["fieldsV1"]!.ToJsonString(), Is.EqualTo("""{"f:data":{"f:b":{}}}"""));
        });
    }

    [Test]
    public async Task StatusWrite_IsTrackedWithItsSubresource()
    {
        var ns = await NewNamespaceAsync();
        await Http.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/deployments", """
            {"metadata":{"name":"d"},"spec":{"selector":{"matchLabels":{"app":"d"}},"template":{"metadata":{"labels":{"app":"d"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}
            """);
        var (code, body) = await Http.SendAsync(HttpMethod.Patch, $"/apis/apps/v1/namespaces/{ns}/deployments/d/status?fieldManager=controller",
            """{"status":{"replicas":1}}""", "application/merge-patch+json");
        Assert.That(code, Is.EqualTo(HttpStatusCode.OK), body.ToJsonString());
        var entry = Entry(body, "controller");
        Assert.Multiple(() =>
        {
            Assert.That(entry["subresource"]!.ToString(), Is.EqualTo("status"));
            Assert.That(entry["fieldsV1"]!.ToJsonString(), Is.EqualTo("""{"f:status":{"f:replicas":{}}}"""));
        });
    }

    [Test]
    public async Task FieldManagerTooLong_Answers422()
    {
        var ns = await NewNamespaceAsync();
        var status = (await Http.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps?fieldManager={new string('x', 129)}", """{"metadata":{"name":"long"}}"""))
            .AssertStatus(422, "Invalid");
        Assert.That(status["message"]!.ToString(), Does.StartWith("CreateOptions.meta.k8s.io \"\" is invalid: fieldManager: Too long"));
    }
}
