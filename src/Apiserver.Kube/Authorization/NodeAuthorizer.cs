using System.Text.Json.Nodes;
using Apiserver.Generic.Authentication;
using Apiserver.Generic.Authorization;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Server;
using Apiserver.Kube.Registry.Core.PersistentVolumeClaims;
using Apiserver.Kube.Registry.Core.Pods;

namespace Apiserver.Kube.Authorization;

/// <summary>
/// <c>--authorization-mode=Node</c>: kubelets (<c>system:node:&lt;name&gt;</c> in <c>system:nodes</c>) may read
/// only the secrets, config maps, persistent volume claims and volumes that pods bound to their node
/// reference, create tokens only for those pods' service accounts, and touch only their own lease and
/// CSINode; everything else they may do is kube's static node rules (<see cref="NodeRules"/>).
/// Other users get no opinion. Where kube walks an informer-fed graph, this reads the node's pods from
/// storage per request: the same answers, not the same speed.
/// </summary>
public sealed class NodeAuthorizer : IAuthorizer, IRuleResolver
{
    private const string NodesGroup = "system:nodes", NodeUserPrefix = "system:node:";

    private readonly GenericStore _pods;
    private readonly GenericStore _claims;

    /// <summary>Creates the authorizer over the storage pods and claims are served from.</summary>
    public NodeAuthorizer(StorageConfig storage)
    {
        _pods = new GenericStore(PodResource.Definition, storage.Storage, storage.Prefix);
        _claims = new GenericStore(PersistentVolumeClaimResource.Definition, storage.Storage, storage.Prefix);
    }

    /// <inheritdoc/>
    public async ValueTask<(Decision Decision, string Reason)> AuthorizeAsync(AuthorizationAttributes a, CancellationToken cancellationToken)
    {
        if (!a.User.Groups.Contains(NodesGroup) || !a.User.Name.StartsWith(NodeUserPrefix, StringComparison.Ordinal))
        {
            return (Decision.NoOpinion, "");
        }
        var node = a.User.Name[NodeUserPrefix.Length..];
        if (node.Length == 0)
        {
            return (Decision.NoOpinion, $"unknown node for user \"{a.User.Name}\"");
        }
        if (a.IsResourceRequest)
        {
            switch ((a.ApiGroup, a.Resource))
            {
                case ("", "secrets"):
                case ("", "configmaps"):
                    return await ReadNamespacedAsync(node, a, cancellationToken);
                case ("", "persistentvolumeclaims") when a.Subresource == "status":
                    return a.Verb is "update" or "patch"
                        ? await RelatedAsync(node, a, cancellationToken)
                        : (Decision.NoOpinion, "can only get/update/patch this type");
                case ("", "persistentvolumeclaims"):
                case ("", "persistentvolumes"):
                case ("storage.k8s.io", "volumeattachments"):
                    if (a.Verb != "get")
                    {
                        return (Decision.NoOpinion, "can only get individual resources of this type");
                    }
                    return a.Subresource.Length > 0 ? (Decision.NoOpinion, "cannot get subresource") : await RelatedAsync(node, a, cancellationToken);
                case ("", "serviceaccounts"):
                    if (a.Verb != "create" || a.Name.Length == 0)
                    {
                        return (Decision.NoOpinion, "can only create tokens for individual service accounts");
                    }
                    return a.Subresource != "token" ? (Decision.NoOpinion, "can only create token subresource of serviceaccount") : await RelatedAsync(node, a, cancellationToken);
                case ("coordination.k8s.io", "leases"):
                    return OwnObject(node, a, "node lease", a.Namespace == "kube-node-lease" ? null : "can only access leases in the kube-node-lease namespace");
                case ("storage.k8s.io", "csinodes"):
                    return OwnObject(node, a, "CSINode", null);
            }
        }
        return NodeRules.Rules.Any(rule => RbacRules.Allows(a, rule)) ? (Decision.Allow, "") : (Decision.NoOpinion, "");
    }

    /// <summary>kube's node authorizer does not list rules for nodes.</summary>
    public ValueTask<RuleSet> RulesForAsync(UserInfo user, string ns, CancellationToken cancellationToken) =>
        ValueTask.FromResult(user.Groups.Contains(NodesGroup) && user.Name.StartsWith(NodeUserPrefix, StringComparison.Ordinal)
            ? RuleSet.Unknown with { EvaluationError = "node authorizer does not support user rule resolution" }
            : RuleSet.None);

    private async Task<(Decision, string)> ReadNamespacedAsync(string node, AuthorizationAttributes a, CancellationToken cancellationToken)
    {
        if (a.Verb is not ("get" or "list" or "watch"))
        {
            return (Decision.NoOpinion, "can only read resources of this type");
        }
        if (a.Subresource.Length > 0)
        {
            return (Decision.NoOpinion, "cannot read subresource");
        }
        if (a.Namespace.Length == 0)
        {
            return (Decision.NoOpinion, "can only read namespaced object of this type");
        }
        return await RelatedAsync(node, a, cancellationToken);
    }

    /// <summary>A lease or CSINode: any may be created, only the node's own read or changed.</summary>
    private static (Decision, string) OwnObject(string node, AuthorizationAttributes a, string kind, string? scopeError)
    {
        if (scopeError is not null)
        {
            return (Decision.NoOpinion, scopeError);
        }
        if (a.Verb is not ("get" or "create" or "update" or "patch" or "delete"))
        {
            return (Decision.NoOpinion, $"can only get, create, update, patch, or delete a {kind}");
        }
        if (a.Verb != "create" && a.Name != node)
        {
            return (Decision.NoOpinion, $"can only access {kind} with the same name as the requesting node");
        }
        return (Decision.Allow, "");
    }

    /// <summary>Allows when a pod bound to the node references the object (kube's graph path from the object to the node).</summary>
    private async Task<(Decision, string)> RelatedAsync(string node, AuthorizationAttributes a, CancellationToken cancellationToken)
    {
        if (a.Name.Length == 0)
        {
            return (Decision.NoOpinion, "No Object name found");
        }
        var pods = await PodsOnNodeAsync(node, a.Resource is "persistentvolumes" or "volumeattachments" ? "" : a.Namespace, cancellationToken);
        var related = a.Resource switch
        {
            "secrets" => pods.Any(p => NodePodReferences.Secrets(p).Contains(a.Name)),
            "configmaps" => pods.Any(p => NodePodReferences.ConfigMaps(p).Contains(a.Name)),
            "persistentvolumeclaims" => pods.Any(p => NodePodReferences.Claims(p).Contains(a.Name)),
            // A mirror pod runs without an account, whatever its spec says (NodeRestriction lets a node create them).
            "serviceaccounts" => pods.Any(p => !NodePodReferences.IsMirror(p) && NodePodReferences.ServiceAccount(p) == a.Name),
            "persistentvolumes" => await VolumesOfAsync(pods, cancellationToken) is var volumes && volumes.Contains(a.Name),
            _ => false,
        };
        return related ? (Decision.Allow, "") : (Decision.NoOpinion, $"no relationship found between node '{node}' and this object");
    }

    private async Task<List<JsonObject>> PodsOnNodeAsync(string node, string ns, CancellationToken cancellationToken)
    {
        var list = await _pods.ListAsync(new RequestContext(ns), new ListOptions(), cancellationToken);
        return [.. (list["items"] as JsonArray ?? []).OfType<JsonObject>().Where(p => (string?)p["spec"]?["nodeName"] == node)];
    }

    /// <summary>The persistent volumes the pods' claims are bound to.</summary>
    private async Task<HashSet<string>> VolumesOfAsync(List<JsonObject> pods, CancellationToken cancellationToken)
    {
        var volumes = new HashSet<string>();
        foreach (var pod in pods)
        {
            var ns = (string?)pod["metadata"]?["namespace"] ?? "";
            foreach (var claim in NodePodReferences.Claims(pod))
            {
                try
                {
                    var pvc = await _claims.GetAsync(new RequestContext(ns), claim, new GetOptions(), cancellationToken);
                    if ((string?)pvc["spec"]?["volumeName"] is { Length: > 0 } volume)
                    {
                        volumes.Add(volume);
                    }
                }
                catch (Generic.Api.StatusException e) when (e.Code == 404)
                {
                }
            }
        }
        return volumes;
    }
}
