using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.FieldManagement;
using Apiserver.Kube.Schema;
using k8s.Models;
using NUnit.Framework;

namespace Apiserver.Kube.Tests.FieldManagement;

/// <summary>Update operations (create, PUT, non-apply patches) in <c>managedFields</c>, as kube's field manager records them.</summary>
[TestFixture]
public sealed class UpdateManagedFieldsTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private readonly FieldManager _configMaps = new(ModelSchemas.For(typeof(V1ConfigMap)), statusSubresource: false);
    private readonly FieldManager _pods = new(ModelSchemas.For(typeof(V1Pod)), statusSubresource: true);

    private static JsonObject ConfigMap(string data, string? labels = null) => JsonNode.Parse($$$"""
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","namespace":"default","uid":"u"{{{(labels is null ? "" : ",\"labels\":" + labels)}}}},"data":{{{data}}}}
        """)!.AsObject();

    private JsonObject Create(JsonObject obj, string manager)
    {
        _configMaps.Update(null, obj, manager, "v1", "", Now);
        return obj;
    }

    private JsonObject Update(JsonObject live, JsonObject obj, string manager, string apiVersion = "v1", DateTimeOffset? at = null)
    {
        _configMaps.Update(live, obj, manager, apiVersion, "", at ?? Now);
        return obj;
    }

    private static string Fields(JsonObject obj, string manager) =>
        obj["metadata"]!["managedFields"]!.AsArray().Single(e => e!["manager"]!.GetValue<string>() == manager)!["fieldsV1"]!.ToJsonString(JsonOptions.Compact);

    private static List<string> Managers(JsonObject obj) =>
        obj["metadata"]!["managedFields"]?.AsArray().Select(e => e!["manager"]!.GetValue<string>()).ToList() ?? [];

    [Test]
    public void Create_RecordsAnUpdateEntryWithoutTheServersMetadata()
    {
        var created = Create(ConfigMap("""{"a":"1"}""", """{"app":"x"}"""), "kubectl-create");
        var entry = created["metadata"]!["managedFields"]![0]!;
        Assert.Multiple(() =>
        {
            Assert.That(entry.ToJsonString(JsonOptions.Compact), Is.EqualTo(
                """{"manager":"kubectl-create","operation":"Update","apiVersion":"v1","time":"2026-01-02T03:04:05Z","fieldsType":"FieldsV1","fieldsV1":{"f:data":{".":{},"f:a":{}},"f:metadata":{"f:labels":{".":{},"f:app":{}}}}}"""));
        });
    }

    [Test]
    public void UpdateOfAnotherManager_TakesTheFieldsItChanges()
    {
        var live = Create(ConfigMap("""{"a":"1","b":"2"}"""), "creator");
        var edited = Update(live, ConfigMap("""{"a":"9","b":"2"}"""), "kubectl-edit");
        Assert.Multiple(() =>
        {
            Assert.That(Fields(edited, "creator"), Is.EqualTo("""{"f:data":{".":{},"f:b":{}}}"""));
            Assert.That(Fields(edited, "kubectl-edit"), Is.EqualTo("""{"f:data":{"f:a":{}}}"""));
        });
    }

    [Test]
    public void UpdatesOfOneManager_MergeIntoOneEntryPerApiVersion()
    {
        var live = Create(ConfigMap("""{"a":"1"}"""), "m");
        var second = Update(live, ConfigMap("""{"a":"1","b":"2"}"""), "m");
        var third = Update(second, ConfigMap("""{"a":"1","b":"2","c":"3"}"""), "m", apiVersion: "v2");
        var entries = third["metadata"]!["managedFields"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(entries, Has.Count.EqualTo(2));
            Assert.That(entries[0]!["fieldsV1"]!.ToJsonString(JsonOptions.Compact), Is.EqualTo("""{"f:data":{".":{},"f:a":{},"f:b":{}}}"""));
            Assert.That(entries[1]!["apiVersion"]!.GetValue<string>(), Is.EqualTo("v2"));
        });
    }

    [Test]
    public void RemovedField_LeavesEveryManager()
    {
        var live = Create(ConfigMap("""{"a":"1","b":"2"}"""), "m");
        var updated = Update(live, ConfigMap("""{"a":"1"}"""), "other");
        Assert.Multiple(() =>
        {
            Assert.That(Fields(updated, "m"), Is.EqualTo("""{"f:data":{".":{},"f:a":{}}}"""));
            Assert.That(Managers(updated), Does.Not.Contain("other"), "a manager that only removed owns nothing");
        });
    }

    [Test]
    public void ClientSendingAnEmptyList_ClearsManagedFields()
    {
        var live = Create(ConfigMap("""{"a":"1"}"""), "m");
        var request = ConfigMap("""{"a":"1","b":"2"}""");
        request["metadata"]!["managedFields"] = new JsonArray();
        var updated = Update(live, request, "other");
        Assert.That(Managers(updated), Is.EqualTo(new[] { "other" }));
    }

    [Test]
    public void ClientSendingInvalidManagedFields_KeepsTheLiveOnes()
    {
        var live = Create(ConfigMap("""{"a":"1"}"""), "m");
        var request = ConfigMap("""{"a":"1"}""");
        request["metadata"]!["managedFields"] = JsonNode.Parse("""[{"manager":"x","operation":"Bogus","fieldsType":"FieldsV1","fieldsV1":{}}]""");
        var updated = Update(live, request, "other");
        Assert.That(Managers(updated), Is.EqualTo(new[] { "m" }));
    }

    [Test]
    public void ClientSendingValidManagedFields_ReplacesThem()
    {
        var live = Create(ConfigMap("""{"a":"1"}"""), "m");
        var request = ConfigMap("""{"a":"1"}""");
        request["metadata"]!["managedFields"] = JsonNode.Parse("""[{"manager":"kubectl","operation":"Apply","apiVersion":"v1","fieldsType":"FieldsV1","fieldsV1":{"f:data":{"f:a":{}}}}]""");
        var updated = Update(live, request, "kubectl");
        Assert.That(updated["metadata"]!["managedFields"]!.AsArray().Select(e => e!["operation"]!.GetValue<string>()), Is.EqualTo(new[] { "Apply" }));
    }

    [Test]
    public void MoreThanTenUpdaters_MergeTheOldestIntoAncientChanges()
    {
        var live = Create(ConfigMap("""{"k0":"v"}"""), "m0");
        for (var i = 1; i <= 11; i++)
        {
            var data = new JsonObject();
            for (var j = 0; j <= i; j++) data[$"k{j}"] = "v";
            var next = ConfigMap(data.ToJsonString());
            live = Update(live, next, $"m{i}", at: Now.AddMinutes(i));
        }
        var managers = Managers(live);
        Assert.Multiple(() =>
        {
            Assert.That(managers, Has.Count.EqualTo(10));
            Assert.That(managers, Does.Contain("ancient-changes"));
            Assert.That(managers, Does.Not.Contain("m0").And.Not.Contain("m1").And.Not.Contain("m2"));
            Assert.That(Fields(live, "ancient-changes"), Does.Contain("f:k0").And.Contain("f:k1").And.Contain("f:k2"));
        });
    }

    [Test]
    public void StatusWrite_IsRecordedWithItsSubresourceAndOnlyStatus()
    {
        var live = JsonNode.Parse("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"i"}]}}""")!.AsObject();
        _pods.Update(null, live, "kubectl-create", "v1", "", Now);
        var withStatus = (JsonObject)live.DeepClone();
        withStatus["status"] = JsonNode.Parse("""{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}""");
        _pods.Update(live, withStatus, "kubelet", "v1", "status", Now);
        var entry = withStatus["metadata"]!["managedFields"]!.AsArray().Single(e => e!["manager"]!.GetValue<string>() == "kubelet")!;
        Assert.Multiple(() =>
        {
            Assert.That(entry["subresource"]!.GetValue<string>(), Is.EqualTo("status"));
            Assert.That(entry["fieldsV1"]!.ToJsonString(JsonOptions.Compact), Is.EqualTo(
                """{"f:status":{".":{},"f:conditions":{".":{},"k:{\"type\":\"Ready\"}":{".":{},"f:status":{},"f:type":{}}},"f:phase":{}}}"""));
        });
    }

    [Test]
    public void KubectlApplyAfterClientSideApply_TakesOverWithoutConflicts()
    {
        // What client-side apply leaves: the annotation, and the fields under kubectl-client-side-apply.
        var config = ConfigMap("""{"a":"1"}""");
        var live = ConfigMap("""{"a":"1"}""");
        live["metadata"]!["annotations"] = new JsonObject { [FieldManager.LastAppliedAnnotation] = config.ToJsonString() };
        Create(live, "kubectl-client-side-apply");
        var changed = ConfigMap("""{"a":"2"}""");
        var applied = _configMaps.Apply(live, changed, "kubectl", "v1", "", false, Now);
        Assert.Multiple(() =>
        {
            Assert.That(applied["data"]!["a"]!.GetValue<string>(), Is.EqualTo("2"));
            Assert.That(Fields(applied, "kubectl"), Is.EqualTo("""{"f:data":{"f:a":{}}}"""));
            Assert.That(applied["metadata"]!["annotations"]![FieldManager.LastAppliedAnnotation]!.GetValue<string>(), Does.Contain("\"a\":\"2\""),
                "kubectl's server-side apply keeps the client-side annotation in step");
        });
        var e = Assert.Throws<StatusException>(() => _configMaps.Apply(live, changed, "someone-else", "v1", "", false, Now))!;
        Assert.That(e.Message, Does.Contain("conflict with \"kubectl-client-side-apply\" using v1: .data.a"), "only kubectl migrates");
    }
}
