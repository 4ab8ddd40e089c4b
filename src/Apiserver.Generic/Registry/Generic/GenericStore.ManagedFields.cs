using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.FieldManagement;
using Apiserver.Generic.Registry.Rest;

namespace Apiserver.Generic.Registry.Generic;

/// <summary>The managed-fields bookkeeping of every write (kube's field manager, run inside the guaranteed update).</summary>
public sealed partial class GenericStore
{
    private FieldManager? _fieldManager;

    /// <summary>The field manager of this resource (its schema's list and map semantics).</summary>
    FieldManager? IFieldManaged.FieldManager => FieldManager;

    internal FieldManager FieldManager => _fieldManager ??= new FieldManager(Definition.Schema, Definition.StatusSubresource);

    private void TrackCreate(JsonObject obj, CreateOptions options)
    {
        if (options.FieldManager is { } manager && !options.Applied)
        {
            FieldManager.Update(null, obj, manager, ApiVersionOf(obj), "", DateTimeOffset.UtcNow);
        }
    }

    // obj is what will be stored, requested what the client sent (they differ for subresources).
    private void TrackUpdate(JsonObject obj, JsonObject old, JsonObject requested, UpdateOptions options)
    {
        if (options.FieldManager is not { } manager)
        {
            return;
        }
        if (options.Applied)
        {
            // Apply computed them; a subresource's merge took the stored ones, so put them back.
            if (!ReferenceEquals(obj, requested))
            {
                obj.Metadata()["managedFields"] = requested["metadata"]?["managedFields"]?.DeepClone();
            }
            return;
        }
        FieldManager.Update(old, obj, manager, ApiVersionOf(obj), options.Subresource, DateTimeOffset.UtcNow);
    }

    private string ApiVersionOf(JsonObject obj) =>
        obj["apiVersion"] is JsonValue v && v.TryGetValue<string>(out var apiVersion) && apiVersion.Length > 0 ? apiVersion : Definition.Kind.ApiVersion;
}
