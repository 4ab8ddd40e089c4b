using Apiserver.Generic.Schema;

namespace Apiserver.Kube.Schema;

/// <summary>
/// The list and map semantics of built-in fields, which the typed models do not carry: how lists
/// merge in strategic merge patch and server-side apply (<c>x-kubernetes-list-type</c>,
/// <c>x-kubernetes-list-map-keys</c>, patch strategy and merge key). Keyed by model type and JSON field.
/// </summary>
internal static class ListSemantics
{
    /// <summary>How one list field merges.</summary>
    public sealed record Rule(string ListType, IReadOnlyList<string>? Keys = null, string? PatchStrategy = null, string? PatchMergeKey = null);

    private static Rule MapBy(params string[] keys) => new("map", keys, "merge", keys[0]);
    private static readonly Rule Set = new("set", null, "merge");

    public static readonly IReadOnlyDictionary<(string Type, string Field), Rule> Rules = new Dictionary<(string, string), Rule>
    {
        [("V1ObjectMeta", "finalizers")] = Set,
        [("V1ObjectMeta", "ownerReferences")] = MapBy("uid"),
        [("V1ObjectMeta", "managedFields")] = new("atomic"),
        [("V1PodSpec", "containers")] = MapBy("name"),
        [("V1PodSpec", "initContainers")] = MapBy("name"),
        [("V1PodSpec", "ephemeralContainers")] = MapBy("name"),
        [("V1PodSpec", "volumes")] = new("map", ["name"], "merge,retainKeys", "name"),
        [("V1PodSpec", "imagePullSecrets")] = MapBy("name"),
        [("V1PodSpec", "tolerations")] = new("atomic"),
        [("V1PodSpec", "hostAliases")] = MapBy("ip"),
        [("V1Container", "ports")] = new("map", ["containerPort", "protocol"], "merge", "containerPort"),
        [("V1Container", "env")] = MapBy("name"),
        [("V1Container", "volumeMounts")] = MapBy("mountPath"),
        [("V1Container", "volumeDevices")] = MapBy("devicePath"),
        [("V1EphemeralContainer", "ports")] = new("map", ["containerPort", "protocol"], "merge", "containerPort"),
        [("V1EphemeralContainer", "env")] = MapBy("name"),
        [("V1EphemeralContainer", "volumeMounts")] = MapBy("mountPath"),
        [("V1ServiceSpec", "ports")] = new("map", ["port", "protocol"], "merge", "port"),
        [("V1ServiceAccount", "secrets")] = MapBy("name"),
        [("V1PodStatus", "conditions")] = MapBy("type"),
        [("V1NodeStatus", "conditions")] = MapBy("type"),
        [("V1NodeStatus", "addresses")] = MapBy("type"),
        [("V1DeploymentStatus", "conditions")] = MapBy("type"),
        [("V1ReplicaSetStatus", "conditions")] = MapBy("type"),
        [("V1StatefulSetStatus", "conditions")] = MapBy("type"),
        [("V1DaemonSetStatus", "conditions")] = MapBy("type"),
        [("V1JobStatus", "conditions")] = new("atomic", null, "merge", "type"),
        [("V1NamespaceStatus", "conditions")] = MapBy("type"),
        [("V1NamespaceSpec", "finalizers")] = new("atomic"),
        [("V1ReplicationControllerStatus", "conditions")] = MapBy("type"),
        [("V1PersistentVolumeClaimStatus", "conditions")] = MapBy("type"),
        [("V1ValidatingWebhookConfiguration", "webhooks")] = MapBy("name"),
        [("V1MutatingWebhookConfiguration", "webhooks")] = MapBy("name"),
        [("V1Condition", "")] = new("atomic"),
        [("V1CSINodeSpec", "drivers")] = MapBy("name"),
        [("V1CSINodeDriver", "topologyKeys")] = new("atomic"),
        [("V1CSIDriverSpec", "volumeLifecycleModes")] = new("set"),
        [("V1CSIDriverSpec", "tokenRequests")] = new("atomic"),
        [("V1ServiceCIDRSpec", "cidrs")] = new("atomic"),
        [("V1ServiceCIDRStatus", "conditions")] = MapBy("type"),
    };

    /// <summary>
    /// Structs kube marks <c>+structType=atomic</c> (<c>x-kubernetes-map-type: atomic</c>): server-side
    /// apply owns and replaces them whole.
    /// </summary>
    public static readonly IReadOnlySet<string> AtomicStructs = new HashSet<string>
    {
        "V1LabelSelector", "V1ObjectReference", "V1LocalObjectReference", "V1TypedLocalObjectReference", "V1NodeSelector",
        "V1NodeSelectorTerm", "V1SecretKeySelector", "V1ConfigMapKeySelector", "V1ObjectFieldSelector", "V1ResourceFieldSelector",
    };

    /// <summary>The defaults kube's OpenAPI declares on list-map keys, so an item that leaves its key out still names itself.</summary>
    public static readonly IReadOnlyDictionary<(string Type, string Field), string> KeyDefaults = new Dictionary<(string, string), string>
    {
        [("V1ContainerPort", "protocol")] = "TCP",
        [("V1ServicePort", "protocol")] = "TCP",
    };

    /// <summary>Sets the extensions of <paramref name="rule"/> on a list property's schema.</summary>
    public static void Apply(NJsonSchema.JsonSchema schema, Rule rule)
    {
        schema.Set(KubernetesExtensions.ListType, rule.ListType);
        if (rule.Keys is { } keys) schema.Set(KubernetesExtensions.ListMapKeys, keys.ToArray());
        if (rule.PatchStrategy is { } strategy) schema.Set(KubernetesExtensions.PatchStrategy, strategy);
        if (rule.PatchMergeKey is { } key) schema.Set(KubernetesExtensions.PatchMergeKey, key);
    }
}
