using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Apiserver.Generic.Admission;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Server;
using Apiserver.Kube.Authorization;
using Apiserver.Kube.Registry.Core.Nodes;
using Apiserver.Kube.Registry.Core.Pods;

namespace Apiserver.Kube.Admission;

/// <summary>
/// The <c>NodeRestriction</c> admission plugin (on with <c>--enable-admission-plugins=NodeRestriction</c>),
/// as kube 1.34 has it: a kubelet (<c>system:node:&lt;name&gt;</c> in <c>system:nodes</c>) may write
/// only its own Node (not its taints, config source or restricted labels), its own mirror pods
/// (owned by its Node and referencing no API objects), the status and evictions of the pods bound
/// to it, the status of claims, its own Lease and CSINode, tokens for its pods, and node CSRs in
/// its own name. The Node authorizer decides what a kubelet may read; this plugin what it may write.
/// </summary>
public sealed class NodeRestriction(StorageConfig storage) : IValidatingAdmission
{
    private const string NodesGroup = "system:nodes", NodeUserPrefix = "system:node:";
    private const string NodeLeaseNamespace = "kube-node-lease";
    private const string RestrictedLabelDomain = "node-restriction.kubernetes.io";

    // The kubernetes.io and k8s.io labels a kubelet may set on its Node (kube's kubelet label policy).
    private static readonly HashSet<string> KubeletLabels =
    [
        "kubernetes.io/hostname", "topology.kubernetes.io/zone", "topology.kubernetes.io/region",
        "failure-domain.beta.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/region",
        "beta.kubernetes.io/instance-type", "node.kubernetes.io/instance-type", "kubernetes.io/os", "kubernetes.io/arch",
        "node.kubernetes.io/windows-build", "beta.kubernetes.io/os", "beta.kubernetes.io/arch",
    ];
    private static readonly string[] KubeletLabelDomains = ["kubelet.kubernetes.io", "node.kubernetes.io"];
    private static readonly string[] NodeSigners = ["kubernetes.io/kubelet-serving", "kubernetes.io/kube-apiserver-client-kubelet"];
    // What a kubelet may change in a claim's status.
    private static readonly string[] ClaimStatusFields = ["capacity", "conditions", "allocatedResourceStatuses", "allocatedResources"];

    private readonly GenericStore _pods = new(PodResource.Definition, storage.Storage, storage.Prefix);
    private readonly GenericStore _nodes = new(NodeResource.Definition, storage.Storage, storage.Prefix);

    /// <inheritdoc/>
    public string Name => "NodeRestriction";

    /// <inheritdoc/>
    public async ValueTask ValidateAsync(AdmissionAttributes a, CancellationToken cancellationToken)
    {
        if (a.User is not { } user || !user.Groups.Contains(NodesGroup) || !user.Name.StartsWith(NodeUserPrefix, StringComparison.Ordinal))
        {
            return;
        }
        var node = user.Name[NodeUserPrefix.Length..];
        var error = node.Length == 0
            ? $"could not determine node from user \"{user.Name}\""
            : (a.Resource.Group, a.Resource.Resource) switch
            {
                ("", "pods") => a.Subresource switch
                {
                    "" => await PodAsync(node, a, cancellationToken),
                    "status" => PodStatus(node, a),
                    "eviction" => await EvictionAsync(node, a, cancellationToken),
                    _ => $"unexpected pod subresource \"{a.Subresource}\", only 'status' and 'eviction' are allowed",
                },
                ("", "nodes") => NodeObject(node, a),
                ("", "persistentvolumeclaims") => a.Subresource == "status" ? ClaimStatus(node, a) : "may only update PVC status",
                ("", "serviceaccounts") => a.Operation == AdmissionOperation.Create && a.Subresource == "token" ? await TokenAsync(node, a, cancellationToken) : null,
                ("coordination.k8s.io", "leases") => a.Namespace != NodeLeaseNamespace
                    ? $"can only access leases in the \"{NodeLeaseNamespace}\" system namespace"
                    : NameOf(a) == node ? null : "can only access node lease with the same name as the requesting node",
                ("storage.k8s.io", "csinodes") => NameOf(a) == node ? null : "can only access CSINode with the same name as the requesting node",
                ("certificates.k8s.io", "certificatesigningrequests") => a.Operation == AdmissionOperation.Create ? NodeCsr(node, a.Object!) : null,
                _ => null,
            };
        if (error is not null)
        {
            throw StatusException.Forbidden(a.Resource, a.Name, error);
        }
    }

    private async Task<string?> PodAsync(string node, AdmissionAttributes a, CancellationToken cancellationToken)
    {
        switch (a.Operation)
        {
            case AdmissionOperation.Create:
                return await MirrorPodAsync(node, a.Object!, cancellationToken);
            case AdmissionOperation.Delete:
                return BoundTo(a.OldObject) == node ? null : $"node \"{node}\" can only delete pods with spec.nodeName set to itself";
            default:
                return $"unexpected operation \"{OperationName(a.Operation)}\", node \"{node}\" can only create and delete mirror pods";
        }
    }

    private async Task<string?> MirrorPodAsync(string node, JsonObject pod, CancellationToken cancellationToken)
    {
        if (!NodePodReferences.IsMirror(pod))
        {
            return $"pod does not have \"{NodePodReferences.MirrorPodAnnotation}\" annotation, node \"{node}\" can only create mirror pods";
        }
        if (BoundTo(pod) != node)
        {
            return $"node \"{node}\" can only create pods with spec.nodeName set to itself";
        }
        // A mirror pod is owned by its node (and so goes with it).
        var owners = (pod["metadata"]?["ownerReferences"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (owners.Count > 1)
        {
            return $"node \"{node}\" can only create pods with a single owner reference set to itself";
        }
        if (owners.Count == 0 || (string?)owners[0]["apiVersion"] != "v1" || (string?)owners[0]["kind"] != "Node" || (string?)owners[0]["name"] != node)
        {
            return $"node \"{node}\" can only create pods with an owner reference set to itself";
        }
        if (owners[0]["controller"]?.GetValue<bool>() != true)
        {
            return $"node \"{node}\" can only create pods with a controller owner reference set to itself";
        }
        if (owners[0]["blockOwnerDeletion"]?.GetValue<bool>() == true)
        {
            return $"node \"{node}\" must not set blockOwnerDeletion on an owner reference";
        }
        var nodeObject = await GetAsync(_nodes, "", node, cancellationToken);
        var uid = nodeObject.GetMetaString("uid");
        if ((string?)owners[0]["uid"] != uid)
        {
            return $"node {node} UID mismatch: expected {uid} got {(string?)owners[0]["uid"]}";
        }

        // Mirror pods come from static manifests: they may not reach into the API.
        var spec = pod["spec"] as JsonObject ?? [];
        // The pod strategy defaults the account to "default" (kube's ServiceAccount plugin skips mirror
        // pods instead); the Node authorizer ignores mirror pods' accounts, so only a named one is refused.
        if ((string?)spec["serviceAccountName"] is { Length: > 0 } account && account != "default")
        {
            return $"node \"{node}\" can not create pods that reference a service account";
        }
        if (NodePodReferences.Secrets(pod).Count > 0)
        {
            return $"node \"{node}\" can not create pods that reference secrets";
        }
        if (NodePodReferences.ConfigMaps(pod).Count > 0)
        {
            return $"node \"{node}\" can not create pods that reference configmaps";
        }
        var volumes = (spec["volumes"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (volumes.Any(v => (v["projected"]?["sources"] as JsonArray ?? []).Any(s => s?["clusterTrustBundle"] is not null)))
        {
            return $"node \"{node}\" can not create pods that reference clustertrustbundles";
        }
        return volumes.Any(v => v["persistentVolumeClaim"] is not null) ? $"node \"{node}\" can not create pods that reference persistentvolumeclaims" : null;
    }

    private static string? PodStatus(string node, AdmissionAttributes a)
    {
        if (a.Operation != AdmissionOperation.Update)
        {
            return $"unexpected operation \"{OperationName(a.Operation)}\"";
        }
        if (BoundTo(a.OldObject) != node)
        {
            return $"node \"{node}\" can only update pod status for pods with spec.nodeName set to itself";
        }
        if (!SameMap(a.Object?["metadata"]?["labels"], a.OldObject?["metadata"]?["labels"]))
        {
            return $"node \"{node}\" cannot update labels through pod status";
        }
        return ClaimStatuses(a.Object) == ClaimStatuses(a.OldObject) ? null : $"node \"{node}\" cannot update resource claim statues";
    }

    // A pod's resource claim statuses by name and claim name, in order: what a kubelet may not change.
    private static string ClaimStatuses(JsonObject? pod) => string.Join("\n",
        (pod?["status"]?["resourceClaimStatuses"] as JsonArray ?? []).Select(s => $"{(string?)s?["name"]}\t{(s?["resourceClaimName"] is { } claim ? "=" + (string?)claim : "")}"));

    private async Task<string?> EvictionAsync(string node, AdmissionAttributes a, CancellationToken cancellationToken)
    {
        if (a.Operation != AdmissionOperation.Create)
        {
            return $"unexpected operation {OperationName(a.Operation)}";
        }
        var name = a.Name.Length > 0 ? a.Name : a.Object?.GetMetaString("name") ?? "";
        if (name.Length == 0)
        {
            return "could not determine pod from request data";
        }
        var pod = await GetAsync(_pods, a.Namespace, name, cancellationToken);
        return BoundTo(pod) == node ? null : $"node {node} can only evict pods with spec.nodeName set to itself";
    }

    private static string? NodeObject(string node, AdmissionAttributes a)
    {
        var name = NameOf(a);
        if (name != node)
        {
            return $"node \"{node}\" is not allowed to modify node \"{name}\"";
        }
        var spec = a.Object?["spec"];
        var labels = a.Object?["metadata"]?["labels"] as JsonObject;
        switch (a.Operation)
        {
            case AdmissionOperation.Create:
                if (spec?["configSource"] is not null)
                {
                    return $"node \"{node}\" is not allowed to create pods with a non-nil configSource";
                }
                var set = ForbiddenLabels(labels, null);
                return set.Count > 0 ? $"node \"{node}\" is not allowed to set the following labels: {string.Join(", ", set)}" : null;
            case AdmissionOperation.Update:
                var old = a.OldObject?["spec"];
                if (spec?["configSource"] is { } source && !JsonNode.DeepEquals(source, old?["configSource"]))
                {
                    return $"node \"{node}\" is not allowed to update configSource to a new non-nil configSource";
                }
                if (!JsonNode.DeepEquals(Empty(spec?["taints"]), Empty(old?["taints"])))
                {
                    return $"node \"{node}\" is not allowed to modify taints";
                }
                var changed = ForbiddenLabels(labels, a.OldObject?["metadata"]?["labels"] as JsonObject);
                return changed.Count > 0 ? $"is not allowed to modify labels: {string.Join(", ", changed)}" : null;
            default:
                return null;
        }
    }

    /// <summary>The labels, added, removed or changed, that a kubelet may not set on its Node, sorted.</summary>
    private static List<string> ForbiddenLabels(JsonObject? now, JsonObject? before)
    {
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in now ?? [])
        {
            if (before is null || !before.TryGetPropertyValue(key, out var was) || !JsonNode.DeepEquals(was, value)) keys.Add(key);
        }
        foreach (var (key, _) in before ?? [])
        {
            if (now is null || !now.ContainsKey(key)) keys.Add(key);
        }
        return [.. keys.Where(key =>
        {
            var domain = key.Contains('/') ? key[..key.IndexOf('/')] : "";
            return InDomain(domain, RestrictedLabelDomain)
                || ((InDomain(domain, "kubernetes.io") || InDomain(domain, "k8s.io")) && !KubeletLabels.Contains(key) && !KubeletLabelDomains.Any(d => InDomain(domain, d)));
        })];
    }

    private static bool InDomain(string domain, string parent) => domain == parent || domain.EndsWith("." + parent, StringComparison.Ordinal);

    private static string? ClaimStatus(string node, AdmissionAttributes a)
    {
        if (a.Operation != AdmissionOperation.Update)
        {
            return $"unexpected operation \"{OperationName(a.Operation)}\"";
        }
        // Anything but the status fields a kubelet reports is someone else's to change.
        var now = Comparable(a.Object);
        var before = Comparable(a.OldObject);
        if (JsonNode.DeepEquals(now, before))
        {
            return null;
        }
        var changed = new[] { "metadata", "spec", "status" }.Where(f => !JsonNode.DeepEquals(now[f], before[f]));
        return $"node \"{node}\" is not allowed to update fields other than status.quantity and status.conditions: {string.Join(", ", changed)} changed";
    }

    private static JsonObject Comparable(JsonObject? claim)
    {
        var copy = (JsonObject?)claim?.DeepClone() ?? [];
        if (copy["metadata"] is JsonObject meta)
        {
            meta.Remove("resourceVersion");
            meta.Remove("managedFields");
        }
        if (copy["status"] is JsonObject status)
        {
            foreach (var field in ClaimStatusFields) status.Remove(field);
        }
        return copy;
    }

    private async Task<string?> TokenAsync(string node, AdmissionAttributes a, CancellationToken cancellationToken)
    {
        // A kubelet asks tokens only for its pods' accounts, bound to the pod.
        var bound = a.Object?["spec"]?["boundObjectRef"];
        if (bound is null || (string?)bound["apiVersion"] != "v1" || (string?)bound["kind"] != "Pod" || (string?)bound["name"] is not { Length: > 0 } podName)
        {
            return "node requested token not bound to a pod";
        }
        if ((string?)bound["uid"] is not { Length: > 0 } uid)
        {
            return "node requested token with a pod binding without a uid";
        }
        var pod = await GetAsync(_pods, a.Namespace, podName, cancellationToken);
        if (pod.GetMetaString("uid") != uid)
        {
            return $"the UID in the bound object reference ({uid}) does not match the UID in record. The object might have been deleted and then recreated";
        }
        return BoundTo(pod) == node ? null : "node requested token bound to a pod scheduled on a different node";
    }

    /// <summary>A CSR for a node signer whose subject names a node must name this one.</summary>
    private static string? NodeCsr(string node, JsonObject csr)
    {
        if (!NodeSigners.Contains((string?)csr["spec"]?["signerName"]))
        {
            return null;
        }
        string? commonName;
        try
        {
            var pem = Encoding.ASCII.GetString(Convert.FromBase64String((string?)csr["spec"]?["request"] ?? ""));
            var request = CertificateRequest.LoadSigningRequestPem(pem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
            commonName = request.SubjectName.EnumerateRelativeDistinguishedNames()
                .FirstOrDefault(n => n.GetSingleElementType().Value == "2.5.4.3")?.GetSingleElementValue();
        }
        catch (Exception e) when (e is FormatException or CryptographicException or ArgumentException)
        {
            return $"unable to parse csr: {e.Message}";
        }
        return commonName == NodeUserPrefix + node ? null : $"can only create a node CSR with CN={NodeUserPrefix}{node}";
    }

    // As kube's plugin reads its informers: the cache first, storage when the object is not there yet.
    private static async Task<JsonObject> GetAsync(GenericStore store, string ns, string name, CancellationToken cancellationToken) =>
        await store.GetRecentAsync(ns, name, cancellationToken) ?? throw StatusException.NotFound(store.Names.GroupResource, name);

    private static string NameOf(AdmissionAttributes a) => a.Name.Length > 0 ? a.Name : a.Object?.GetMetaString("name") ?? "";

    private static string? BoundTo(JsonObject? pod) => (string?)pod?["spec"]?["nodeName"];

    private static bool SameMap(JsonNode? a, JsonNode? b) => JsonNode.DeepEquals(Empty(a), Empty(b));

    // Go compares a nil map or slice as equal to an empty one.
    private static JsonNode? Empty(JsonNode? value) => value is JsonObject { Count: 0 } or JsonArray { Count: 0 } ? null : value;

    private static string OperationName(AdmissionOperation operation) => operation.ToString().ToUpperInvariant();
}
