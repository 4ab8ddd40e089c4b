using System.Text.Json.Nodes;

namespace Apiserver.Generic.Registry.Rest;

/// <summary>Serves <c>get</c>: one object by name.</summary>
public interface IGetter : IRestStorage
{
    /// <summary>Returns the object, or throws a 404 <c>StatusException</c>.</summary>
    Task<JsonObject> GetAsync(RequestContext context, string name, GetOptions options, CancellationToken cancellationToken);
}

/// <summary>Serves <c>list</c>: the objects of a namespace or of all namespaces.</summary>
public interface ILister : IRestStorage
{
    /// <summary>Returns a list object (<c>kind: XList</c>) with <c>metadata.resourceVersion</c> and, when paginated, <c>metadata.continue</c>.</summary>
    Task<JsonObject> ListAsync(RequestContext context, ListOptions options, CancellationToken cancellationToken);
}

/// <summary>Serves <c>create</c>.</summary>
public interface ICreater : IRestStorage
{
    /// <summary>Stores a new object and returns it as stored.</summary>
    Task<JsonObject> CreateAsync(RequestContext context, JsonObject obj, CreateOptions options, CancellationToken cancellationToken);
}

/// <summary>Serves <c>update</c> (PUT).</summary>
public interface IUpdater : IRestStorage
{
    /// <summary>Replaces the named object; may create it when the resource allows create-on-update.</summary>
    Task<UpdateResult> UpdateAsync(RequestContext context, string name, JsonObject obj, UpdateOptions options, CancellationToken cancellationToken);
}

/// <summary>The outcome of an update.</summary>
/// <param name="Object">The object as stored.</param>
/// <param name="Created">Whether the update created the object.</param>
public sealed record UpdateResult(JsonObject Object, bool Created);

/// <summary>Serves <c>delete</c>, gracefully where the resource supports it.</summary>
public interface IGracefulDeleter : IRestStorage
{
    /// <summary>Deletes the object, or marks it for deletion when finalizers or a grace period remain.</summary>
    Task<DeleteResult> DeleteAsync(RequestContext context, string name, DeleteOptions options, CancellationToken cancellationToken);
}

/// <summary>The outcome of a delete.</summary>
/// <param name="Object">The object as deleted, or as now stored when deletion is pending.</param>
/// <param name="Deleted">Whether the object is gone now (false when deletion is pending).</param>
/// <param name="ReturnObject">Whether a completed delete answers with the object rather than a <c>Status</c> Success.</param>
public sealed record DeleteResult(JsonObject Object, bool Deleted, bool ReturnObject = false);

/// <summary>Serves <c>deletecollection</c>: deleting every object a list selects.</summary>
public interface ICollectionDeleter : IRestStorage
{
    /// <summary>Whether the resource allows it (namespaces, say, do not); discovery reports the verb only then.</summary>
    bool CollectionDeletionAllowed => true;

    /// <summary>Deletes (or marks for deletion) each selected object; returns the list of them.</summary>
    Task<JsonObject> DeleteCollectionAsync(RequestContext context, DeleteOptions options, ListOptions listOptions, CancellationToken cancellationToken);
}

/// <summary>Serves <c>watch</c>: a stream of changes.</summary>
public interface IWatcher : IRestStorage
{
    /// <summary>Streams the changes the options select until cancelled or the watch ends.</summary>
    IAsyncEnumerable<WatchObjectEvent> WatchAsync(RequestContext context, ListOptions options, CancellationToken cancellationToken);
}

/// <summary>One watch event as clients see it.</summary>
/// <param name="Type"><c>ADDED</c>, <c>MODIFIED</c>, <c>DELETED</c>, <c>BOOKMARK</c> or <c>ERROR</c>.</param>
/// <param name="Object">The object (a <c>Status</c> for ERROR).</param>
public sealed record WatchObjectEvent(string Type, ObjectJson Object);

/// <summary>Renders objects as a <c>meta.k8s.io/v1 Table</c> for <c>kubectl get</c>.</summary>
public interface ITableConvertor
{
    /// <summary>Converts one object or a list object into a Table.</summary>
    JsonObject ConvertToTable(JsonObject objectOrList, TableOptions options);
}

/// <summary>Options of a Table rendering.</summary>
/// <param name="IncludeObject"><c>None</c>, <c>Metadata</c> (the default) or <c>Object</c>: what each row carries.</param>
/// <param name="NoHeaders">Omit the column definitions (later events of a watch).</param>
public sealed record TableOptions(string IncludeObject = "Metadata", bool NoHeaders = false);
