using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Registry.Rest;
using Apiserver.Generic.Selection;
using Apiserver.Generic.Storage;
using Apiserver.Generic.Storage.Cacher;
using ListOptions = Apiserver.Generic.Registry.Rest.ListOptions;
using StorageListOptions = Apiserver.Generic.Storage.ListOptions;

namespace Apiserver.Generic.Registry.Generic;

// The read side of GenericStore: list, watch, selectors and table rendering.
public sealed partial class GenericStore
{
    /// <inheritdoc/>
    public async Task<JsonObject> ListAsync(RequestContext context, ListOptions options, CancellationToken cancellationToken)
    {
        var stream = await ListStreamAsync(context, options, cancellationToken);
        var items = new JsonArray();
        await foreach (var item in stream.Items.WithCancellation(cancellationToken))
        {
            items.Add(item.Node);
        }
        return new JsonObject { ["kind"] = stream.Kind, ["apiVersion"] = stream.ApiVersion, ["metadata"] = stream.Metadata, ["items"] = items };
    }

    /// <summary>How many objects a whole list reads from storage at a time.</summary>
    private const int StreamPageSize = 500;

    /// <inheritdoc/>
    public async Task<ListStream> ListStreamAsync(RequestContext context, ListOptions options, CancellationToken cancellationToken)
    {
        var filter = Filter(options);
        var prefix = PrefixFor(context.Namespace);
        long revision; // 0 reads at the current revision, or at any not older than notOlderThan.
        long? notOlderThan = null;
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
            notOlderThan = revision == 0 && !string.IsNullOrEmpty(options.ResourceVersion) ? requested : null;
        }

        if (options.Limit <= 0)
        {
            // A whole list: every storage page is read at the revision of the first, so the stream is one snapshot.
            var first = await ReadPageAsync(prefix, new StorageListOptions(revision, StreamPageSize, startAfter, notOlderThan), options, cancellationToken);
            var whole = new JsonObject { ["resourceVersion"] = first.Revision.ToString(CultureInfo.InvariantCulture) };
            return new ListStream(Names.Kind.Kind + "List", Names.Kind.ApiVersion, whole, StreamItems(prefix, first, filter, cancellationToken));
        }

        // One page: its keys are read before any item is written, so that the continue token is known.
        var selected = new List<KeyValue>();
        ListResult page;
        string? lastKey = null;
        do
        {
            page = await ReadPageAsync(prefix, new StorageListOptions(revision, options.Limit - selected.Count, startAfter, notOlderThan), options, cancellationToken);
            revision = page.Revision;
            foreach (var kv in page.Items)
            {
                lastKey = kv.Key;
                if (filter?.Invoke(ObjectCodec.Decode(kv)) != false)
                {
                    selected.Add(kv);
                }
            }
            startAfter = lastKey;
        }
        while (selected.Count < options.Limit && page.HasMore && lastKey is not null);

        var meta = new JsonObject { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture) };
        if (page.HasMore && lastKey is not null)
        {
            meta["continue"] = ContinueToken.Encode(revision, lastKey[prefix.Length..]);
            if (string.IsNullOrEmpty(options.LabelSelector) && string.IsNullOrEmpty(options.FieldSelector))
            {
                meta["remainingItemCount"] = page.RemainingCount;
            }
        }
        return new ListStream(Names.Kind.Kind + "List", Names.Kind.ApiVersion, meta, Rendered(selected));
    }

    /// <summary>A storage page of a list, with a compacted revision answered as kube-apiserver does.</summary>
    private async Task<ListResult> ReadPageAsync(string prefix, StorageListOptions read, ListOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await _storage.ListAsync(prefix, read, cancellationToken);
        }
        catch (StorageException e) when (e.Code == StorageErrorCode.Compacted)
        {
            throw options.Continue is { Length: > 0 }
                ? new StatusException(410, StatusReason.Expired,
                    "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.")
                {
                    Continue = ContinueToken.Encode(-1, (read.StartAfter ?? prefix)[prefix.Length..]),
                }
                : StatusException.Expired($"too old resource version: {read.Revision} ({e.CompactedRevision})");
        }
    }

#pragma warning disable CS1998 // The items are ready; the stream shape is the callers'.
    private static async IAsyncEnumerable<ObjectJson> Rendered(List<KeyValue> items)
#pragma warning restore CS1998
    {
        foreach (var kv in items)
        {
            yield return ListItem(kv);
        }
    }

    /// <summary>A list item as sent: the stored bytes with the resource version, without kind and apiVersion (as in a typed list).</summary>
    private static ObjectJson ListItem(KeyValue kv) => new(StoredJson.Render(kv.Value.Span, kv.ModRevision, asListItem: true));

    private async IAsyncEnumerable<ObjectJson> StreamItems(string prefix, ListResult page, Func<JsonObject, bool>? filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            foreach (var kv in page.Items)
            {
                if (filter?.Invoke(ObjectCodec.Decode(kv)) != false)
                {
                    yield return ListItem(kv);
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
                if (filter?.Invoke(ObjectCodec.Decode(kv)) != false)
                {
                    yield return new WatchObjectEvent("ADDED", Rendered(kv.Value, kv.ModRevision));
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
        if (filter is null)
        {
            // No selectors: every change is the watcher's, and the previous value need not be read.
            var type = e.Type switch { WatchEventType.Created => "ADDED", WatchEventType.Deleted => "DELETED", _ => "MODIFIED" };
            return new WatchObjectEvent(type, Rendered(e));
        }
        var matchesNow = filter(ObjectCodec.Decode(e.Value, e.Revision));
        if (e.Type == WatchEventType.Deleted)
        {
            return matchesNow ? new WatchObjectEvent("DELETED", Rendered(e)) : null;
        }
        var matchedBefore = e.PreviousValue is { } prev && filter(ObjectCodec.Decode(prev, e.Revision));
        var clientType = (matchedBefore, matchesNow) switch
        {
            (false, true) => e.Type == WatchEventType.Created || e.PreviousValue is not null ? "ADDED" : "MODIFIED",
            (true, true) => "MODIFIED",
            // An object that stops matching leaves this watcher's view: a DELETED of its new state.
            (true, false) => "DELETED",
            _ => null,
        };
        return clientType is null ? null : new WatchObjectEvent(clientType, Rendered(e));
    }

    /// <summary>
    /// An event's object as watches send it. The watch cache hands the same event to every watcher,
    /// so it is rendered once per event and shared; events straight from a backend are each their own.
    /// </summary>
    private ObjectJson Rendered(WatchEvent e) =>
        _storage is WatchCache
            ? RenderedEvents.GetValue(e, static e => Rendered(e.Value, e.Revision))
            : Rendered(e.Value, e.Revision);

    private static readonly ConditionalWeakTable<WatchEvent, ObjectJson> RenderedEvents = [];

    /// <summary>An object as a watch sends it: the stored bytes with <paramref name="revision"/> as the resource version.</summary>
    private static ObjectJson Rendered(ReadOnlyMemory<byte> stored, long revision) => new(StoredJson.Render(stored.Span, revision, asListItem: false));

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
