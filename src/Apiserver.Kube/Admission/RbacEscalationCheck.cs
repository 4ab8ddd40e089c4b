using System.Text.Json.Nodes;
using Apiserver.Generic.Admission;
using Apiserver.Generic.Api;
using Apiserver.Generic.Authentication;
using Apiserver.Generic.Authorization;
using Apiserver.Kube.Authorization;

namespace Apiserver.Kube.Admission;

/// <summary>
/// RBAC escalation prevention (kube's <c>policybased</c> RBAC storage, run here as a validating
/// check on every write of the four RBAC resources): a Role or ClusterRole may hold only rules
/// its writer holds, unless the writer may <c>escalate</c> it; a binding may reference only a role
/// whose rules its writer holds, unless the writer may <c>bind</c> it. <c>system:masters</c> and
/// the server's own writes (no user) are exempt.
/// </summary>
/// <param name="authorizer">The server's authorizer, asked about <c>escalate</c> and <c>bind</c>.</param>
/// <param name="rbac">Resolves the writer's RBAC rules and the bound role's rules.</param>
public sealed class RbacEscalationCheck(IAuthorizer authorizer, RbacAuthorizer rbac) : IValidatingAdmission
{
    private const string Group = "rbac.authorization.k8s.io";

    // To set an aggregationRule, which can gather anything, the writer must hold everything.
    private static readonly PolicyRule[] FullAuthority =
    [
        new(["*"], ["*"], ["*"], [], []),
        new(["*"], [], [], [], ["*"]),
    ];

    /// <inheritdoc/>
    public string Name => "RBACEscalation";

    /// <inheritdoc/>
    public bool Handles(AdmissionOperation operation) => operation is AdmissionOperation.Create or AdmissionOperation.Update;

    /// <inheritdoc/>
    public async ValueTask ValidateAsync(AdmissionAttributes attributes, CancellationToken cancellationToken)
    {
        if (attributes.Resource.Group != Group || attributes.Subresource.Length > 0 || attributes.Object is not { } obj
            || attributes.User is not { } user || user.Groups.Contains(UserInfo.MastersGroup)
            || (attributes.OldObject is { } old && OnlyGarbageCollectionFieldsChanged(obj, old)))
        {
            return;
        }
        switch (attributes.Resource.Resource)
        {
            case "roles" or "clusterroles":
                await CheckRoleAsync(attributes, obj, user, cancellationToken);
                break;
            case "rolebindings" or "clusterrolebindings":
                await CheckBindingAsync(attributes, obj, user, cancellationToken);
                break;
        }
    }

    private async Task CheckRoleAsync(AdmissionAttributes attributes, JsonObject role, UserInfo user, CancellationToken cancellationToken)
    {
        if (await AllowedAsync(user, "escalate", attributes.Resource.Resource, attributes.Namespace, attributes.Name, cancellationToken))
        {
            return;
        }
        await ConfirmNoEscalationAsync(attributes, user, PolicyRule.FromRole(role), cancellationToken);
        if (role["aggregationRule"] is JsonObject && !RbacCovers.Covers((await rbac.PolicyRulesForAsync(user, attributes.Namespace, cancellationToken)).Rules, FullAuthority).Covered)
        {
            throw StatusException.Forbidden(attributes.Resource, attributes.Name, "must have cluster-admin privileges to use the aggregationRule");
        }
    }

    private async Task CheckBindingAsync(AdmissionAttributes attributes, JsonObject binding, UserInfo user, CancellationToken cancellationToken)
    {
        var kind = (string?)binding["roleRef"]?["kind"] ?? "";
        var name = (string?)binding["roleRef"]?["name"] ?? "";
        var roleResource = kind == "ClusterRole" ? "clusterroles" : "roles";
        if (await AllowedAsync(user, "bind", roleResource, attributes.Namespace, name, cancellationToken))
        {
            return;
        }
        var policy = await rbac.Cache.GetPolicyAsync(cancellationToken);
        var (rules, _) = policy.RoleRules(kind, name, attributes.Namespace);
        if (rules is null)
        {
            throw StatusException.NotFound(new GroupResource(Group, kind.ToLowerInvariant()), name);
        }
        await ConfirmNoEscalationAsync(attributes, user, rules, cancellationToken);
    }

    private async Task<bool> AllowedAsync(UserInfo user, string verb, string resource, string ns, string name, CancellationToken cancellationToken)
    {
        var (decision, _) = await authorizer.AuthorizeAsync(new AuthorizationAttributes(user, verb, true, Group, ns, resource, "", name, ""), cancellationToken);
        return decision == Decision.Allow;
    }

    /// <summary>kube's <c>ConfirmNoEscalation</c>, with its message.</summary>
    private async Task ConfirmNoEscalationAsync(AdmissionAttributes attributes, UserInfo user, IReadOnlyList<PolicyRule> rules, CancellationToken cancellationToken)
    {
        var (owned, errors) = await rbac.PolicyRulesForAsync(user, attributes.Namespace, cancellationToken);
        var (covered, missing) = RbacCovers.Covers(owned, rules);
        if (covered)
        {
            return;
        }
        var descriptions = RbacCovers.Compact(missing).Select(RbacCovers.CompactString).Distinct().Order(StringComparer.Ordinal);
        var message = $"user \"{user.Name}\" (groups={RbacCovers.GoQuote(user.Groups)}) is attempting to grant RBAC permissions not currently held:\n{string.Join("\n", descriptions)}";
        if (errors.Count > 0)
        {
            message += $"; resolution errors: [{string.Join(", ", errors)}]";
        }
        throw StatusException.Forbidden(attributes.Resource, attributes.Name, message);
    }

    /// <summary>kube's <c>IsOnlyMutatingGCFields</c>: an update touching only owner references and finalizers is never an escalation.</summary>
    private static bool OnlyGarbageCollectionFieldsChanged(JsonObject obj, JsonObject old)
    {
        static JsonNode Strip(JsonObject o)
        {
            var copy = (JsonObject)o.DeepClone();
            if (copy["metadata"] is JsonObject metadata)
            {
                foreach (var field in new[] { "ownerReferences", "finalizers", "resourceVersion", "managedFields", "generation" })
                {
                    metadata.Remove(field);
                }
            }
            return copy;
        }
        return JsonNode.DeepEquals(Strip(obj), Strip(old));
    }
}
