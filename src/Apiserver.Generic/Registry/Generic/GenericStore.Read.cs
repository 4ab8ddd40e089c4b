using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Selection;
using Apiserver.Generic.Storage;
using ListOptions = Apiserver.Generic.Registry.Rest.ListOptions;
using StorageListOptions = Apiserver.Generic.Storage.ListOptions;

namespace Apiserver.Generic.Registry.Generic;

// The read side of GenericStore: list, watch, selectors and table rendering.
public sealed partial class GenericStore
{
    /// <inheritdoc/>
    public async Task<JsonObject> ListAsync(RequestContext context, ListOptions options, CancellationToken cancellationToken)
    {
        var filter = Filter(options);
        var prefix = PrefixFor(context.Namespace);
        long revision; // 0 reads at the current revision.
        string? startAfter = null;
        if (options.Continue is { Length: > 0 } token)
        {
            if (RequestedRevision(options) > 0)
            {
                throw StatusException.BadRequest("specifying resource version is not allowed when using continue");
            }
            (revision, var relative) = ContinueToken.Decode(token);
            revision = Math.Max(revision, 0); // -1 continues at the latest revision (after an expired token).
            startAfter = prefix + relative;
        }
        else
        {
            // resourceVersion=N is "not older than N" unless resourceVersionMatch=Exact; 0 or unset is the latest.
            var requested = await CheckNotTooLargeAsync(RequestedRevision(options), cancellationToken);
            revision = options.ResourceVersionMatch == "Exact" ? requested : 0;
        }

        var items = new JsonArray();
        ListResult page;
        string? lastKey = null;
        do
        {
            var want = options.Limit > 0 ? options.Limit - items.Count : 0;
            try
            {
                page = await _storage.ListAsync(prefix, new StorageListOptions(revision, want, startAfter), cancellationToken);
            }
            catch (StorageException e) when (e.Code == StorageErrorCode.Compacted)
            {
                throw options.Continue is { Length: > 0 }
                    ? new StatusException(410, StatusReason.Expired,
                        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.")
                    {
                        Continue = ContinueToken.Encode(-1, (startAfter ?? prefix)[prefix.Length..]),
                    }
                    : StatusException.Expired($"too old resource version: {revision} ({e.CompactedRevision})");
            }
            revision = page.Revision;
            foreach (var kv in page.Items)
            {
                lastKey = kv.Key;
                var obj = ObjectCodec.Decode(kv);
                if (filter?.Invoke(obj) != false)
                {
                    // Items of a typed list carry no kind or apiVersion of their own, as kube-apiserver writes them.
                    obj.Remove("kind");
                    obj.Remove("apiVersion");
                    items.Add(obj);
                }
            }
            startAfter = lastKey;
        }
        while (options.Limit > 0 && items.Count < options.Limit && page.HasMore && lastKey is not null);

        var meta = new JsonObject { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture) };
        if (page.HasMore && options.Limit > 0 && lastKey is not null)
        {
            meta["continue"] = ContinueToken.Encode(revision, lastKey[prefix.Length..]);
            if (string.IsNullOrEmpty(options.LabelSelector) && string.IsNullOrEmpty(options.FieldSelector))
            {
                meta["remainingItemCount"] = page.RemainingCount;
            }
        }
        return new JsonObject
        {
            ["kind"] = Names.Kind.Kind + "List",
            ["apiVersion"] = Names.Kind.ApiVersion,
            ["metadata"] = meta,
            ["items"] = items,
        };
    }

    /// <summary>How many objects a streamed list reads from storage at a time.</summary>
    private const int StreamPageSize = 500;

    /// <inheritdoc/>
    public async Task<ListStream> ListStreamAsync(RequestContext context, ListOptions options, CancellationToken cancellationToken)
    {
        var filter = Filter(options);
        var prefix = PrefixFor(context.Namespace);
        var requested = await CheckNotTooLargeAsync(RequestedRevision(options), cancellationToken);
        // Every page is read at the revision of the first, so the stream is one consistent snapshot.
        ListResult first;
        try
        {
            first = await _storage.ListAsync(prefix, new StorageListOptions(options.ResourceVersionMatch == "Exact" ? requested : 0, StreamPageSize), cancellationToken);
        }
        catch (StorageException e) when (e.Code == StorageErrorCode.Compacted)
        {
            throw StatusException.Expired($"too old resource version: {requested} ({e.CompactedRevision})");
        }
        var metadata = new JsonObject { ["resourceVersion"] = first.Revision.ToString(CultureInfo.InvariantCulture) };
        return new ListStream(Names.Kind.Kind + "List", Names.Kind.ApiVersion, metadata, StreamItems(prefix, first, filter, cancellationToken));
    }

    private async IAsyncEnumerable<JsonObject> StreamItems(string prefix, ListResult page, Func<JsonObject, bool>? filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            foreach (var kv in page.Items)
            {
                var obj = ObjectCodec.Decode(kv);
                if (filter?.Invoke(obj) != false)
                {
                    obj.Remove("kind");
                    obj.Remove("apiVersion");
                    yield return obj;
                }
            }
            if (!page.HasMore || page.Items.Count == 0)
            {
                yield break;
            }
            page = await _storage.ListAsync(prefix, new StorageListOptions(page.Revision, StreamPageSize, page.Items[^1].Key), cancellationToken);
        }
    }

    /// <inheritdoc/>
    /// <remarks>Bad options fail here, before the stream starts, so that they answer with a Status.</remarks>
    public IAsyncEnumerable<WatchObjectEvent> WatchAsync(RequestContext context, ListOptions options, CancellationToken cancellationToken)
    {
        var filter = Filter(options);
        var requested = RequestedRevision(options);
        var start = new WatchStart(requested, options.SendInitialEvents ?? requested == 0, options.SendInitialEvents == true, options.AllowWatchBookmarks);
        return Stream(PrefixFor(context.Namespace), filter, start, cancellationToken);
    }

    /// <summary>Where a watch starts: after <paramref name="Revision"/> (0: now), with or without the state first.</summary>
    private readonly record struct WatchStart(long Revision, bool InitialState, bool MarkInitialEnd, bool Bookmarks);

    private async IAsyncEnumerable<WatchObjectEvent> Stream(string prefix, Func<JsonObject, bool>? filter, WatchStart start, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long after;
        if (start.InitialState)
        {
            // The state as ADDED events (at least as new as the requested revision), then the changes after it.
            await CheckNotTooLargeAsync(start.Revision, cancellationToken);
            var list = await _storage.ListAsync(prefix, new StorageListOptions(), cancellationToken);
            foreach (var kv in list.Items)
            {
                var obj = ObjectCodec.Decode(kv);
                if (filter?.Invoke(obj) != false)
                {
                    yield return new WatchObjectEvent("ADDED", obj);
                }
            }
            after = list.Revision;
            if (start.MarkInitialEnd)
            {
                var end = Bookmark(after);
                end.Metadata()["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
                yield return new WatchObjectEvent("BOOKMARK", end);
            }
        }
        else
        {
            after = start.Revision > 0 ? start.Revision : await _storage.GetCurrentRevisionAsync(cancellationToken);
        }
        var bookmarks = start.Bookmarks;

        await using var events = _storage.WatchAsync(prefix, after, bookmarks, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            WatchEvent e;
            WatchObjectEvent? failure = null;
            try
            {
                if (!await events.MoveNextAsync())
                {
                    yield break;
                }
                e = events.Current;
            }
            catch (StorageException ex) when (ex.Code == StorageErrorCode.Compacted)
            {
                e = null!;
                failure = new WatchObjectEvent("ERROR", StatusException.Expired($"too old resource version: {after} ({ex.CompactedRevision})").ToStatus());
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                yield break;
            }
            if (failure is not null)
            {
                yield return failure;
                yield break;
            }
            if (ToClientEvent(e, filter) is { } clientEvent)
            {
                yield return clientEvent;
            }
        }
    }

    private WatchObjectEvent? ToClientEvent(WatchEvent e, Func<JsonObject, bool>? filter)
    {
        if (e.Type == WatchEventType.Progress)
        {
            return new WatchObjectEvent("BOOKMARK", Bookmark(e.Revision));
        }
        var obj = ObjectCodec.Decode(e.Value, e.Revision);
        if (filter is null)
        {
            // No selectors: every change is the watcher's, and the previous value need not be read.
            var type = e.Type switch { WatchEventType.Created => "ADDED", WatchEventType.Deleted => "DELETED", _ => "MODIFIED" };
            return new WatchObjectEvent(type, obj);
        }
        var matchesNow = filter(obj);
        if (e.Type == WatchEventType.Deleted)
        {
            return matchesNow ? new WatchObjectEvent("DELETED", obj) : null;
        }
        var matchedBefore = e.PreviousValue is { } prev && filter(ObjectCodec.Decode(prev, e.Revision));
        return (matchedBefore, matchesNow) switch
        {
            (false, true) => new WatchObjectEvent(e.Type == WatchEventType.Created || e.PreviousValue is not null ? "ADDED" : "MODIFIED", obj),
            (true, true) => new WatchObjectEvent("MODIFIED", obj),
            // An object that stops matching leaves this watcher's view: a DELETED of its new state.
            (true, false) => new WatchObjectEvent("DELETED", obj),
            _ => null,
        };
    }

    /// <summary>The predicate of a list or watch's label and field selectors; null when they select everything.</summary>
    private Func<JsonObject, bool>? Filter(ListOptions options)
    {
        var labels = LabelSelector.Parse(options.LabelSelector);
        var fields = FieldSelector.Parse(options.FieldSelector);
        foreach (var field in fields.Fields)
        {
            if (field is not ("metadata.name" or "metadata.namespace") && Strategy.GetSelectableField(new JsonObject(), field) is null)
            {
                throw StatusException.BadRequest($"field label not supported: {field}");
            }
        }
        if (labels.IsEverything && fields.IsEverything)
        {
            return null;
        }
        return obj => labels.Matches(obj.GetStringMap("labels")) && fields.Matches(field => field switch
        {
            "metadata.name" => obj.GetName(),
            "metadata.namespace" => obj.GetNamespace(),
            _ => Strategy.GetSelectableField(obj, field),
        });
    }

    private static StatusException TooLargeResourceVersion(long requested, long current) =>
        new(504, StatusReason.Timeout, $"Too large resource version: {requested}, current: {current}",
            new StatusDetails(Causes: [new StatusCause("ResourceVersionTooLarge", "Too large resource version")], RetryAfterSeconds: 1));

    /// <summary>A BOOKMARK's object: the kind with only a resource version.</summary>
    private JsonObject Bookmark(long revision)
    {
        var bookmark = new JsonObject { ["kind"] = Names.Kind.Kind, ["apiVersion"] = Names.Kind.ApiVersion, ["metadata"] = new JsonObject() };
        bookmark.SetResourceVersion(revision);
        return bookmark;
    }

    /// <summary>The <c>resourceVersion</c> asked for; 0 when unset or "0" (any).</summary>
    private static long RequestedRevision(ListOptions options) =>
        string.IsNullOrEmpty(options.ResourceVersion) || options.ResourceVersion == "0" ? 0 : ParseResourceVersion(options.ResourceVersion);

    /// <summary>
    /// A revision the store has not reached yet cannot be served: 504 "Too large resource version",
    /// as kube-apiserver answers (clients retry).
    /// </summary>
    private async ValueTask<long> CheckNotTooLargeAsync(long revision, CancellationToken cancellationToken)
    {
        if (revision > 0 && await _storage.GetCurrentRevisionAsync(cancellationToken) is var current && revision > current)
        {
            throw TooLargeResourceVersion(revision, current);
        }
        return revision;
    }

    private static long ParseResourceVersion(string rv) =>
        long.TryParse(rv, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw StatusException.BadRequest($"invalid resource version \"{rv}\"");

    /// <inheritdoc/>
    public JsonObject ConvertToTable(JsonObject objectOrList, TableOptions options) =>
        TableRenderer.Render(Definition.Columns, Names.Kind, objectOrList, options);
}
