using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Generic;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Kube.Registry.Apps;
using Microsoft.Extensions.Logging;

namespace Apiserver.Kube.Authorization.Bootstrap;

/// <summary>
/// kube's ClusterRole aggregation controller: the <c>rules</c> of a ClusterRole with an
/// <c>aggregationRule</c> are the rules of every other ClusterRole its selectors match (in
/// selector order, then by name, without duplicates). Runs on every change of a ClusterRole.
/// </summary>
public sealed class ClusterRoleAggregator(GenericStore clusterRoles, ILogger logger)
{
    /// <summary>The rules <paramref name="role"/> aggregates from <paramref name="all"/>; null when it is not aggregated.</summary>
    public static JsonArray? AggregatedRules(JsonObject role, IReadOnlyList<JsonObject> all)
    {
        if (role["aggregationRule"] is not JsonObject aggregation)
        {
            return null;
        }
        var name = Name(role);
        var rules = new JsonArray();
        var sorted = all.Where(r => Name(r) != name).OrderBy(Name, StringComparer.Ordinal).ToList();
        foreach (var selector in (aggregation["clusterRoleSelectors"] as JsonArray ?? []).OfType<JsonObject>())
        {
            foreach (var source in sorted.Where(r => LabelSelectors.Matches(selector, r["metadata"]?["labels"] as JsonObject)))
            {
                foreach (var rule in (source["rules"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    if (!rules.Any(r => JsonNode.DeepEquals(r, rule)))
                    {
                        rules.Add(rule.DeepClone());
                    }
                }
            }
        }
        return rules;
    }

    /// <summary>
    /// Recomputes every aggregated role until nothing changes (an aggregated role may feed
    /// another: <c>view</c> feeds <c>edit</c>, which feeds <c>admin</c>). The chain is resolved in
    /// memory first, so each role that changes is written once.
    /// </summary>
    public async Task AggregateAllAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var list = await clusterRoles.ListAsync(new RequestContext(""), new ListOptions(), cancellationToken);
            var stored = (list["items"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            var all = stored.Select(r => (JsonObject)r.DeepClone()).ToList();
            // Each pass lets one more link of a chain through; ten bound a cycle of selectors.
            for (var pass = 0; pass < 10; pass++)
            {
                if (!Resolve(all))
                {
                    break;
                }
            }
            var conflicted = false;
            for (var i = 0; i < all.Count; i++)
            {
                if (JsonNode.DeepEquals(all[i]["rules"], stored[i]["rules"]))
                {
                    continue;
                }
                try
                {
                    await clusterRoles.UpdateAsync(new RequestContext(""), Name(all[i]), all[i], new UpdateOptions(), cancellationToken);
                }
                catch (StatusException e) when (e.Code is 404 or 409)
                {
                    // Changed or deleted meanwhile: list again and start over.
                    conflicted = true;
                }
            }
            if (!conflicted)
            {
                return;
            }
        }
    }

    /// <summary>One pass: sets the rules of every aggregated role in <paramref name="all"/>; whether any changed.</summary>
    private static bool Resolve(List<JsonObject> all)
    {
        var changed = false;
        foreach (var role in all)
        {
            if (AggregatedRules(role, all) is { } rules && !JsonNode.DeepEquals(rules, role["rules"] as JsonArray ?? []))
            {
                role["rules"] = rules;
                changed = true;
            }
        }
        return changed;
    }

    /// <summary>Watches ClusterRoles and re-aggregates on every change until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var e in clusterRoles.WatchAsync(new RequestContext(""), new ListOptions(), cancellationToken))
                {
                    if (e.Type is "ADDED" or "MODIFIED" or "DELETED")
                    {
                        await AggregateAllAsync(cancellationToken);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "ClusterRole aggregation failed; restarting");
            }
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static string Name(JsonObject obj) => (string?)obj["metadata"]?["name"] ?? "";
}
