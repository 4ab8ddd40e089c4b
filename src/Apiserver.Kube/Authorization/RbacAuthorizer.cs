using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Authentication;
using Apiserver.Generic.Authorization;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Server;
using Apiserver.Kube.Registry.Rbac.ClusterRoleBindings;
using Apiserver.Kube.Registry.Rbac.ClusterRoles;
using Apiserver.Kube.Registry.Rbac.RoleBindings;
using Apiserver.Kube.Registry.Rbac.Roles;

namespace Apiserver.Kube.Authorization;

/// <summary>
/// <c>--authorization-mode=RBAC</c>: allows a request when a ClusterRoleBinding, or a RoleBinding
/// in the request's namespace, binds the user (by name, group, or service account) to a Role or
/// ClusterRole with a rule that covers it (<see cref="RbacRules"/>); otherwise no opinion.
/// </summary>
/// <remarks>
/// Reads the bindings and roles from storage on every request: correct, not fast. A cache fed by
/// a watch (kube's informers) is later work.
/// </remarks>
public sealed class RbacAuthorizer : IAuthorizer
{
    private const string ServiceAccountPrefix = "system:serviceaccount:";

    private readonly GenericStore _roles;
    private readonly GenericStore _clusterRoles;
    private readonly GenericStore _roleBindings;
    private readonly GenericStore _clusterRoleBindings;

    /// <summary>Creates the authorizer over the storage the RBAC resources are served from.</summary>
    public RbacAuthorizer(StorageConfig storage)
    {
        _roles = new GenericStore(RoleResource.Definition, storage.Storage, storage.Prefix);
        _clusterRoles = new GenericStore(ClusterRoleResource.Definition, storage.Storage, storage.Prefix);
        _roleBindings = new GenericStore(RoleBindingResource.Definition, storage.Storage, storage.Prefix);
        _clusterRoleBindings = new GenericStore(ClusterRoleBindingResource.Definition, storage.Storage, storage.Prefix);
    }

    /// <inheritdoc/>
    public async ValueTask<(Decision Decision, string Reason)> AuthorizeAsync(AuthorizationAttributes attributes, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        foreach (var binding in await ListAsync(_clusterRoleBindings, "", cancellationToken))
        {
            if (await AllowsAsync(binding, "", attributes, errors, cancellationToken) is { } allowed)
            {
                return (Decision.Allow, allowed);
            }
        }
        if (attributes.Namespace.Length > 0)
        {
            foreach (var binding in await ListAsync(_roleBindings, attributes.Namespace, cancellationToken))
            {
                if (await AllowsAsync(binding, attributes.Namespace, attributes, errors, cancellationToken) is { } allowed)
                {
                    return (Decision.Allow, allowed);
                }
            }
        }
        // As kube: no reason for a plain miss, the resolution errors when a binding was broken.
        var reason = errors.Count switch
        {
            0 => "",
            1 => "RBAC: " + errors[0],
            _ => $"RBAC: [{string.Join(", ", errors)}]",
        };
        return (Decision.NoOpinion, reason);
    }

    /// <summary>
    /// Whether a subject of <paramref name="binding"/> is the user and its role has a rule allowing the
    /// request: the reason when so, else null (with an error noted when the role does not resolve).
    /// </summary>
    private async Task<string?> AllowsAsync(JsonObject binding, string bindingNamespace, AuthorizationAttributes attributes, List<string> errors, CancellationToken cancellationToken)
    {
        var subject = (binding["subjects"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(s => AppliesTo(s, attributes.User, bindingNamespace));
        if (subject is null)
        {
            return null;
        }
        var roleKind = (string?)binding["roleRef"]?["kind"] ?? "";
        var roleName = (string?)binding["roleRef"]?["name"] ?? "";
        // A ClusterRoleBinding may reference only a ClusterRole; a RoleBinding either kind (validation enforces it).
        var isClusterRole = roleKind == "ClusterRole";
        if (!isClusterRole && (roleKind != "Role" || bindingNamespace.Length == 0))
        {
            errors.Add($"unsupported role reference kind: \"{roleKind}\"");
            return null;
        }
        JsonObject role;
        try
        {
            role = await (isClusterRole ? _clusterRoles : _roles).GetAsync(new RequestContext(isClusterRole ? "" : bindingNamespace), roleName, new GetOptions(), cancellationToken);
        }
        catch (StatusException e) when (e.Code == 404)
        {
            errors.Add($"{roleKind.ToLowerInvariant()}.rbac.authorization.k8s.io \"{roleName}\" not found");
            return null;
        }
        if (!PolicyRule.FromRole(role).Any(rule => RbacRules.Allows(attributes, rule)))
        {
            return null;
        }
        var bindingKind = bindingNamespace.Length > 0 ? $"RoleBinding \"{Name(binding)}/{bindingNamespace}\"" : $"ClusterRoleBinding \"{Name(binding)}\"";
        return $"RBAC: allowed by {bindingKind} of {roleKind} \"{roleName}\" to {(string?)subject["kind"]} \"{(string?)subject["name"]}\"";
    }

    /// <summary>kube's <c>appliesToUser</c>: a service account subject without a namespace is in the binding's.</summary>
    internal static bool AppliesTo(JsonObject subject, UserInfo user, string bindingNamespace)
    {
        var name = (string?)subject["name"] ?? "";
        switch ((string?)subject["kind"])
        {
            case "User":
                return user.Name == name;
            case "Group":
                return user.Groups.Contains(name);
            case "ServiceAccount":
                var ns = (string?)subject["namespace"] is { Length: > 0 } given ? given : bindingNamespace;
                return ns.Length > 0 && user.Name == $"{ServiceAccountPrefix}{ns}:{name}";
            default:
                return false;
        }
    }

    private static async Task<IEnumerable<JsonObject>> ListAsync(GenericStore store, string ns, CancellationToken cancellationToken)
    {
        var list = await store.ListAsync(new RequestContext(ns), new ListOptions(), cancellationToken);
        return (list["items"] as JsonArray ?? []).OfType<JsonObject>();
    }

    private static string Name(JsonObject obj) => (string?)obj["metadata"]?["name"] ?? "";
}
