using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Server;
using Apiserver.Kube.Controllers;
using Apiserver.Kube.Registry.Core.Namespaces;
using Apiserver.Kube.Registry.Rbac.ClusterRoleBindings;
using Apiserver.Kube.Registry.Rbac.ClusterRoles;
using Apiserver.Kube.Registry.Rbac.RoleBindings;
using Apiserver.Kube.Registry.Rbac.Roles;
using Microsoft.Extensions.Logging;

namespace Apiserver.Kube.Authorization.Bootstrap;

/// <summary>
/// The <c>rbac/bootstrap-roles</c> post-start hook: reconciles <see cref="BootstrapPolicy"/> into
/// storage (creates what is missing; adds missing rules, selectors, subjects, labels and
/// annotations to existing objects unless they are annotated
/// <c>rbac.authorization.kubernetes.io/autoupdate: "false"</c>; never removes what an
/// administrator added, as kube's hook runs without <c>--remove-extra-*</c>), then starts the
/// ClusterRole aggregation loop (<see cref="ClusterRoleAggregator"/>). Each pass reads every kind
/// with one list per scope and writes only the objects that change, so a restart on reconciled
/// data writes nothing.
/// </summary>
public sealed class BootstrapReconciler(StorageConfig storage, ILogger logger)
{
    /// <summary>The name of the post-start hook.</summary>
    public const string HookName = "rbac/bootstrap-roles";

    private readonly GenericStore _clusterRoles = new(ClusterRoleResource.Definition, storage.Storage, storage.Prefix);
    private readonly GenericStore _clusterRoleBindings = new(ClusterRoleBindingResource.Definition, storage.Storage, storage.Prefix);
    private readonly GenericStore _roles = new(RoleResource.Definition, storage.Storage, storage.Prefix);
    private readonly GenericStore _roleBindings = new(RoleBindingResource.Definition, storage.Storage, storage.Prefix);
    private readonly GenericStore _namespaces = new(NamespaceResource.Definition, storage.Storage, storage.Prefix);

    /// <summary>Reconciles the policy, aggregates once, and leaves the aggregation loop running until <paramref name="cancellationToken"/> ends.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // As kube: retry for a while (storage may be slow to answer at start), then fail the hook.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var result = await ReconcileAsync(cancellationToken);
                logger.LogInformation("reconciled the bootstrap RBAC policy: {Created} objects created, {Updated} updated", result.Created, result.Updated);
                break;
            }
            catch (Exception e) when (e is not OperationCanceledException && attempt < 30)
            {
                logger.LogWarning(e, "reconciling the bootstrap RBAC policy failed (attempt {Attempt}); retrying", attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            }
        }
        var aggregator = new ClusterRoleAggregator(_clusterRoles, logger);
        var version = await aggregator.AggregateAllAsync(cancellationToken);
        _ = aggregator.RunAsync(version, cancellationToken);
    }

    /// <summary>
    /// One reconciliation pass over every bootstrap object: the cluster-scoped kinds, then the
    /// Roles and RoleBindings of each namespace (creating the namespace first when an object in
    /// it is missing, as kube's reconciler does).
    /// </summary>
    public async Task<ReconcileResult> ReconcileAsync(CancellationToken cancellationToken)
    {
        var result = new ReconcileResult(0, 0);
        result += await ReconcileKindAsync(_clusterRoles, "", BootstrapPolicy.ClusterRoles(), ReconcileRole, cancellationToken);
        result += await ReconcileKindAsync(_clusterRoleBindings, "", BootstrapPolicy.ClusterRoleBindings(), ReconcileBinding, cancellationToken);
        foreach (var ns in BootstrapPolicy.Namespaces)
        {
            result += await ReconcileKindAsync(_roles, ns, [.. BootstrapPolicy.Roles().Where(r => InNamespace(r, ns))], ReconcileRole, cancellationToken);
            result += await ReconcileKindAsync(_roleBindings, ns, [.. BootstrapPolicy.RoleBindings().Where(b => InNamespace(b, ns))], ReconcileBinding, cancellationToken);
        }
        return result;
    }

    private async Task<ReconcileResult> ReconcileKindAsync(GenericStore store, string ns, IReadOnlyList<JsonObject> expected, Func<JsonObject?, JsonObject, JsonObject?> reconcile, CancellationToken cancellationToken)
    {
        var context = new RequestContext(ns);
        var list = await store.ListAsync(context, new ListOptions(), cancellationToken);
        var existing = (list["items"] as JsonArray ?? []).OfType<JsonObject>().ToDictionary(Name);
        var (created, updated) = (0, 0);
        var writes = new List<Task>();
        foreach (var wanted in expected)
        {
            var name = Name(wanted);
            var current = existing.GetValueOrDefault(name);
            if (reconcile(current, wanted) is not { } write)
            {
                continue;
            }
            if (current is null)
            {
                if (ns.Length > 0 && created == 0)
                {
                    await SystemNamespaces.EnsureAsync(_namespaces, [ns], cancellationToken);
                }
                writes.Add(store.CreateAsync(context, write, new CreateOptions(), cancellationToken));
                created++;
            }
            else
            {
                write["apiVersion"] ??= wanted["apiVersion"]?.DeepClone();
                write["kind"] ??= wanted["kind"]?.DeepClone();
                writes.Add(store.UpdateAsync(context, name, write, new UpdateOptions(), cancellationToken));
                updated++;
            }
            logger.LogDebug("{Action} {Kind} {Namespace}/{Name}", current is null ? "created" : "updated", wanted["kind"], ns, name);
        }
        // Sent together, so that a first start's hundred-odd objects share a few commits.
        await Task.WhenAll(writes);
        return new ReconcileResult(created, updated);
    }

    private static string Name(JsonObject obj) => (string?)obj["metadata"]?["name"] ?? "";

    private static bool InNamespace(JsonObject obj, string ns) => (string?)obj["metadata"]?["namespace"] == ns;

    /// <summary>Whether reconciliation may change <paramref name="existing"/>: only <c>autoupdate: "false"</c> protects it.</summary>
    public static bool AutoUpdate(JsonObject existing) =>
        (string?)existing["metadata"]?["annotations"]?[BootstrapPolicy.AutoUpdateAnnotation] != "false";

    /// <summary>
    /// The ClusterRole or Role to store: <paramref name="expected"/> when there is none,
    /// <paramref name="existing"/> with the missing labels, annotations, aggregation selectors and
    /// (unless both are aggregated) rules added, or null when nothing is to be written. Rules an
    /// administrator added stay (kube's reconciler unions them).
    /// </summary>
    public static JsonObject? ReconcileRole(JsonObject? existing, JsonObject expected)
    {
        if (existing is null)
        {
            return (JsonObject)expected.DeepClone();
        }
        if (!AutoUpdate(existing))
        {
            return null;
        }
        var result = (JsonObject)existing.DeepClone();
        var changed = MergeMetadata(result, expected);
        if (expected["aggregationRule"] is JsonObject expectedAggregation)
        {
            if (result["aggregationRule"] is not JsonObject aggregation)
            {
                result["aggregationRule"] = expectedAggregation.DeepClone();
                changed = true;
            }
            else
            {
                changed |= AddMissing(aggregation, "clusterRoleSelectors", (expectedAggregation["clusterRoleSelectors"] as JsonArray ?? []).OfType<JsonObject>(), JsonNode.DeepEquals);
            }
        }
        // Rules of an aggregated role are the aggregator's: reconcile them only when one side is not aggregated.
        if (expected["aggregationRule"] is null || existing["aggregationRule"] is null)
        {
            var held = (result["rules"] as JsonArray ?? []).OfType<JsonObject>().Select(PolicyRule.FromJson).ToList();
            var missing = (expected["rules"] as JsonArray ?? []).OfType<JsonObject>().Where(r => !held.Any(h => Covers(h, PolicyRule.FromJson(r)))).ToList();
            if (missing.Count > 0)
            {
                if (result["rules"] is not JsonArray rules)
                {
                    result["rules"] = rules = [];
                }
                foreach (var rule in missing)
                {
                    rules.Add(rule.DeepClone());
                }
                changed = true;
            }
        }
        return changed ? result : null;
    }

    /// <summary>
    /// The ClusterRoleBinding or RoleBinding to store: <paramref name="expected"/> when there is none,
    /// <paramref name="existing"/> with the missing labels, annotations and subjects added, or
    /// null when nothing is to be written. (A differing roleRef, which kube replaces by deleting
    /// and recreating the binding, is left as it is.)
    /// </summary>
    public static JsonObject? ReconcileBinding(JsonObject? existing, JsonObject expected)
    {
        if (existing is null)
        {
            return (JsonObject)expected.DeepClone();
        }
        if (!AutoUpdate(existing))
        {
            return null;
        }
        var result = (JsonObject)existing.DeepClone();
        var changed = MergeMetadata(result, expected);
        changed |= AddMissing(result, "subjects", (expected["subjects"] as JsonArray ?? []).OfType<JsonObject>(), SameSubject);
        return changed ? result : null;
    }

    /// <summary>
    /// kube's rule coverage for one rule: <paramref name="held"/> grants at least what
    /// <paramref name="wanted"/> does.
    /// </summary>
    public static bool Covers(PolicyRule held, PolicyRule wanted)
    {
        static bool Has(IReadOnlyList<string> values, string value, bool wildcard) => values.Contains(value) || (wildcard && values.Contains(RbacRules.All));
        return wanted.Verbs.All(v => Has(held.Verbs, v, true))
            && wanted.ApiGroups.All(g => Has(held.ApiGroups, g, true))
            && wanted.Resources.All(r => Has(held.Resources, r, true) || (r.Contains('/') && held.Resources.Contains("*/" + r.Split('/', 2)[1])))
            && wanted.NonResourceUrls.All(u => Has(held.NonResourceUrls, u, true) || held.NonResourceUrls.Any(h => h.EndsWith('*') && u.StartsWith(h.TrimEnd('*'), StringComparison.Ordinal)))
            && (held.ResourceNames.Count == 0 || (wanted.ResourceNames.Count > 0 && wanted.ResourceNames.All(held.ResourceNames.Contains)));
    }

    private static bool SameSubject(JsonObject a, JsonObject b) =>
        (string?)a["kind"] == (string?)b["kind"] && (string?)a["name"] == (string?)b["name"] && ((string?)a["namespace"] ?? "") == ((string?)b["namespace"] ?? "");

    private static bool MergeMetadata(JsonObject result, JsonObject expected)
    {
        var metadata = result["metadata"] as JsonObject ?? [];
        result["metadata"] = metadata;
        var changed = false;
        foreach (var field in new[] { "labels", "annotations" })
        {
            if (expected["metadata"]?[field] is not JsonObject wanted)
            {
                continue;
            }
            if (metadata[field] is not JsonObject have)
            {
                metadata[field] = have = [];
            }
            foreach (var (key, value) in wanted)
            {
                if (!have.ContainsKey(key))
                {
                    have[key] = value?.DeepClone();
                    changed = true;
                }
            }
        }
        return changed;
    }

    private static bool AddMissing(JsonObject target, string field, IEnumerable<JsonObject> wanted, Func<JsonObject, JsonObject, bool> same)
    {
        if (target[field] is not JsonArray have)
        {
            target[field] = have = [];
        }
        var changed = false;
        foreach (var item in wanted)
        {
            if (!have.OfType<JsonObject>().Any(h => same(h, item)))
            {
                have.Add(item.DeepClone());
                changed = true;
            }
        }
        return changed;
    }
}

/// <summary>How many objects one reconciliation pass wrote.</summary>
/// <param name="Created">Objects that did not exist.</param>
/// <param name="Updated">Existing objects that lacked rules, subjects, labels or annotations.</param>
public readonly record struct ReconcileResult(int Created, int Updated)
{
    /// <summary>The sum of two passes' counts.</summary>
    public static ReconcileResult operator +(ReconcileResult a, ReconcileResult b) => new(a.Created + b.Created, a.Updated + b.Updated);
}
