namespace Apiserver.Generic.Storage;

/// <summary>How to read a range of keys.</summary>
/// <param name="Revision">The revision to read at; 0 reads at the current revision.</param>
/// <param name="Limit">The most keys to return; 0 means no limit.</param>
/// <param name="StartAfter">Return only keys strictly greater than this one (the continuation point of a paginated list).</param>
/// <param name="NotOlderThan">
/// With <paramref name="Revision"/> 0: any revision at least this one will do (a client's
/// <c>resourceVersion=0</c> or "not older than"), so a cache may answer from memory without first
/// asking the backend for its current revision. Null asks for the current revision.
/// </param>
public sealed record ListOptions(long Revision = 0, long Limit = 0, string? StartAfter = null, long? NotOlderThan = null);

/// <summary>One page of a range read.</summary>
/// <param name="Items">The live keys in key order.</param>
/// <param name="Revision">The revision the page was read at; later pages must be read at the same one.</param>
/// <param name="HasMore">Whether keys remain after the last item.</param>
/// <param name="RemainingCount">How many keys remain after the last item (0 when <paramref name="HasMore"/> is false).</param>
public sealed record ListResult(IReadOnlyList<KeyValue> Items, long Revision, bool HasMore, long RemainingCount);
