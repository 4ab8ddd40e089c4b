namespace Apiserver.Kube.Authorization;

/// <summary>
/// kube's static rules for nodes (<c>bootstrappolicy.NodeRules</c>): what the Node authorizer
/// allows kubelets outright. Secrets, config maps, claims, volumes, tokens, leases and CSINodes
/// are decided by the node's relationships before these are consulted.
/// </summary>
public static class NodeRules
{
    private static readonly string[] Read = ["get", "list", "watch"];

    /// <summary>The rules.</summary>
    public static IReadOnlyList<PolicyRule> Rules { get; } =
    [
        Rule(["create"], "authentication.k8s.io", "tokenreviews"),
        Rule(["create"], "authorization.k8s.io", "subjectaccessreviews", "localsubjectaccessreviews"),
        Rule(Read, "", "services"),
        Rule(["create", "get", "list", "watch"], "", "nodes"),
        Rule(["update", "patch"], "", "nodes/status"),
        Rule(["update", "patch"], "", "nodes"),
        Rule(["create", "update", "patch"], "", "events"),
        Rule(["create", "update", "patch"], "events.k8s.io", "events"),
        Rule(Read, "", "pods"),
        Rule(["create", "delete"], "", "pods"),
        Rule(["update", "patch"], "", "pods/status"),
        Rule(["create"], "", "pods/eviction"),
        Rule(["get"], "", "endpoints"),
        Rule(["create", "get", "list", "watch"], "certificates.k8s.io", "certificatesigningrequests"),
        Rule(["get", "watch", "list"], "storage.k8s.io", "csidrivers"),
        Rule(Read, "node.k8s.io", "runtimeclasses"),
    ];

    private static PolicyRule Rule(string[] verbs, string group, params string[] resources) => new(verbs, [group], resources, [], []);
}
