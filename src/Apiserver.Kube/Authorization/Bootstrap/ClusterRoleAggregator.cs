using System.Text.Json.Nodes;
using System.Threading.Channels;
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
    /// memory first, so each role that changes is written once. Returns the resourceVersion of
    /// the last list read, from which a watch sees every later change.
    /// </summary>
    public async Task<string> AggregateAllAsync(CancellationToken cancellationToken)
    {
        var version = "";
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var list = await clusterRoles.ListAsync(new RequestContext(""), new ListOptions(), cancellationToken);
            version = (string?)list["metadata"]?["resourceVersion"] ?? "";
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
                break;
            }
        }
        return version;
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

    /// <summary>
    /// Watches ClusterRoles from <paramref name="resourceVersion"/> (what <see cref="AggregateAllAsync"/>
    /// returned) and re-aggregates after changes until cancelled. A burst of changes (a first
    /// start's hundred roles) costs one aggregation, plus one for what changed during it.
    /// </summary>
    public async Task RunAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        var changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
        var worker = AggregateOnChangeAsync(changes.Reader, cancellationToken);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var e in clusterRoles.WatchAsync(new RequestContext(""), new ListOptions { ResourceVersion = resourceVersion }, cancellationToken))
                {
                    if (e.Type is "ADDED" or "MODIFIED" or "DELETED")
                    {
                        changes.Writer.TryWrite(true);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "the ClusterRole watch of the aggregation controller failed; restarting");
            }
            try
            {
                // The watch ended or its version is gone: aggregate afresh and watch from there.
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                resourceVersion = await AggregateAllAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "ClusterRole aggregation failed; retrying");
            }
        }
        changes.Writer.TryComplete();
        await worker;
    }

    private async Task AggregateOnChangeAsync(ChannelReader<bool> changes, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var _ in changes.ReadAllAsync(cancellationToken))
            {
                try
                {
                    await AggregateAllAsync(cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "ClusterRole aggregation failed");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static string Name(JsonObject obj) => (string?)obj["metadata"]?["name"] ?? "";
}
