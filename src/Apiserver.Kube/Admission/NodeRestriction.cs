using System.Text.Json.Nodes;
using Apiserver.Generic.Admission;
using Apiserver.Generic.Api;

namespace Apiserver.Kube.Admission;

/// <summary>
/// The <c>NodeRestriction</c> admission plugin (on with <c>--enable-admission-plugins=NodeRestriction</c>):
/// a kubelet (<c>system:node:&lt;name&gt;</c> in <c>system:nodes</c>) may change only its own Node
/// object, create only mirror pods bound to itself that reference no API objects, and delete,
/// evict or update the status of only the pods bound to itself. The Node authorizer decides what
/// a kubelet may read; this plugin what it may write.
/// </summary>
public sealed class NodeRestriction : IValidatingAdmission
{
    /// <inheritdoc/>
    public string Name => "NodeRestriction";

    /// <inheritdoc/>
    public ValueTask ValidateAsync(AdmissionAttributes a, CancellationToken cancellationToken)
    {
        if (a.User is not { } user || !user.Groups.Contains("system:nodes") || !user.Name.StartsWith("system:node:", StringComparison.Ordinal)
            || a.Resource.Group.Length > 0)
        {
            return ValueTask.CompletedTask;
        }
        var node = user.Name["system:node:".Length..];
        var error = (a.Resource.Resource, a.Subresource) switch
        {
            ("pods", "") => Pod(node, a),
            ("pods", "status") => BoundTo(a.OldObject) == node ? null : $"node \"{node}\" can only update pod status for pods with spec.nodeName set to itself",
            ("nodes", _) when a.Operation is AdmissionOperation.Create or AdmissionOperation.Update => a.Name == node || (a.Name.Length == 0 && (string?)a.Object?["metadata"]?["name"] == node)
                ? Taints(node, a)
                : $"node \"{node}\" is not allowed to modify node \"{a.Name}\"",
            ("nodes", _) when a.Operation is AdmissionOperation.Delete => a.Name == node ? null : $"node \"{node}\" is not allowed to delete node \"{a.Name}\"",
            _ => null,
        };
        if (error is not null)
        {
            throw StatusException.Forbidden(a.Resource, a.Name, error);
        }
        return ValueTask.CompletedTask;
    }

    private static string? Pod(string node, AdmissionAttributes a)
    {
        switch (a.Operation)
        {
            case AdmissionOperation.Create:
                var pod = a.Object!;
                if (!Authorization.NodePodReferences.IsMirror(pod))
                {
                    return $"pod does not have \"{Authorization.NodePodReferences.MirrorPodAnnotation}\" annotation, node \"{node}\" can only create mirror pods";
                }
                if (BoundTo(pod) != node)
                {
                    return $"node \"{node}\" can only create pods with spec.nodeName set to itself";
                }
                if ((pod["metadata"]?["ownerReferences"] as JsonArray)?.Count > 0)
                {
                    return $"node \"{node}\" can only create pods with no owner references";
                }
                var spec = pod["spec"] as JsonObject ?? [];
                // The pod strategy defaults the account to "default" (kube's ServiceAccount plugin skips mirror
                // pods instead); the Node authorizer ignores mirror pods' accounts, so only a named one is refused.
                if ((string?)spec["serviceAccountName"] is { Length: > 0 } account && account != "default")
                {
                    return $"node \"{node}\" can not create pods that reference a service account";
                }
                // Mirror pods come from static manifests: they may not reach into the API.
                if (Authorization.NodePodReferences.Secrets(pod).Count > 0)
                {
                    return $"node \"{node}\" can not create pods that reference secrets";
                }
                if (Authorization.NodePodReferences.ConfigMaps(pod).Count > 0)
                {
                    return $"node \"{node}\" can not create pods that reference configmaps";
                }
                return Authorization.NodePodReferences.Claims(pod).Count > 0 ? $"node \"{node}\" can not create pods that reference persistentvolumeclaims" : null;
            case AdmissionOperation.Delete:
                return BoundTo(a.OldObject) == node ? null : $"node \"{node}\" can only delete pods with spec.nodeName set to itself";
            default:
                // kube: a kubelet updates pods only through the status subresource.
                return $"node \"{node}\" can only update pod status for pods with spec.nodeName set to itself";
        }
    }

    /// <summary>A node may not add or change its own taints on update (it may register with them).</summary>
    private static string? Taints(string node, AdmissionAttributes a) =>
        a.Operation == AdmissionOperation.Update && !JsonNode.DeepEquals(a.Object?["spec"]?["taints"], a.OldObject?["spec"]?["taints"])
            ? $"node \"{node}\" is not allowed to modify taints"
            : null;

    private static string? BoundTo(JsonObject? pod) => (string?)pod?["spec"]?["nodeName"];
}
