using System.Net;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace KubeApiserver.Tests.Http;

/// <summary>
/// The first built-in groups beyond core (rbac, coordination, scheduling, node, storage, and the IP
/// kinds of networking): their
/// discovery entries, round trips, validation, defaults and immutable fields, as kube-apiserver 1.34.
/// </summary>
[TestFixture]
public sealed class BuiltInGroupsTests : ServerFixture
{
    private static readonly string[] AllVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
    private static readonly string[] ServerMetadata = ["uid", "resourceVersion", "creationTimestamp", "generation", "managedFields"];

    private static readonly object[] Resources =
    [
        new object[] { "rbac.authorization.k8s.io", "roles", "role", "Role", true, Array.Empty<string>() },
        new object[] { "rbac.authorization.k8s.io", "clusterroles", "clusterrole", "ClusterRole", false, Array.Empty<string>() },
        new object[] { "rbac.authorization.k8s.io", "rolebindings", "rolebinding", "RoleBinding", true, Array.Empty<string>() },
        new object[] { "rbac.authorization.k8s.io", "clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", false, Array.Empty<string>() },
        new object[] { "coordination.k8s.io", "leases", "lease", "Lease", true, Array.Empty<string>() },
        new object[] { "scheduling.k8s.io", "priorityclasses", "priorityclass", "PriorityClass", false, new[] { "pc" } },
        new object[] { "node.k8s.io", "runtimeclasses", "runtimeclass", "RuntimeClass", false, Array.Empty<string>() },
        new object[] { "storage.k8s.io", "storageclasses", "storageclass", "StorageClass", false, new[] { "sc" } },
        new object[] { "storage.k8s.io", "csidrivers", "csidriver", "CSIDriver", false, Array.Empty<string>() },
        new object[] { "storage.k8s.io", "csinodes", "csinode", "CSINode", false, Array.Empty<string>() },
        new object[] { "storage.k8s.io", "csistoragecapacities", "csistoragecapacity", "CSIStorageCapacity", true, Array.Empty<string>() },
        new object[] { "storage.k8s.io", "volumeattachments", "volumeattachment", "VolumeAttachment", false, Array.Empty<string>() },
        new object[] { "storage.k8s.io", "volumeattributesclasses", "volumeattributesclass", "VolumeAttributesClass", false, new[] { "vac" } },
        new object[] { "networking.k8s.io", "ipaddresses", "ipaddress", "IPAddress", false, new[] { "ip" } },
        new object[] { "networking.k8s.io", "servicecidrs", "servicecidr", "ServiceCIDR", false, Array.Empty<string>() },
    ];

    // Realistic objects, written with their defaults so that they come back unchanged.
    private static readonly object[] Objects =
    [
        new object[] { "rbac.authorization.k8s.io", "roles", """{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"pod-reader","labels":{"app":"x"}},"rules":[{"verbs":["get","list","watch"],"apiGroups":[""],"resources":["pods","pods/log"]},{"verbs":["get"],"apiGroups":["apps"],"resources":["deployments"],"resourceNames":["web"]}]}""" },
        new object[] { "rbac.authorization.k8s.io", "clusterroles", """{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"system:metrics-reader"},"rules":[{"verbs":["get"],"nonResourceURLs":["/metrics","/healthz/*"]},{"verbs":["*"],"apiGroups":["*"],"resources":["*"]}]}""" },
        new object[] { "rbac.authorization.k8s.io", "clusterroles", """{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"monitoring"},"aggregationRule":{"clusterRoleSelectors":[{"matchLabels":{"rbac.example.com/aggregate-to-monitoring":"true"}},{"matchExpressions":[{"key":"tier","operator":"In","values":["a","b"]}]}]},"rules":[]}""" },
        new object[] { "rbac.authorization.k8s.io", "rolebindings", """{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"read-pods"},"subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"jane"},{"kind":"ServiceAccount","name":"default","namespace":"kube-system"}],"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"pod-reader"}}""" },
        new object[] { "rbac.authorization.k8s.io", "clusterrolebindings", """{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","metadata":{"name":"read-secrets-global"},"subjects":[{"kind":"Group","apiGroup":"rbac.authorization.k8s.io","name":"manager"}],"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"secret-reader"}}""" },
        new object[] { "coordination.k8s.io", "leases", """{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"kube-scheduler"},"spec":{"holderIdentity":"node-1_5f1e","leaseDurationSeconds":15,"acquireTime":"2025-01-02T03:04:05.123456Z","renewTime":"2025-01-02T03:04:20.654321Z","leaseTransitions":3}}""" },
        new object[] { "scheduling.k8s.io", "priorityclasses", """{"apiVersion":"scheduling.k8s.io/v1","kind":"PriorityClass","metadata":{"name":"high-priority"},"value":1000000,"globalDefault":false,"description":"For XYZ service pods only.","preemptionPolicy":"Never"}""" },
        new object[] { "node.k8s.io", "runtimeclasses", """{"apiVersion":"node.k8s.io/v1","kind":"RuntimeClass","metadata":{"name":"gvisor"},"handler":"runsc","overhead":{"podFixed":{"cpu":"250m","memory":"120Mi"}},"scheduling":{"nodeSelector":{"runtime.example.com/gvisor":"true"},"tolerations":[{"key":"sandbox","operator":"Exists","effect":"NoSchedule"}]}}""" },
        new object[] { "storage.k8s.io", "storageclasses", """{"apiVersion":"storage.k8s.io/v1","kind":"StorageClass","metadata":{"name":"fast","annotations":{"storageclass.kubernetes.io/is-default-class":"true"}},"provisioner":"ebs.csi.aws.com","parameters":{"type":"gp3","iops":"3000"},"reclaimPolicy":"Retain","allowVolumeExpansion":true,"mountOptions":["debug"],"volumeBindingMode":"WaitForFirstConsumer","allowedTopologies":[{"matchLabelExpressions":[{"key":"topology.ebs.csi.aws.com/zone","values":["us-east-1a"]}]}]}""" },
        new object[] { "storage.k8s.io", "csidrivers", """{"apiVersion":"storage.k8s.io/v1","kind":"CSIDriver","metadata":{"name":"ebs.csi.aws.com"},"spec":{"attachRequired":true,"podInfoOnMount":false,"volumeLifecycleModes":["Persistent","Ephemeral"],"storageCapacity":true,"fsGroupPolicy":"File","tokenRequests":[{"audience":"sts.amazonaws.com","expirationSeconds":3600}],"requiresRepublish":false,"seLinuxMount":true}}""" },
        new object[] { "storage.k8s.io", "csinodes", """{"apiVersion":"storage.k8s.io/v1","kind":"CSINode","metadata":{"name":"node-1"},"spec":{"drivers":[{"name":"ebs.csi.aws.com","nodeID":"i-0123456789abcdef0","topologyKeys":["topology.ebs.csi.aws.com/zone"],"allocatable":{"count":25}}]}}""" },
        new object[] { "storage.k8s.io", "csistoragecapacities", """{"apiVersion":"storage.k8s.io/v1","kind":"CSIStorageCapacity","metadata":{"name":"csisc-7x2kq"},"nodeTopology":{"matchLabels":{"topology.hostpath.csi/node":"node-1"}},"storageClassName":"fast","capacity":"100Gi","maximumVolumeSize":"10Gi"}""" },
        new object[] { "storage.k8s.io", "volumeattachments", """{"apiVersion":"storage.k8s.io/v1","kind":"VolumeAttachment","metadata":{"name":"csi-4d3c2b1a"},"spec":{"attacher":"ebs.csi.aws.com","source":{"persistentVolumeName":"pvc-0a1b2c3d"},"nodeName":"node-1"}}""" },
        new object[] { "storage.k8s.io", "volumeattributesclasses", """{"apiVersion":"storage.k8s.io/v1","kind":"VolumeAttributesClass","metadata":{"name":"gold"},"driverName":"ebs.csi.aws.com","parameters":{"iops":"5000","throughput":"250"}}""" },
        new object[] { "networking.k8s.io", "ipaddresses", """{"apiVersion":"networking.k8s.io/v1","kind":"IPAddress","metadata":{"name":"2001:db8::7"},"spec":{"parentRef":{"resource":"services","namespace":"default","name":"web"}}}""" },
        new object[] { "networking.k8s.io", "servicecidrs", """{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"extra"},"spec":{"cidrs":["10.100.0.0/16","2001:db8:1::/112"]}}""" },
    ];

    // (group, resource, body, field, reason, message fragment): kube's errors for its validation rules.
    private static readonly object[] Invalid =
    [
        new object[] { "rbac.authorization.k8s.io", "roles", """{"metadata":{"name":"r"},"rules":[{"apiGroups":[""],"resources":["pods"]}]}""", "rules[0].verbs", "FieldValueRequired", "verbs must contain at least one value" },
        new object[] { "rbac.authorization.k8s.io", "roles", """{"metadata":{"name":"r"},"rules":[{"verbs":["get"],"resources":["pods"]}]}""", "rules[0].apiGroups", "FieldValueRequired", "resource rules must supply at least one api group" },
        new object[] { "rbac.authorization.k8s.io", "roles", """{"metadata":{"name":"r"},"rules":[{"verbs":["get"],"nonResourceURLs":["/metrics"]}]}""", "rules[0].nonResourceURLs", "FieldValueInvalid", "namespaced rules cannot apply to non-resource URLs" },
        new object[] { "rbac.authorization.k8s.io", "roles", """{"metadata":{"name":"a%b"},"rules":[]}""", "metadata.name", "FieldValueInvalid", "may not contain '%'" },
        new object[] { "rbac.authorization.k8s.io", "clusterroles", """{"metadata":{"name":"c"},"rules":[{"verbs":["get"],"apiGroups":[""],"resources":["pods"],"nonResourceURLs":["/x"]}]}""", "rules[0].nonResourceURLs", "FieldValueInvalid", "rules cannot apply to both regular resources and non-resource URLs" },
        new object[] { "rbac.authorization.k8s.io", "clusterroles", """{"metadata":{"name":"c"},"aggregationRule":{}}""", "aggregationRule.clusterRoleSelectors", "FieldValueRequired", "at least one clusterRoleSelector required if aggregationRule is non-nil" },
        new object[] { "rbac.authorization.k8s.io", "rolebindings", """{"metadata":{"name":"b"},"roleRef":{"kind":"Secret","name":"x"}}""", "roleRef.kind", "FieldValueNotSupported", "supported values: \"Role\", \"ClusterRole\"" },
        new object[] { "rbac.authorization.k8s.io", "rolebindings", """{"metadata":{"name":"b"},"roleRef":{"kind":"Role"}}""", "roleRef.name", "FieldValueRequired", "" },
        new object[] { "rbac.authorization.k8s.io", "rolebindings", """{"metadata":{"name":"b"},"roleRef":{"kind":"Role","name":"x"},"subjects":[{"kind":"Robot","name":"r2"}]}""", "subjects[0].kind", "FieldValueNotSupported", "supported values: \"ServiceAccount\", \"User\", \"Group\"" },
        new object[] { "rbac.authorization.k8s.io", "clusterrolebindings", """{"metadata":{"name":"b"},"roleRef":{"kind":"Role","name":"x"}}""", "roleRef.kind", "FieldValueNotSupported", "supported values: \"ClusterRole\"" },
        new object[] { "rbac.authorization.k8s.io", "clusterrolebindings", """{"metadata":{"name":"b"},"roleRef":{"kind":"ClusterRole","name":"x"},"subjects":[{"kind":"ServiceAccount","name":"default"}]}""", "subjects[0].namespace", "FieldValueRequired", "" },
        new object[] { "coordination.k8s.io", "leases", """{"metadata":{"name":"l"},"spec":{"leaseDurationSeconds":0}}""", "spec.leaseDurationSeconds", "FieldValueInvalid", "must be greater than 0" },
        new object[] { "coordination.k8s.io", "leases", """{"metadata":{"name":"l"},"spec":{"leaseTransitions":-1}}""", "spec.leaseTransitions", "FieldValueInvalid", "must be greater than or equal to 0" },
        new object[] { "scheduling.k8s.io", "priorityclasses", """{"metadata":{"name":"system-mine"},"value":5}""", "metadata.name", "FieldValueForbidden", "priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class" },
        new object[] { "scheduling.k8s.io", "priorityclasses", """{"metadata":{"name":"system-node-critical"},"value":5}""", "metadata.name", "FieldValueForbidden", "error: value of system-node-critical PriorityClass must be 2000001000" },
        new object[] { "scheduling.k8s.io", "priorityclasses", """{"metadata":{"name":"huge"},"value":1000000001}""", "value", "FieldValueForbidden", "maximum allowed value of a user defined priority is 1000000000" },
        new object[] { "scheduling.k8s.io", "priorityclasses", """{"metadata":{"name":"p"},"value":1,"preemptionPolicy":"Sometimes"}""", "preemptionPolicy", "FieldValueNotSupported", "supported values: \"PreemptLowerPriority\", \"Never\"" },
        new object[] { "node.k8s.io", "runtimeclasses", """{"metadata":{"name":"rc"},"handler":"Run_C"}""", "handler", "FieldValueInvalid", "a lowercase RFC 1123 label must consist of" },
        new object[] { "node.k8s.io", "runtimeclasses", """{"metadata":{"name":"rc"}}""", "handler", "FieldValueInvalid", "a lowercase RFC 1123 label" },
        new object[] { "storage.k8s.io", "storageclasses", """{"metadata":{"name":"s"}}""", "provisioner", "FieldValueRequired", "" },
        new object[] { "storage.k8s.io", "storageclasses", """{"metadata":{"name":"s"},"provisioner":"a/b/c"}""", "provisioner", "FieldValueInvalid", "a qualified name must consist of" },
        new object[] { "storage.k8s.io", "storageclasses", """{"metadata":{"name":"s"},"provisioner":"x.io/p","reclaimPolicy":"Recycle"}""", "reclaimPolicy", "FieldValueNotSupported", "supported values: \"Delete\", \"Retain\"" },
        new object[] { "storage.k8s.io", "storageclasses", """{"metadata":{"name":"s"},"provisioner":"x.io/p","volumeBindingMode":"Later"}""", "volumeBindingMode", "FieldValueNotSupported", "supported values: \"Immediate\", \"WaitForFirstConsumer\"" },
        new object[] { "storage.k8s.io", "storageclasses", """{"metadata":{"name":"S"},"provisioner":"x.io/p"}""", "metadata.name", "FieldValueInvalid", "a lowercase RFC 1123 subdomain" },
        new object[] { "storage.k8s.io", "csidrivers", """{"metadata":{"name":"Bad_Driver"},"spec":{}}""", "metadata.name", "FieldValueInvalid", "a lowercase RFC 1123 subdomain" },
        new object[] { "storage.k8s.io", "csidrivers", """{"metadata":{"name":"d.io"},"spec":{"fsGroupPolicy":"Sometimes"}}""", "spec.fsGroupPolicy", "FieldValueNotSupported", "supported values: \"File\", \"None\", \"ReadWriteOnceWithFSType\"" },
        new object[] { "storage.k8s.io", "csidrivers", """{"metadata":{"name":"d.io"},"spec":{"volumeLifecycleModes":["Forever"]}}""", "spec.volumeLifecycleModes", "FieldValueNotSupported", "supported values: \"Persistent\", \"Ephemeral\"" },
        new object[] { "storage.k8s.io", "csidrivers", """{"metadata":{"name":"d.io"},"spec":{"tokenRequests":[{"audience":"a","expirationSeconds":60}]}}""", "spec.tokenRequests[0].expirationSeconds", "FieldValueInvalid", "may not specify a duration less than 10 minutes" },
        new object[] { "storage.k8s.io", "csidrivers", """{"metadata":{"name":"d.io"},"spec":{"tokenRequests":[{"audience":"a"},{"audience":"a"}]}}""", "spec.tokenRequests[1].audience", "FieldValueDuplicate", "" },
        new object[] { "storage.k8s.io", "csidrivers", """{"metadata":{"name":"d.io"},"spec":{"nodeAllocatableUpdatePeriodSeconds":5}}""", "spec.nodeAllocatableUpdatePeriodSeconds", "FieldValueInvalid", "must be greater than or equal to 10 seconds" },
        new object[] { "storage.k8s.io", "csinodes", """{"metadata":{"name":"n"},"spec":{"drivers":[{"name":"d.io","nodeID":""}]}}""", "spec.drivers[0].nodeID", "FieldValueRequired", "" },
        new object[] { "storage.k8s.io", "csinodes", "{\"metadata\":{\"name\":\"n\"},\"spec\":{\"drivers\":[{\"name\":\"d.io\",\"nodeID\":\"" + new string('x', 193) + "\"}]}}", "spec.drivers[0].nodeID", "FieldValueInvalid", "must be 192 characters or less" },
        new object[] { "storage.k8s.io", "csinodes", """{"metadata":{"name":"n"},"spec":{"drivers":[{"name":"d.io","nodeID":"a"},{"name":"d.io","nodeID":"b"}]}}""", "spec.drivers[1].name", "FieldValueDuplicate", "" },
        new object[] { "storage.k8s.io", "csinodes", """{"metadata":{"name":"n"},"spec":{"drivers":[{"name":"Bad_Driver","nodeID":"a"}]}}""", "spec.drivers[0].name", "FieldValueInvalid", "a lowercase RFC 1123 subdomain" },
        new object[] { "storage.k8s.io", "csinodes", """{"metadata":{"name":"n"},"spec":{"drivers":[{"name":"d.io","nodeID":"a","allocatable":{"count":-1}}]}}""", "spec.drivers[0].allocatable.count", "FieldValueInvalid", "must be greater than or equal to 0" },
        new object[] { "storage.k8s.io", "csinodes", """{"metadata":{"name":"n"},"spec":{"drivers":[{"name":"d.io","nodeID":"a","topologyKeys":["zone","zone"]}]}}""", "spec.drivers[0]", "FieldValueDuplicate", "" },
        new object[] { "storage.k8s.io", "csistoragecapacities", """{"metadata":{"name":"c"},"storageClassName":"Fast_SC"}""", "storageClassName", "FieldValueInvalid", "a lowercase RFC 1123 subdomain" },
        new object[] { "storage.k8s.io", "csistoragecapacities", """{"metadata":{"name":"c"},"storageClassName":"fast","capacity":"-1Gi"}""", "capacity", "FieldValueInvalid", "must be greater than or equal to 0" },
        new object[] { "storage.k8s.io", "csistoragecapacities", """{"metadata":{"name":"c"},"storageClassName":"fast","nodeTopology":{"matchExpressions":[{"key":"zone","operator":"Near"}]}}""", "nodeTopology.matchExpressions[0].operator", "FieldValueInvalid", "not a valid selector operator" },
        new object[] { "storage.k8s.io", "volumeattachments", """{"metadata":{"name":"va"},"spec":{"source":{"persistentVolumeName":"pv"},"nodeName":"n"}}""", "spec.attacher", "FieldValueRequired", "" },
        new object[] { "storage.k8s.io", "volumeattachments", """{"metadata":{"name":"va"},"spec":{"attacher":"Bad_Driver","source":{"persistentVolumeName":"pv"},"nodeName":"n"}}""", "spec.attacher", "FieldValueInvalid", "a lowercase RFC 1123 subdomain" },
        new object[] { "storage.k8s.io", "volumeattachments", """{"metadata":{"name":"va"},"spec":{"attacher":"d.io","source":{},"nodeName":"n"}}""", "spec.source", "FieldValueRequired", "must specify exactly one of inlineVolumeSpec and persistentVolumeName" },
        new object[] { "storage.k8s.io", "volumeattachments", """{"metadata":{"name":"va"},"spec":{"attacher":"d.io","source":{"persistentVolumeName":"pv","inlineVolumeSpec":{"csi":{"driver":"d.io","volumeHandle":"h"}}},"nodeName":"n"}}""", "spec.source", "FieldValueForbidden", "must specify exactly one of inlineVolumeSpec and persistentVolumeName" },
        new object[] { "storage.k8s.io", "volumeattachments", """{"metadata":{"name":"va"},"spec":{"attacher":"d.io","source":{"persistentVolumeName":"pv"},"nodeName":"Node_1"}}""", "spec.nodeName", "FieldValueInvalid", "a lowercase RFC 1123 subdomain" },
        new object[] { "storage.k8s.io", "volumeattributesclasses", """{"metadata":{"name":"v"},"driverName":"d.io"}""", "parameters", "FieldValueRequired", "must contain at least one key/value pair" },
        new object[] { "storage.k8s.io", "volumeattributesclasses", """{"metadata":{"name":"v"},"parameters":{"a":"b"}}""", "driverName", "FieldValueRequired", "" },
        new object[] { "networking.k8s.io", "ipaddresses", """{"metadata":{"name":"not-an-ip"},"spec":{"parentRef":{"resource":"services","name":"s"}}}""", "metadata.name", "FieldValueInvalid", "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)" },
        new object[] { "networking.k8s.io", "ipaddresses", """{"metadata":{"name":"2001:DB8::1"},"spec":{"parentRef":{"resource":"services","name":"s"}}}""", "metadata.name", "FieldValueInvalid", "must be in canonical form (\"2001:db8::1\")" },
        new object[] { "networking.k8s.io", "ipaddresses", """{"metadata":{"name":"10.0.0.010"},"spec":{"parentRef":{"resource":"services","name":"s"}}}""", "metadata.name", "FieldValueInvalid", "must not have leading 0s" },
        new object[] { "networking.k8s.io", "ipaddresses", """{"metadata":{"name":"10.0.0.9"},"spec":{}}""", "spec.parentRef", "FieldValueRequired", "" },
        new object[] { "networking.k8s.io", "ipaddresses", """{"metadata":{"name":"10.0.0.9"},"spec":{"parentRef":{"name":"s"}}}""", "spec.parentRef.resource", "FieldValueRequired", "" },
        new object[] { "networking.k8s.io", "servicecidrs", """{"metadata":{"name":"c"},"spec":{"cidrs":[]}}""", "spec.cidrs", "FieldValueRequired", "at least one CIDR required" },
        new object[] { "networking.k8s.io", "servicecidrs", """{"metadata":{"name":"c"},"spec":{"cidrs":["10.1.0.0/16","10.2.0.0/16","fd00::/112"]}}""", "spec.cidrs", "FieldValueInvalid", "may only hold up to 2 values" },
        new object[] { "networking.k8s.io", "servicecidrs", """{"metadata":{"name":"c"},"spec":{"cidrs":["10.1.0.0/16","10.2.0.0/16"]}}""", "spec.cidrs", "FieldValueInvalid", "may specify no more than one IP for each IP family" },
        new object[] { "networking.k8s.io", "servicecidrs", """{"metadata":{"name":"c"},"spec":{"cidrs":["10.1.0.1/16"]}}""", "spec.cidrs[0]", "FieldValueInvalid", "must be in canonical form (\"10.1.0.0/16\")" },
        new object[] { "networking.k8s.io", "servicecidrs", """{"metadata":{"name":"c"},"spec":{"cidrs":["bogus"]}}""", "spec.cidrs[0]", "FieldValueInvalid", "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)" },
    ];

    [TestCase("rbac.authorization.k8s.io")]
    [TestCase("coordination.k8s.io")]
    [TestCase("scheduling.k8s.io")]
    [TestCase("node.k8s.io")]
    [TestCase("storage.k8s.io")]
    [TestCase("networking.k8s.io")]
    public async Task Apis_ListsTheGroupWithPreferredV1(string group)
    {
        var groups = (await Http.SendAsync(HttpMethod.Get, "/apis")).Body["groups"]!.AsArray();
        var entry = groups.SingleOrDefault(g => g!["name"]!.ToString() == group);
        Assert.That(entry, Is.Not.Null, $"{group} is not listed in /apis");
        Assert.Multiple(() =>
        {
            Assert.That(entry!["preferredVersion"]!["groupVersion"]!.ToString(), Is.EqualTo($"{group}/v1"));
            Assert.That(entry["versions"]!.AsArray().Select(v => v!["version"]!.ToString()), Is.EqualTo(new[] { "v1" }));
        });
        var single = (await Http.SendAsync(HttpMethod.Get, $"/apis/{group}")).Body;
        Assert.That(single["preferredVersion"]!["version"]!.ToString(), Is.EqualTo("v1"));
    }

    [TestCaseSource(nameof(Resources))]
    public async Task Discovery_ReportsKubesEntry(string group, string plural, string singular, string kind, bool namespaced, string[] shortNames)
    {
        var list = (await Http.SendAsync(HttpMethod.Get, $"/apis/{group}/v1")).Body;
        Assert.That(list["groupVersion"]!.ToString(), Is.EqualTo($"{group}/v1"));
        var entry = list["resources"]!.AsArray().Single(r => r!["name"]!.ToString() == plural)!;
        Assert.Multiple(() =>
        {
            Assert.That(entry["singularName"]!.ToString(), Is.EqualTo(singular));
            Assert.That(entry["kind"]!.ToString(), Is.EqualTo(kind));
            Assert.That(entry["namespaced"]!.GetValue<bool>(), Is.EqualTo(namespaced));
            Assert.That(entry["verbs"]!.AsArray().Select(v => v!.ToString()), Is.EquivalentTo(AllVerbs));
            Assert.That((entry["shortNames"] as JsonArray ?? []).Select(v => v!.ToString()), Is.EqualTo(shortNames));
            Assert.That((entry["categories"] as JsonArray ?? []), Is.Empty);
        });
    }

    [TestCaseSource(nameof(Objects))]
    public async Task RealisticObject_RoundTripsUnchanged(string group, string plural, string json)
    {
        var input = JsonNode.Parse(json)!.AsObject();
        var path = await CollectionPathAsync(group, plural);
        if (path.Contains("/namespaces/"))
        {
            input["metadata"]!["namespace"] = path.Split('/')[5];
        }
        var created = await Http.SendAsync(HttpMethod.Post, path, input.ToJsonString());
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        var name = input["metadata"]!["name"]!.ToString();
        var got = await Http.SendAsync(HttpMethod.Get, $"{path}/{Uri.EscapeDataString(name)}");
        Assert.That(got.Code, Is.EqualTo(HttpStatusCode.OK), got.Body.ToJsonString());
        Assert.Multiple(() =>
        {
            Assert.That(got.Body["metadata"]!["uid"], Is.Not.Null);
            Assert.That(got.Body["metadata"]!["resourceVersion"], Is.Not.Null);
            Assert.That(got.Body["metadata"]!["creationTimestamp"], Is.Not.Null);
        });
        foreach (var field in ServerMetadata)
        {
            got.Body["metadata"]!.AsObject().Remove(field);
            created.Body["metadata"]!.AsObject().Remove(field);
        }
        Assert.Multiple(() =>
        {
            // Field order is the server's (kind first, as kube writes it); the content is the input's.
            Assert.That(JsonNode.DeepEquals(got.Body, input), Is.True, got.Body.ToJsonString());
            Assert.That(JsonNode.DeepEquals(created.Body, input), Is.True, created.Body.ToJsonString());
        });
    }

    [TestCaseSource(nameof(Invalid))]
    public async Task InvalidObject_Answers422WithKubesFieldError(string group, string plural, string json, string field, string reason, string message)
    {
        var path = await CollectionPathAsync(group, plural);
        var body = (await Http.SendAsync(HttpMethod.Post, path, json)).AssertStatus(422, "Invalid");
        var causes = body["details"]!["causes"]!.AsArray();
        var cause = causes.FirstOrDefault(c => c!["field"]?.ToString() == field);
        Assert.That(cause, Is.Not.Null, body.ToJsonString());
        Assert.Multiple(() =>
        {
            Assert.That(cause!["reason"]!.ToString(), Is.EqualTo(reason));
            Assert.That(cause["message"]!.ToString(), Does.Contain(message));
        });
    }

    [Test]
    public async Task RoleNames_ArePathSegmentsNotSubdomains()
    {
        var ns = await NewNamespaceAsync();
        var created = await Http.SendAsync(HttpMethod.Post, $"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles",
            """{"metadata":{"name":"System:Controller:Foo"},"rules":[]}""");
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        var got = await Http.SendAsync(HttpMethod.Get, $"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles/System:Controller:Foo");
        Assert.That(got.Body["metadata"]!["name"]!.ToString(), Is.EqualTo("System:Controller:Foo"));
    }

    [Test]
    public async Task Bindings_DefaultTheRbacGroup()
    {
        var ns = await NewNamespaceAsync();
        var created = await Http.SendAsync(HttpMethod.Post, $"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings",
            """{"metadata":{"name":"b"},"roleRef":{"kind":"Role","name":"x"},"subjects":[{"kind":"User","name":"u"},{"kind":"ServiceAccount","name":"sa"}]}""");
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        Assert.Multiple(() =>
        {
            Assert.That(created.Body["roleRef"]!["apiGroup"]!.ToString(), Is.EqualTo("rbac.authorization.k8s.io"));
            Assert.That(created.Body["subjects"]![0]!["apiGroup"]!.ToString(), Is.EqualTo("rbac.authorization.k8s.io"));
            Assert.That(created.Body["subjects"]![1]!["apiGroup"], Is.Null);
        });
    }

    [Test]
    public async Task StorageClassAndPriorityClass_GetKubesDefaults()
    {
        var sc = await Http.SendAsync(HttpMethod.Post, "/apis/storage.k8s.io/v1/storageclasses", """{"metadata":{"name":"defaults"},"provisioner":"kubernetes.io/no-provisioner"}""");
        var pc = await Http.SendAsync(HttpMethod.Post, "/apis/scheduling.k8s.io/v1/priorityclasses", """{"metadata":{"name":"defaults"},"value":7}""");
        Assert.Multiple(() =>
        {
            Assert.That(sc.Code, Is.EqualTo(HttpStatusCode.Created), sc.Body.ToJsonString());
            Assert.That(sc.Body["reclaimPolicy"]?.ToString(), Is.EqualTo("Delete"));
            Assert.That(sc.Body["volumeBindingMode"]?.ToString(), Is.EqualTo("Immediate"));
            Assert.That(pc.Code, Is.EqualTo(HttpStatusCode.Created), pc.Body.ToJsonString());
            Assert.That(pc.Body["preemptionPolicy"]?.ToString(), Is.EqualTo("PreemptLowerPriority"));
        });
    }

    [Test]
    public async Task SystemPriorityClass_WithItsKnownValue_IsAccepted()
    {
        var pc = await Http.SendAsync(HttpMethod.Post, "/apis/scheduling.k8s.io/v1/priorityclasses", """{"metadata":{"name":"system-cluster-critical"},"value":2000000000}""");
        Assert.That(pc.Code, Is.EqualTo(HttpStatusCode.Created), pc.Body.ToJsonString());
    }

    [TestCase("rolebindings", true, "Role")]
    [TestCase("clusterrolebindings", false, "ClusterRole")]
    public async Task BindingRoleRef_IsImmutable(string plural, bool namespaced, string kind)
    {
        var path = namespaced ? $"/apis/rbac.authorization.k8s.io/v1/namespaces/{await NewNamespaceAsync()}/{plural}" : $"/apis/rbac.authorization.k8s.io/v1/{plural}";
        var name = "immutable-" + Guid.NewGuid().ToString("N")[..6];
        var created = await Http.SendAsync(HttpMethod.Post, path, $$$"""{"metadata":{"name":"{{{name}}}"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"{{{kind}}}","name":"one"}}""");
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        var updated = created.Body.DeepClone().AsObject();
        updated["roleRef"]!["name"] = "two";
        var body = (await Http.SendAsync(HttpMethod.Put, $"{path}/{name}", updated.ToJsonString())).AssertStatus(422, "Invalid");
        var cause = body["details"]!["causes"]![0]!;
        Assert.Multiple(() =>
        {
            Assert.That(cause["field"]!.ToString(), Is.EqualTo("roleRef"));
            Assert.That(cause["message"]!.ToString(), Does.EndWith(": cannot change roleRef"));
        });
        // Subjects may change.
        var subjects = created.Body.DeepClone().AsObject();
        subjects["subjects"] = JsonNode.Parse("""[{"kind":"Group","name":"g"}]""");
        Assert.That((await Http.SendAsync(HttpMethod.Put, $"{path}/{name}", subjects.ToJsonString())).Code, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task PriorityClassValue_IsImmutable()
    {
        var created = await Http.SendAsync(HttpMethod.Post, "/apis/scheduling.k8s.io/v1/priorityclasses", """{"metadata":{"name":"fixed"},"value":10,"description":"a"}""");
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        var body = (await Http.SendAsync(HttpMethod.Patch, "/apis/scheduling.k8s.io/v1/priorityclasses/fixed", """{"value":11}""", "application/merge-patch+json")).AssertStatus(422, "Invalid");
        Assert.That(body["message"]!.ToString(), Is.EqualTo("PriorityClass.scheduling.k8s.io \"fixed\" is invalid: value: Forbidden: may not be changed in an update."));
        var described = await Http.SendAsync(HttpMethod.Patch, "/apis/scheduling.k8s.io/v1/priorityclasses/fixed", """{"description":"b"}""", "application/merge-patch+json");
        Assert.That(described.Code, Is.EqualTo(HttpStatusCode.OK), described.Body.ToJsonString());
    }

    [Test]
    public async Task StorageClassProvisionerParametersAndReclaimPolicy_AreImmutable()
    {
        var created = await Http.SendAsync(HttpMethod.Post, "/apis/storage.k8s.io/v1/storageclasses", """{"metadata":{"name":"frozen"},"provisioner":"a.io/p","parameters":{"k":"v"}}""");
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        var body = (await Http.SendAsync(HttpMethod.Patch, "/apis/storage.k8s.io/v1/storageclasses/frozen",
            """{"provisioner":"b.io/p","parameters":{"k":"w"},"reclaimPolicy":"Retain"}""", "application/merge-patch+json")).AssertStatus(422, "Invalid");
        var causes = body["details"]!["causes"]!.AsArray().Select(c => $"{c!["field"]}: {c["message"]}");
        Assert.That(causes, Is.EquivalentTo(new[]
        {
            "parameters: Forbidden: updates to parameters are forbidden.",
            "provisioner: Forbidden: updates to provisioner are forbidden.",
            "reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.",
        }));
        var labelled = await Http.SendAsync(HttpMethod.Patch, "/apis/storage.k8s.io/v1/storageclasses/frozen", """{"allowVolumeExpansion":true}""", "application/merge-patch+json");
        Assert.That(labelled.Code, Is.EqualTo(HttpStatusCode.OK), labelled.Body.ToJsonString());
    }

    [Test]
    public async Task RuntimeClassHandler_IsImmutable()
    {
        var created = await Http.SendAsync(HttpMethod.Post, "/apis/node.k8s.io/v1/runtimeclasses", """{"metadata":{"name":"kata"},"handler":"kata"}""");
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        var body = (await Http.SendAsync(HttpMethod.Patch, "/apis/node.k8s.io/v1/runtimeclasses/kata", """{"handler":"runc"}""", "application/merge-patch+json")).AssertStatus(422, "Invalid");
        Assert.That(body["details"]!["causes"]![0]!["message"]!.ToString(), Is.EqualTo("Invalid value: \"runc\": field is immutable"));
    }

    [Test]
    public async Task Tables_ShowKubesColumns()
    {
        var ns = await NewNamespaceAsync();
        await Http.SendAsync(HttpMethod.Post, $"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings",
            """{"metadata":{"name":"rb"},"roleRef":{"kind":"ClusterRole","name":"view"},"subjects":[{"kind":"User","name":"u1"},{"kind":"ServiceAccount","name":"sa","namespace":"ns1"}]}""");
        await Http.SendAsync(HttpMethod.Post, $"/apis/coordination.k8s.io/v1/namespaces/{ns}/leases", """{"metadata":{"name":"l"},"spec":{"holderIdentity":"me"}}""");
        await Http.SendAsync(HttpMethod.Post, "/apis/storage.k8s.io/v1/storageclasses",
            """{"metadata":{"name":"table-sc","annotations":{"storageclass.kubernetes.io/is-default-class":"true"}},"provisioner":"x.io/p"}""");

        var bindings = await TableAsync($"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings");
        var leases = await TableAsync($"/apis/coordination.k8s.io/v1/namespaces/{ns}/leases");
        var roles = await TableAsync($"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles");
        var classes = await TableAsync("/apis/storage.k8s.io/v1/storageclasses?fieldSelector=metadata.name=table-sc");
        Assert.Multiple(() =>
        {
            Assert.That(Columns(bindings), Is.EqualTo(new[] { "Name", "Role", "Age", "Users", "Groups", "ServiceAccounts" }));
            Assert.That(Cells(bindings)[..2], Is.EqualTo(new[] { "rb", "ClusterRole/view" }));
            Assert.That(Cells(bindings)[3..], Is.EqualTo(new[] { "u1", "", "ns1/sa" }));
            Assert.That(Columns(leases), Is.EqualTo(new[] { "Name", "Holder", "Age" }));
            Assert.That(Cells(leases)[..2], Is.EqualTo(new[] { "l", "me" }));
            Assert.That(Columns(roles), Is.EqualTo(new[] { "Name", "Created At" }));
            Assert.That(Columns(classes), Is.EqualTo(new[] { "Name", "Provisioner", "ReclaimPolicy", "VolumeBindingMode", "AllowVolumeExpansion", "Age" }));
            Assert.That(Cells(classes)[..5], Is.EqualTo(new[] { "table-sc (default)", "x.io/p", "Delete", "Immediate", "false" }));
        });
    }

    private async Task<string> CollectionPathAsync(string group, string plural)
    {
        var namespaced = Resources.Cast<object[]>().Single(r => (string)r[1] == plural)[4] is true;
        return namespaced ? $"/apis/{group}/v1/namespaces/{await NewNamespaceAsync()}/{plural}" : $"/apis/{group}/v1/{plural}";
    }

    private async Task<JsonObject> TableAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io");
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        return JsonNode.Parse(text)!.AsObject();
    }

    private static string[] Columns(JsonObject table) => [.. table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.ToString())];

    private static string[] Cells(JsonObject table) => [.. table["rows"]!.AsArray().Single()!["cells"]!.AsArray().Select(c => c?.ToString() ?? "")];
}
