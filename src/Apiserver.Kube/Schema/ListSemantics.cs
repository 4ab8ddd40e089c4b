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
        [("V1Condition", "")] = new("atomic"),
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
