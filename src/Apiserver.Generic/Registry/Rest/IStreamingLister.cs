using System.Text.Json.Nodes;

namespace Apiserver.Generic.Registry.Rest;

/// <summary>
/// A lister that can hand out a whole list item by item, so that the server writes a large list to
/// the response without holding it in memory.
/// </summary>
public interface IStreamingLister : ILister
{
    /// <summary>
    /// The list of what the options select (one page of it when they carry a limit), at one
    /// revision. Failures that can be known early (bad options, a compacted revision) are thrown
    /// here, before any item is produced.
    /// </summary>
    Task<ListStream> ListStreamAsync(RequestContext context, ListOptions options, CancellationToken cancellationToken);
}

/// <summary>A list whose items are produced lazily.</summary>
/// <param name="Kind">The list kind, e.g. <c>ConfigMapList</c>.</param>
/// <param name="ApiVersion">The list's apiVersion.</param>
/// <param name="Metadata">The list metadata (<c>resourceVersion</c>, and <c>continue</c> for a page).</param>
/// <param name="Items">The items, in order, each without kind and apiVersion (as in a typed list).</param>
public sealed record ListStream(string Kind, string ApiVersion, JsonObject Metadata, IAsyncEnumerable<ObjectJson> Items);
