using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.FieldManagement;
using Apiserver.Kube.Schema;
using k8s.Models;
using NUnit.Framework;

namespace Apiserver.Kube.Tests.FieldManagement;

/// <summary>
/// Server-side apply with the real schemas of built-in kinds, after the examples of the Kubernetes
/// documentation ("Server-Side Apply"): conflicts, force, shared ownership, removal of fields,
/// list-map merging and atomic lists.
/// </summary>
[TestFixture]
public sealed class ServerSideApplyTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private readonly FieldManager _deployments = new(ModelSchemas.For(typeof(V1Deployment)), statusSubresource: true);
    private readonly FieldManager _configMaps = new(ModelSchemas.For(typeof(V1ConfigMap)), statusSubresource: false);

    private static JsonObject Deployment(int replicas, string containers = """[{"name":"nginx","image":"nginx:1.14.2"}]""", string extra = "") => JsonNode.Parse($$$"""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"nginx","labels":{"app":"nginx"}},
         "spec":{"replicas":{{{replicas}}},"selector":{"matchLabels":{"app":"nginx"}},
                 "template":{"metadata":{"labels":{"app":"nginx"}},"spec":{"containers":{{{containers}}}{{{extra}}}
        """ + "}}}}")!.AsObject();

    private static JsonObject ConfigMap(string data) =>
        JsonNode.Parse($$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"},"data":{{{data}}}}""")!.AsObject();

    private JsonObject ApplyDeployment(JsonObject? live, JsonObject config, string manager, bool force = false) =>
        _deployments.Apply(live, config, manager, "apps/v1", "", force, Now);

    private static JsonArray Managed(JsonObject obj) => obj["metadata"]!["managedFields"]!.AsArray();

    private static JsonObject Entry(JsonObject obj, string manager) =>
        Managed(obj).Single(e => e!["manager"]!.GetValue<string>() == manager)!.AsObject();

    [Test]
    public void ApplyOnMissingObject_CreatesItWithAnApplyEntry()
    {
        var created = ApplyDeployment(null, Deployment(3), "kubectl");
        var entry = Entry(created, "kubectl");
        Assert.Multiple(() =>
        {
            Assert.That(created["spec"]!["replicas"]!.GetValue<int>(), Is.EqualTo(3));
            Assert.That(entry["operation"]!.GetValue<string>(), Is.EqualTo("Apply"));
            Assert.That(entry["apiVersion"]!.GetValue<string>(), Is.EqualTo("apps/v1"));
            Assert.That(entry["time"]!.GetValue<string>(), Is.EqualTo("2026-01-02T03:04:05Z"));
            Assert.That(entry["fieldsType"]!.GetValue<string>(), Is.EqualTo("FieldsV1"));
            Assert.That(entry["fieldsV1"]!.ToJsonString(JsonOptions.Compact), Is.EqualTo(
                """{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:replicas":{},"f:selector":{},"f:template":{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:image":{},"f:name":{}}}}}}}"""));
        });
    }

    [Test]
    public void SecondManagerChangingAField_Conflicts()
    {
        var live = ApplyDeployment(null, Deployment(3), "kubectl");
        var e = Assert.Throws<StatusException>(() => ApplyDeployment(live, Deployment(5), "other"))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Code, Is.EqualTo(409));
            Assert.That(e.Reason, Is.EqualTo(StatusReason.Conflict));
            Assert.That(e.Message, Is.EqualTo("Apply failed with 1 conflict: conflict with \"kubectl\": .spec.replicas"));
            Assert.That(e.Details!.Causes!.Single(), Is.EqualTo(new StatusCause("FieldManagerConflict", "conflict with \"kubectl\"", ".spec.replicas")));
        });
    }

    [Test]
    public void ConflictWithAnUpdater_NamesItsApiVersion()
    {
        var live = ApplyDeployment(null, Deployment(3), "kubectl");
        var scaled = (JsonObject)live.DeepClone();
        scaled["spec"]!["replicas"] = 7;
        scaled["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "nginx:2";
        _deployments.Update(live, scaled, "kube-controller-manager", "apps/v1", "", Now);
        var e = Assert.Throws<StatusException>(() => ApplyDeployment(scaled, Deployment(4, """[{"name":"nginx","image":"nginx:3"}]"""), "kubectl"))!;
        Assert.That(e.Message, Is.EqualTo(
            "Apply failed with 2 conflicts: conflicts with \"kube-controller-manager\" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name=\"nginx\"].image"));
    }

    [Test]
    public void ForceConflicts_TakesOwnership()
    {
        var live = ApplyDeployment(null, Deployment(3), "kubectl");
        var forced = ApplyDeployment(live, Deployment(5), "other", force: true);
        Assert.Multiple(() =>
        {
            Assert.That(forced["spec"]!["replicas"]!.GetValue<int>(), Is.EqualTo(5));
            Assert.That(Entry(forced, "kubectl")["fieldsV1"]!["f:spec"]!.AsObject().ContainsKey("f:replicas"), Is.False);
            Assert.That(Entry(forced, "other")["fieldsV1"]!["f:spec"]!.AsObject().ContainsKey("f:replicas"), Is.True);
        });
    }

    [Test]
    public void ApplyingTheSameValue_SharesOwnership()
    {
        var live = ApplyDeployment(null, Deployment(3), "kubectl");
        var shared = ApplyDeployment(live, Deployment(3), "other");
        Assert.Multiple(() =>
        {
            Assert.That(Entry(shared, "kubectl")["fieldsV1"]!["f:spec"]!["f:replicas"], Is.Not.Null);
            Assert.That(Entry(shared, "other")["fieldsV1"]!["f:spec"]!["f:replicas"], Is.Not.Null);
            Assert.That(Entry(shared, "other").ContainsKey("time"), Is.False, "an apply that changes nothing does not stamp a time");
        });
    }

    [Test]
    public void FieldNoLongerApplied_IsRemovedUnlessSomeoneElseOwnsIt()
    {
        var first = _configMaps.Apply(null, ConfigMap("""{"a":"1","b":"2","c":"3"}"""), "one", "v1", "", false, Now);
        var shared = _configMaps.Apply(first, ConfigMap("""{"c":"3"}"""), "two", "v1", "", false, Now);
        var second = _configMaps.Apply(shared, ConfigMap("""{"a":"1"}"""), "one", "v1", "", false, Now);
        Assert.That(second["data"]!.ToJsonString(), Is.EqualTo("""{"a":"1","c":"3"}"""), "b goes; c stays, two still applies it");
    }

    [Test]
    public void ListMapItems_AreOwnedByTheirKeys()
    {
        var live = ApplyDeployment(null, Deployment(3), "kubectl");
        var sidecar = Deployment(3, """[{"name":"sidecar","image":"envoy"}]""");
        var merged = ApplyDeployment(live, sidecar, "mesh");
        var containers = merged["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(containers.Select(c => c!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "nginx", "sidecar" }));
            Assert.That(Entry(merged, "mesh")["fieldsV1"]!["f:spec"]!["f:template"]!["f:spec"]!["f:containers"]!.AsObject().Select(p => p.Key),
                Is.EqualTo(new[] { "k:{\"name\":\"sidecar\"}" }));
        });
        var withdrawn = ApplyDeployment(merged, Deployment(3, "[]"), "mesh");
        Assert.That(withdrawn["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()),
            Is.EqualTo(new[] { "nginx" }), "the item the applier stopped applying is removed, the other stays");
    }

    [Test]
    public void AtomicList_IsOwnedWholeAndConflicts()
    {
        const string toleration = ""","tolerations":[{"key":"a","operator":"Exists"}]""";
        var live = ApplyDeployment(null, Deployment(3, extra: toleration), "kubectl");
        Assert.That(Entry(live, "kubectl")["fieldsV1"]!["f:spec"]!["f:template"]!["f:spec"]!["f:tolerations"]!.ToJsonString(), Is.EqualTo("{}"));
        var e = Assert.Throws<StatusException>(() => ApplyDeployment(live, Deployment(3, extra: ""","tolerations":[{"key":"b","operator":"Exists"}]"""), "other"))!;
        Assert.That(e.Message, Does.EndWith(": .spec.template.spec.tolerations"));
    }

    [Test]
    public void ListMapWithTwoKeys_EncodesSortedKeysAndDefaultsTheProtocol()
    {
        var ports = """[{"name":"nginx","image":"nginx","ports":[{"containerPort":80}]}]""";
        var live = ApplyDeployment(null, Deployment(1, ports), "kubectl");
        var container = Entry(live, "kubectl")["fieldsV1"]!["f:spec"]!["f:template"]!["f:spec"]!["f:containers"]!["k:{\"name\":\"nginx\"}"]!;
        Assert.That(container["f:ports"]!.ToJsonString(JsonOptions.Compact), Is.EqualTo("""{"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{}}}"""));
    }

    [Test]
    public void StatusInTheAppliedConfig_IsNotOwnedByTheMainResource()
    {
        var config = Deployment(1);
        config["status"] = new JsonObject { ["replicas"] = 1 };
        var live = ApplyDeployment(null, config, "kubectl");
        Assert.That(Entry(live, "kubectl")["fieldsV1"]!.AsObject().ContainsKey("f:status"), Is.False);
    }

    [Test]
    public void ManagedFieldsInTheAppliedConfig_AreRefused()
    {
        var config = Deployment(1);
        config["metadata"]!["managedFields"] = new JsonArray();
        var e = Assert.Throws<StatusException>(() => ApplyDeployment(null, config, "kubectl"))!;
        Assert.That((e.Code, e.Message), Is.EqualTo((400, "metadata.managedFields must be nil")));
    }
}
