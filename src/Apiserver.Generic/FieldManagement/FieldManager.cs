using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using NJsonSchema;

namespace Apiserver.Generic.FieldManagement;

/// <summary>
/// Keeps <c>metadata.managedFields</c> on every write of one resource, as kube-apiserver's field
/// manager: an Update operation (create, PUT, non-apply patches) gives its manager the fields it
/// changed and takes them from everyone else; an Apply merges the applied configuration, removes
/// what the applier stopped applying and nobody else owns, and fails with a conflict when it
/// would change a field another manager owns (unless forced). <paramref name="schema"/> gives the
/// list and map semantics; <paramref name="statusSubresource"/> says the main resource does not own status.
/// </summary>
public sealed class FieldManager(JsonSchema? schema, bool statusSubresource)
{
    /// <summary>The most Update entries kept before the oldest merge into <see cref="AncientChanges"/>.</summary>
    public const int MaxUpdateManagers = 10;

    /// <summary>The manager the oldest Update entries merge into.</summary>
    public const string AncientChanges = "ancient-changes";

    /// <summary>The manager kubectl applies with, which migrates client-side apply.</summary>
    public const string KubectlManager = "kubectl";

    /// <summary>The annotation of client-side apply.</summary>
    public const string LastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration";

    // Fields of every object that no manager owns (kube's stripMeta).
    private static readonly FieldSet Stripped = BuildStripped();

    /// <summary>
    /// Records an Update by <paramref name="manager"/> from <paramref name="live"/> (null on create) to
    /// <paramref name="updated"/>, whose managedFields it rewrites. Managed fields sent with the
    /// request win over the live ones when valid (an empty list clears them); a subresource write
    /// always starts from the live ones.
    /// </summary>
    public void Update(JsonObject? live, JsonObject updated, string manager, string apiVersion, string subresource, DateTimeOffset now)
    {
        var meta = updated.Metadata();
        var requested = meta["managedFields"];
        var liveManaged = live?.Metadata()["managedFields"];
        Dictionary<ManagerKey, ManagerFields> managers;
        if (subresource.Length == 0 && ManagedFieldsCodec.IsReset(requested))
        {
            managers = [];
        }
        else if (subresource.Length > 0 || !ManagedFieldsCodec.TryDecode(requested, out managers) || managers.Count == 0)
        {
            managers = ManagedFieldsCodec.TryDecode(liveManaged, out var fromLive) ? fromLive : [];
        }
        meta.Remove("managedFields");
        live?.Metadata().Remove("managedFields");
        try
        {
            var comparison = Filter(FieldWalker.Compare(live ?? new JsonObject(), updated, schema), subresource, live ?? new JsonObject(), updated);
            var changed = comparison.Changed;
            foreach (var (key, fields) in managers.ToList())
            {
                managers[key] = fields with { Set = fields.Set.Difference(changed).Difference(comparison.Removed) };
            }
            var own = ManagerKey.ForUpdate(manager, apiVersion, subresource);
            var taken = changed.Difference(Stripped);
            if (!taken.IsEmpty)
            {
                var previous = managers.TryGetValue(own, out var p) ? p.Set : new FieldSet();
                managers[own] = new ManagerFields(previous.Union(taken), apiVersion, ObjectMeta.FormatTime(now));
            }
            DropEmpty(managers);
            CapUpdateManagers(managers);
            ManagedFieldsCodec.Encode(updated, managers);
        }
        catch (FieldPathException)
        {
            // kube's UpdateNoErrors: managed fields that cannot be computed are dropped, never garbage.
            meta.Remove("managedFields");
        }
        finally
        {
            if (liveManaged is not null) live!.Metadata()["managedFields"] = liveManaged;
        }
    }

    /// <summary>
    /// The object that results from <paramref name="manager"/> applying <paramref name="config"/> to
    /// <paramref name="live"/> (null when the object does not exist), with its managedFields.
    /// </summary>
    /// <exception cref="StatusException">409 on conflicts (not forced); 400 when the configuration is malformed.</exception>
    public JsonObject Apply(JsonObject? live, JsonObject config, string manager, string apiVersion, string subresource, bool force, DateTimeOffset now)
    {
        if (config["metadata"] is JsonObject configMeta && configMeta.ContainsKey("managedFields"))
        {
            throw StatusException.BadRequest("metadata.managedFields must be nil");
        }
        var current = (JsonObject?)live?.DeepClone() ?? new JsonObject();
        var managers = ManagedFieldsCodec.TryDecode(current.Metadata()["managedFields"], out var decoded) ? decoded : [];
        current.Metadata().Remove("managedFields");
        if (current["metadata"] is JsonObject { Count: 0 } && live is null) current.Remove("metadata");
        try
        {
            var key = ManagerKey.ForApply(manager, subresource);
            var applied = FieldWalker.ToFieldSet(config, schema).RecursiveDifference(Ignored(subresource, config)).Difference(Stripped);
            Dictionary<ManagerKey, ManagerFields> result;
            JsonObject merged;
            try
            {
                (merged, result) = ApplyCore(current, config, managers, key, applied, apiVersion, subresource, force, now);
            }
            catch (ApplyConflictException e) when (manager == KubectlManager && AllowedByLastApplied(current) is { } allowed && e.Conflicts.All(c => allowed.Has(c.Path)))
            {
                // kubectl moving from client-side apply: conflicts with what it applied before are no conflicts.
                (merged, result) = ApplyCore(current, config, managers, key, applied, apiVersion, subresource, force: true, now);
            }
            if (manager == KubectlManager && LastApplied(current) is not null)
            {
                SyncLastApplied(merged, config);
            }
            ManagedFieldsCodec.Encode(merged, result);
            return merged;
        }
        catch (FieldPathException e)
        {
            throw StatusException.BadRequest($"failed to create typed patch object: {e.Message}");
        }
        catch (ApplyConflictException e)
        {
            throw e.ToStatus();
        }
    }

    private (JsonObject, Dictionary<ManagerKey, ManagerFields>) ApplyCore(JsonObject live, JsonObject config, Dictionary<ManagerKey, ManagerFields> original,
        ManagerKey key, FieldSet applied, string apiVersion, string subresource, bool force, DateTimeOffset now)
    {
        var managers = new Dictionary<ManagerKey, ManagerFields>(original);
        var merged = ApplyMerge.Merge(live, config, schema);
        var last = managers.GetValueOrDefault(key);
        managers[key] = new ManagerFields(applied, apiVersion, last?.Time);
        if (last is { Set.IsEmpty: false })
        {
            // Prune what the applier applied last time, no longer applies, and nobody else owns.
            var owned = managers.Values.Aggregate(new FieldSet(), (all, m) => all.Union(m.Set));
            ApplyMerge.RemoveItems(merged, last.Set.Difference(owned), owned, schema);
        }
        var comparison = Filter(FieldWalker.Compare(live, merged, schema), subresource, live, merged);
        var changed = comparison.Changed;
        var conflicts = new List<ApplyConflict>();
        foreach (var (other, fields) in managers)
        {
            if (other == key) continue;
            foreach (var path in fields.Set.Intersection(changed).Paths())
            {
                conflicts.Add(new ApplyConflict(other, path));
            }
        }
        if (conflicts.Count > 0 && !force)
        {
            throw new ApplyConflictException(conflicts);
        }
        foreach (var (other, fields) in managers.ToList())
        {
            if (other != key)
            {
                managers[other] = fields with { Set = fields.Set.Difference(changed).Difference(comparison.Removed) };
            }
        }
        if (!JsonNode.DeepEquals(live, merged))
        {
            managers[key] = managers[key] with { Time = ObjectMeta.FormatTime(now) };
        }
        DropEmpty(managers);
        return (merged, managers);
    }

    // The fields of the last applied configuration whose live values are still the applied ones.
    private FieldSet? AllowedByLastApplied(JsonObject live)
    {
        if (LastApplied(live) is not { } text)
        {
            return null;
        }
        try
        {
            if (JsonNode.Parse(text) is not JsonObject lastApplied) return null;
            var set = FieldWalker.ToFieldSet(lastApplied, schema);
            return set.Difference(FieldWalker.Compare(lastApplied, live, schema).Modified);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static string? LastApplied(JsonObject obj) =>
        obj["metadata"]?["annotations"]?[LastAppliedAnnotation] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

    // kubectl's server-side apply keeps the client-side annotation in step, so a later client-side apply sees it.
    private static void SyncLastApplied(JsonObject merged, JsonObject config)
    {
        var copy = (JsonObject)config.DeepClone();
        if (copy["metadata"]?["annotations"] is JsonObject annotations)
        {
            annotations.Remove(LastAppliedAnnotation);
            if (annotations.Count == 0) ((JsonObject)copy["metadata"]!).Remove("annotations");
        }
        if (merged.Metadata()["annotations"] is JsonObject live)
        {
            live[LastAppliedAnnotation] = copy.ToJsonString();
        }
    }

    private Comparison Filter(Comparison comparison, string subresource, JsonObject before, JsonObject after)
    {
        var ignored = Ignored(subresource, before, after);
        return ignored.IsEmpty ? comparison : new Comparison(
            comparison.Removed.RecursiveDifference(ignored), comparison.Added.RecursiveDifference(ignored), comparison.Modified.RecursiveDifference(ignored));
    }

    // kube's reset fields: the main resource does not own status when status is a subresource;
    // the status subresource owns nothing but status.
    private FieldSet Ignored(string subresource, params JsonObject[] objects)
    {
        var ignored = new FieldSet();
        if (subresource == "status")
        {
            foreach (var top in objects.SelectMany(o => o.Select(p => p.Key)).Where(k => k != "status"))
            {
                ignored.Insert([PathElement.Field(top)]);
            }
        }
        else if (subresource.Length == 0 && statusSubresource)
        {
            ignored.Insert([PathElement.Field("status")]);
        }
        return ignored;
    }

    private static void DropEmpty(Dictionary<ManagerKey, ManagerFields> managers)
    {
        foreach (var (key, fields) in managers.ToList())
        {
            if (fields.Set.IsEmpty) managers.Remove(key);
        }
    }

    // kube's capManagersManager: past the cap, the oldest Update entries merge, per API version,
    // into an "ancient-changes" entry.
    private static void CapUpdateManagers(Dictionary<ManagerKey, ManagerFields> managers)
    {
        if (managers.Count <= MaxUpdateManagers)
        {
            return; // Nearly always: nothing to merge, and no need to sort.
        }
        var updaters = managers.Where(m => !m.Key.Applied)
            .OrderBy(m => ManagedFieldsCodec.Seconds(m.Value.Time))
            .ThenBy(m => m.Key.Manager, StringComparer.Ordinal).ThenBy(m => m.Key.ApiVersion, StringComparer.Ordinal).ThenBy(m => m.Key.Subresource, StringComparer.Ordinal)
            .Select(m => m.Key).ToList();
        var length = updaters.Count;
        var firstOfVersion = new Dictionary<string, ManagerKey>();
        for (var i = 0; i < updaters.Count && length > MaxUpdateManagers; i++)
        {
            var key = updaters[i];
            var fields = managers[key];
            var bucket = ManagerKey.ForUpdate(AncientChanges, fields.ApiVersion, "");
            if (!firstOfVersion.TryGetValue(fields.ApiVersion, out var first))
            {
                firstOfVersion[fields.ApiVersion] = key;
                continue;
            }
            if (!managers.ContainsKey(bucket))
            {
                managers[bucket] = managers[first];
                managers.Remove(first);
            }
            managers[bucket] = new ManagerFields(fields.Set.Union(managers[bucket].Set), fields.ApiVersion, fields.Time);
            managers.Remove(key);
            length--;
        }
    }

    private static FieldSet BuildStripped()
    {
        var set = new FieldSet();
        set.Insert([PathElement.Field("apiVersion")]);
        set.Insert([PathElement.Field("kind")]);
        set.Insert([PathElement.Field("metadata")]);
        foreach (var field in new[] { "name", "namespace", "creationTimestamp", "selfLink", "uid", "clusterName", "generation", "managedFields", "resourceVersion" })
        {
            set.Insert([PathElement.Field("metadata"), PathElement.Field(field)]);
        }
        return set;
    }
}
