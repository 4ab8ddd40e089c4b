using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Apiserver.Generic.Admission;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Selection;
using Apiserver.Generic.Storage;
using Apiserver.Generic.Storage.Cacher;
using Apiserver.Generic.Validation;
using ListOptions = Apiserver.Generic.Registry.Rest.ListOptions;
using StorageListOptions = Apiserver.Generic.Storage.ListOptions;

namespace Apiserver.Generic.Registry.Generic;

/// <summary>
/// The REST storage of one resource over <see cref="IStorage"/>: get, list, watch, create,
/// update and delete with kube-apiserver's semantics, shaped by the resource's
/// <see cref="IRestStrategy"/>. Built-in and custom resources alike are served by it.
/// </summary>
public sealed partial class GenericStore :
    IGetter, IStreamingLister, ICreater, IUpdater, IPatcher, IGracefulDeleter, ICollectionDeleter, IWatcher, ITableConvertor, IShortNamesProvider, ICategoriesProvider, IProtobufSchemaProvider, ISchemaProvider, ISubresourceParent, IFieldManaged
{
    private const int GenerateNameAttempts = 8;
    private readonly IStorage _storage;
    private readonly string _root;

    /// <summary>Creates the store of <paramref name="definition"/> under <paramref name="prefix"/> (e.g. <c>/registry</c>).</summary>
    public GenericStore(ResourceDefinition definition, IStorage storage, string prefix = "/registry")
    {
        Definition = definition;
        _storage = storage;
        _root = $"{prefix.TrimEnd('/')}/{definition.KeyRoot ?? definition.Names.Plural}";
        if (storage is WatchCache cache)
        {
            cache.Register(_root + "/", Resource.ToString());
        }
    }

    /// <summary>The resource this store serves.</summary>
    public ResourceDefinition Definition { get; }

    /// <inheritdoc/>
    public ResourceNames Names => Definition.Names;

    /// <inheritdoc/>
    public IReadOnlyList<string> ShortNames => Definition.ShortNames;

    /// <inheritdoc/>
    public IReadOnlyList<string> Categories => Definition.Categories;

    /// <inheritdoc/>
    public Apiserver.Generic.Serialization.Protobuf.ProtoMessage? ProtobufMessage => Definition.Protobuf;

    /// <inheritdoc/>
    public NJsonSchema.JsonSchema? Schema => Definition.Schema;

    /// <inheritdoc/>
    public bool Typed => Definition.Typed;

    private IRestStrategy Strategy => Definition.Strategy;

    private GroupResource Resource => Names.GroupResource;

    /// <summary>The storage key of an object.</summary>
    public string KeyFor(string ns, string name) => Names.Namespaced ? $"{_root}/{ns}/{name}" : $"{_root}/{name}";

    /// <summary>The key prefix of a list in <paramref name="ns"/> (all namespaces when empty).</summary>
    public string PrefixFor(string ns) => Names.Namespaced && ns.Length > 0 ? $"{_root}/{ns}/" : $"{_root}/";

    /// <inheritdoc/>
    public async Task<JsonObject> GetAsync(RequestContext context, string name, GetOptions options, CancellationToken cancellationToken)
    {
        // Unset is the latest (a consistent read); "0" is any; N is "not older than N".
        var requested = await CheckNotTooLargeAsync(RequestedRevision(new ListOptions { ResourceVersion = options.ResourceVersion }), cancellationToken);
        var key = KeyFor(context.Namespace, name);
        var kv = (string.IsNullOrEmpty(options.ResourceVersion)
                ? await _storage.GetAsync(key, cancellationToken)
                : await _storage.GetNotOlderThanAsync(key, requested, cancellationToken))
            ?? throw StatusException.NotFound(Resource, name);
        return ObjectCodec.Decode(kv);
    }

    /// <summary>
    /// An object, or null, read as kube's controllers and plugins read their informers with a live
    /// fallback: from the watch cache as it is (no round trip to storage), then from storage when the
    /// cache has not seen it yet (it may have been created a moment ago).
    /// </summary>
    public async Task<JsonObject?> GetRecentAsync(string ns, string name, CancellationToken cancellationToken) =>
        await GetRecentStoredAsync(ns, name, cancellationToken) is { } kv ? ObjectCodec.Decode(kv) : null;

    /// <summary>
    /// <see cref="GetRecentAsync"/> as stored (its JSON and revision): for readers that look at a
    /// field or two of an object they read often, and would rather not decode it each time.
    /// </summary>
    public async ValueTask<KeyValue?> GetRecentStoredAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var key = KeyFor(ns, name);
        return await _storage.GetNotOlderThanAsync(key, 0, cancellationToken) ?? await _storage.GetAsync(key, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<JsonObject> CreateAsync(RequestContext context, JsonObject obj, CreateOptions options, CancellationToken cancellationToken)
    {
        PrepareForCreate(context, obj);
        TrackCreate(obj, options);
        var generateName = obj.GetName().Length == 0 ? obj.GetMetaString("generateName") : "";
        for (var attempt = 1; ; attempt++)
        {
            if (generateName.Length > 0)
            {
                obj.Metadata()["name"] = GenerateName(generateName);
            }
            await ValidateCreateAsync(context, obj, options.DryRun, cancellationToken);
            if (options.DryRun)
            {
                return obj;
            }
            try
            {
                var kv = await _storage.CreateAsync(KeyFor(obj.GetNamespace(), obj.GetName()), ObjectCodec.Encode(obj), cancellationToken);
                obj.SetResourceVersion(kv.ModRevision);
                return obj;
            }
            catch (StorageException e) when (e.Code == StorageErrorCode.KeyExists)
            {
                if (generateName.Length == 0 || attempt == GenerateNameAttempts)
                {
                    throw StatusException.AlreadyExists(Resource, obj.GetName());
                }
            }
        }
    }

    /// <inheritdoc/>
    public Task<UpdateResult> UpdateAsync(RequestContext context, string name, JsonObject obj, UpdateOptions options, CancellationToken cancellationToken) =>
        UpdateCoreAsync(context, name, obj, options, merge: null, validate: null, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>Used by <c>status</c>, a namespace's <c>finalize</c> and the workloads' <c>scale</c>.</remarks>
    public Task<UpdateResult> UpdateSubresourceAsync(RequestContext context, string name, JsonObject obj, UpdateOptions options, Func<JsonObject, JsonObject, JsonObject> merge, CancellationToken cancellationToken) =>
        UpdateCoreAsync(context, name, obj, options, merge, null, cancellationToken);

    /// <inheritdoc/>
    public Task<UpdateResult> UpdateSubresourceAsync(RequestContext context, string name, JsonObject obj, UpdateOptions options,
        Func<JsonObject, JsonObject, JsonObject> merge, Action<JsonObject, JsonObject, List<FieldError>>? validate, CancellationToken cancellationToken) =>
        UpdateCoreAsync(context, name, obj, options, merge, validate, cancellationToken);

    private async Task<UpdateResult> UpdateCoreAsync(RequestContext context, string name, JsonObject obj, UpdateOptions options, Func<JsonObject, JsonObject, JsonObject>? merge,
        Action<JsonObject, JsonObject, List<FieldError>>? validate, CancellationToken cancellationToken)
    {
        var key = KeyFor(context.Namespace, name);
        var requestedVersion = obj.GetResourceVersion();
        var sentManagedFields = obj["metadata"]?["managedFields"]?.DeepClone();
        while (true)
        {
            var current = await _storage.GetAsync(key, cancellationToken);
            if (merge is null && !options.Applied && current is not null)
            {
                // A retry starts again from the managed fields the client sent.
                obj.Metadata()["managedFields"] = sentManagedFields?.DeepClone();
                if (sentManagedFields is null) obj.Metadata().Remove("managedFields");
            }
            if (current is null)
            {
                if (merge is not null || !Strategy.AllowCreateOnUpdate)
                {
                    throw StatusException.NotFound(Resource, name);
                }
                obj.SetMetaString("resourceVersion", null);
                return new UpdateResult(await CreateAsync(context, obj, new CreateOptions(options.DryRun, options.FieldManager) { Applied = options.Applied }, cancellationToken), Created: true);
            }

            var old = ObjectCodec.Decode(current);
            if (requestedVersion.Length == 0 && !Strategy.AllowUnconditionalUpdate)
            {
                throw StatusException.Invalid(Definition.Kind, name,
                    [FieldError.Invalid("metadata.resourceVersion", JsonValue.Create("0x0"), "must be specified for an update")]);
            }
            if (requestedVersion.Length > 0 && requestedVersion != current.ModRevision.ToString(CultureInfo.InvariantCulture))
            {
                throw StatusException.StaleUpdate(Resource, name);
            }

            var requested = obj;
            if (merge is not null)
            {
                obj = merge(old, requested);
                obj.SetMetaString("resourceVersion", requestedVersion);
                // A subresource that writes the spec (a scale, a pod's resize) moves the generation as an update does.
                TrackGeneration(obj, old);
            }
            else
            {
                PrepareForUpdate(context, obj, old);
            }
            TrackUpdate(obj, old, requested, options);
            await ValidateUpdateAsync(context, obj, old, options, validate ?? Strategy.ValidateUpdate, cancellationToken);

            var value = ObjectCodec.Encode(obj);
            var finishesDeletion = old.Metadata()["deletionTimestamp"] is not null && !HasFinalizers(obj);
            if (!finishesDeletion && value.AsSpan().SequenceEqual(current.Value.Span))
            {
                return new UpdateResult(old, Created: false); // Nothing changed: no write, no new resource version.
            }
            if (options.DryRun)
            {
                return new UpdateResult(obj, Created: false);
            }
            try
            {
                if (finishesDeletion)
                {
                    // The last finalizer is gone from an object being deleted: the update completes the deletion.
                    var deleted = await _storage.DeleteAsync(key, current.ModRevision, cancellationToken);
                    obj.SetResourceVersion(deleted.ModRevision);
                    return new UpdateResult(obj, Created: false);
                }
                var kv = await _storage.UpdateAsync(key, current.ModRevision, value, cancellationToken);
                obj.SetResourceVersion(kv.ModRevision);
                return new UpdateResult(obj, Created: false);
            }
            catch (StorageException e) when (e.Code is StorageErrorCode.Conflict or StorageErrorCode.KeyNotFound)
            {
                if (requestedVersion.Length > 0)
                {
                    throw StatusException.StaleUpdate(Resource, name);
                }
                // An unconditional update lost a race: read again and retry.
            }
        }
    }

    /// <inheritdoc/>
    public async Task<DeleteResult> DeleteAsync(RequestContext context, string name, DeleteOptions options, CancellationToken cancellationToken)
    {
        var key = KeyFor(context.Namespace, name);
        while (true)
        {
            var current = await _storage.GetAsync(key, cancellationToken) ?? throw StatusException.NotFound(Resource, name);
            var obj = ObjectCodec.Decode(current);
            CheckPreconditions(name, obj, options.Preconditions);
            if (context.Admission is { } admission)
            {
                await admission.ValidateAsync(Attributes(AdmissionOperation.Delete, context, obj.GetNamespace(), name, null, obj, options.DryRun), cancellationToken);
            }

            ApplyPropagationPolicy(obj, options.PropagationPolicy);
            var graceful = Strategy.BeginGracefulDelete(obj) | HasFinalizers(obj);
            if (options.DryRun)
            {
                return new DeleteResult(obj, Deleted: !graceful);
            }
            try
            {
                if (graceful)
                {
                    var meta = obj.Metadata();
                    if (meta["deletionTimestamp"] is null)
                    {
                        meta["deletionTimestamp"] = ObjectMeta.FormatTime(DateTimeOffset.UtcNow);
                        meta["deletionGracePeriodSeconds"] = 0;
                    }
                    var kv = await _storage.UpdateAsync(key, current.ModRevision, ObjectCodec.Encode(obj), cancellationToken);
                    obj.SetResourceVersion(kv.ModRevision);
                    return new DeleteResult(obj, Deleted: false);
                }
                var deleted = await _storage.DeleteAsync(key, current.ModRevision, cancellationToken);
                return new DeleteResult(ObjectCodec.Decode(deleted), Deleted: true, Definition.ReturnDeletedObject);
            }
            catch (StorageException e) when (e.Code is StorageErrorCode.Conflict or StorageErrorCode.KeyNotFound)
            {
                // Changed or deleted meanwhile: read again (a missing object then answers 404).
            }
        }
    }

    /// <summary>
    /// Changes the stored object with <paramref name="mutate"/>, bypassing the strategy's update
    /// rules: for controllers and subresources that own system fields (a namespace's finalizers,
    /// say). Retried on conflict; <paramref name="mutate"/> returns false to leave the object alone.
    /// Returns the object as stored, or null when it does not exist.
    /// </summary>
    public async Task<JsonObject?> UpdateSystemFieldsAsync(string ns, string name, Func<JsonObject, bool> mutate, CancellationToken cancellationToken)
    {
        var key = KeyFor(ns, name);
        while (true)
        {
            if (await _storage.GetAsync(key, cancellationToken) is not { } current)
            {
                return null;
            }
            var obj = ObjectCodec.Decode(current);
            if (!mutate(obj))
            {
                return obj;
            }
            try
            {
                var kv = await _storage.UpdateAsync(key, current.ModRevision, ObjectCodec.Encode(obj), cancellationToken);
                obj.SetResourceVersion(kv.ModRevision);
                return obj;
            }
            catch (StorageException e) when (e.Code is StorageErrorCode.Conflict or StorageErrorCode.KeyNotFound)
            {
            }
        }
    }

    /// <inheritdoc/>
    public bool CollectionDeletionAllowed => Definition.AllowDeleteCollection;

    /// <inheritdoc/>
    public async Task<JsonObject> DeleteCollectionAsync(RequestContext context, DeleteOptions options, ListOptions listOptions, CancellationToken cancellationToken)
    {
        var list = await ListAsync(context, listOptions, cancellationToken);
        var deleted = new JsonArray();
        foreach (var item in ((JsonArray)list["items"]!).OfType<JsonObject>().ToList())
        {
            try
            {
                var result = await DeleteAsync(context with { Namespace = item.GetNamespace() }, item.GetName(), options, cancellationToken);
                result.Object.Remove("kind");
                result.Object.Remove("apiVersion");
                deleted.Add(result.Object);
            }
            catch (StatusException e) when (e.Code == 404)
            {
                // Deleted by someone else meanwhile: nothing left to do for it.
            }
        }
        list["items"] = deleted;
        return list;
    }

    /// <summary>
    /// The garbage collector's finalizers for a propagation policy: Orphan adds <c>orphan</c>,
    /// Foreground adds <c>foregroundDeletion</c>, and each policy removes the other's.
    /// </summary>
    private static void ApplyPropagationPolicy(JsonObject obj, string? policy)
    {
        if (policy is null)
        {
            return;
        }
        var finalizers = Finalizers(obj).ToList();
        finalizers.RemoveAll(f => f is OrphanFinalizer or ForegroundFinalizer);
        if (policy == "Orphan") finalizers.Add(OrphanFinalizer);
        if (policy == "Foreground") finalizers.Add(ForegroundFinalizer);
        if (finalizers.SequenceEqual(Finalizers(obj)))
        {
            return;
        }
        if (finalizers.Count == 0)
        {
            obj.Metadata().Remove("finalizers");
        }
        else
        {
            obj.Metadata()["finalizers"] = new JsonArray([.. finalizers.Select(f => (JsonNode)f)]);
        }
    }

    private const string OrphanFinalizer = "orphan", ForegroundFinalizer = "foregroundDeletion";

    private void PrepareForCreate(RequestContext context, JsonObject obj)
    {
        SetNamespace(context, obj);
        if (obj.GetResourceVersion().Length > 0)
        {
            throw StatusException.BadRequest("resourceVersion should not be set on objects to be created");
        }
        var meta = obj.Metadata();
        meta["uid"] = Guid.NewGuid().ToString();
        meta["creationTimestamp"] = ObjectMeta.FormatTime(DateTimeOffset.UtcNow);
        foreach (var field in new[] { "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "selfLink" })
        {
            meta.Remove(field);
        }
        if (Definition.StatusSubresource)
        {
            obj.Remove("status"); // Status is written through the status subresource only.
        }
        if (Definition.TracksGeneration)
        {
            meta["generation"] = 1;
        }
        Strategy.PrepareForCreate(obj);
    }

    private void PrepareForUpdate(RequestContext context, JsonObject obj, JsonObject old)
    {
        SetNamespace(context, obj);
        var meta = obj.Metadata();
        var oldMeta = old.Metadata();
        if (obj.GetUid().Length == 0)
        {
            meta["uid"] = oldMeta["uid"]?.DeepClone();
        }
        // System fields a client cannot change through an update.
        foreach (var field in new[] { "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation" })
        {
            if (oldMeta[field] is { } value)
            {
                meta[field] = value.DeepClone();
            }
            else
            {
                meta.Remove(field);
            }
        }
        meta.Remove("selfLink");
        if (Definition.StatusSubresource)
        {
            // Main-resource writes leave the status as stored.
            if (old["status"] is { } status) obj["status"] = status.DeepClone(); else obj.Remove("status");
        }
        Strategy.PrepareForUpdate(obj, old);
        // After the strategy's defaults, as kube defaults while decoding: re-sending an object as
        // first written (without its defaults) is no spec change.
        TrackGeneration(obj, old);
    }

    /// <summary>A write that changes more than metadata and status bumps the generation of a kind that tracks it.</summary>
    private void TrackGeneration(JsonObject obj, JsonObject old)
    {
        if (Definition.TracksGeneration && !SameSpec(obj, old))
        {
            obj.Metadata()["generation"] = old.GetGeneration() + 1;
        }
    }

    /// <summary>Whether two objects differ only in metadata and status (what does not bump generation).</summary>
    private static bool SameSpec(JsonObject a, JsonObject b)
    {
        static IEnumerable<KeyValuePair<string, JsonNode?>> Body(JsonObject o) =>
            o.Where(p => p.Key is not ("metadata" or "status" or "kind" or "apiVersion"));
        var left = Body(a).ToDictionary();
        var right = Body(b).ToDictionary();
        return left.Count == right.Count && left.All(p => right.TryGetValue(p.Key, out var v) && JsonNode.DeepEquals(p.Value, v));
    }

    private void SetNamespace(RequestContext context, JsonObject obj)
    {
        if (!Names.Namespaced)
        {
            return;
        }
        var ns = obj.GetNamespace();
        if (ns.Length == 0)
        {
            obj.Metadata()["namespace"] = context.Namespace;
        }
        else if (context.Namespace.Length > 0 && ns != context.Namespace)
        {
            throw StatusException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
    }

    private async Task ValidateCreateAsync(RequestContext context, JsonObject obj, bool dryRun, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        ObjectMetaValidation.ValidateCreate(obj, Names.Namespaced, Strategy.ValidateName, errors);
        Strategy.Validate(obj, errors);
        ValidateRequired(obj, errors);
        if (errors.Count > 0)
        {
            throw StatusException.Invalid(Definition.Kind, obj.GetName(), errors);
        }
        if (context.Admission is { } admission)
        {
            await admission.ValidateAsync(Attributes(AdmissionOperation.Create, context, obj.GetNamespace(), obj.GetName(), obj, null, dryRun), cancellationToken);
        }
    }

    private async Task ValidateUpdateAsync(RequestContext context, JsonObject obj, JsonObject old, UpdateOptions options, Action<JsonObject, JsonObject, List<FieldError>> validate, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        ObjectMetaValidation.ValidateUpdate(obj, old, errors);
        if (old.Metadata()["deletionTimestamp"] is not null)
        {
            var before = Finalizers(old);
            foreach (var added in Finalizers(obj).Except(before))
            {
                errors.Add(FieldError.Forbidden("metadata.finalizers", $"no new finalizers can be added if the object is being deleted, found new finalizers []string{{\"{added}\"}}"));
            }
        }
        validate(obj, old, errors);
        ValidateRequired(obj, errors);
        if (errors.Count > 0)
        {
            throw StatusException.Invalid(Definition.Kind, obj.GetName(), errors);
        }
        if (context.Admission is { } admission)
        {
            // Admission sees the subresource written (webhooks match rules such as pods/status).
            await admission.ValidateAsync(Attributes(AdmissionOperation.Update, context, obj.GetNamespace(), obj.GetName(), obj, old, options.DryRun, options.Subresource), cancellationToken);
        }
    }

    /// <summary>The schema's required fields, after the strategy's defaults, beside its own rules.</summary>
    private void ValidateRequired(JsonObject obj, List<FieldError> errors)
    {
        if (Definition.Schema is { } schema)
        {
            Apiserver.Generic.Schema.RequiredFields.Validate(obj, schema, errors);
        }
    }

    private AdmissionAttributes Attributes(AdmissionOperation operation, RequestContext context, string ns, string name, JsonObject? obj, JsonObject? old, bool dryRun, string subresource = "") =>
        new(operation, Definition.Kind, Resource, subresource, ns, name, obj, old, context.User, dryRun);

    private void CheckPreconditions(string name, JsonObject obj, Preconditions? preconditions)
    {
        if (preconditions?.Uid is { Length: > 0 } uid && uid != obj.GetUid())
        {
            throw StatusException.Conflict(Resource, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {obj.GetUid()}");
        }
        if (preconditions?.ResourceVersion is { Length: > 0 } rv && rv != obj.GetResourceVersion())
        {
            throw StatusException.Conflict(Resource, name, $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {obj.GetResourceVersion()}");
        }
    }

    private static IEnumerable<string> Finalizers(JsonObject obj) =>
        obj.Metadata()["finalizers"] is JsonArray list
            ? list.Select(f => f?.GetValueKind() == System.Text.Json.JsonValueKind.String ? f.GetValue<string>() : "")
            : [];

    private static bool HasFinalizers(JsonObject obj) => Finalizers(obj).Any();

    /// <summary>
    /// A name from <c>metadata.generateName</c>: the prefix and five random characters, as kube-apiserver
    /// makes them. A store decorator that needs the name before the write (to name the object in
    /// others) sets it with this; the store then keeps it.
    /// </summary>
    public static string GenerateName(string prefix) => prefix + RandomSuffix();

    private static string RandomSuffix()
    {
        // The alphabet kube-apiserver uses: no vowels (no accidental words), no look-alikes.
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        return string.Create(5, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
            }
        });
    }
}
