namespace Apiserver.Generic.Registry.Rest;

/// <summary>Options of a get (<c>metav1.GetOptions</c>).</summary>
/// <param name="ResourceVersion">The resource version constraint; null or empty means the most recent.</param>
public sealed record GetOptions(string? ResourceVersion = null);

/// <summary>Options of a list or watch (<c>metav1.ListOptions</c>).</summary>
public sealed record ListOptions
{
    /// <summary>The label selector, in Kubernetes selector syntax.</summary>
    public string? LabelSelector { get; init; }
    /// <summary>The field selector, in Kubernetes selector syntax.</summary>
    public string? FieldSelector { get; init; }
    /// <summary>The page size; 0 means no limit.</summary>
    public long Limit { get; init; }
    /// <summary>The continue token of the previous page.</summary>
    public string? Continue { get; init; }
    /// <summary>The resource version constraint.</summary>
    public string? ResourceVersion { get; init; }
    /// <summary>How <see cref="ResourceVersion"/> applies: <c>Exact</c> or <c>NotOlderThan</c>.</summary>
    public string? ResourceVersionMatch { get; init; }
    /// <summary>Whether a watch may send BOOKMARK events.</summary>
    public bool AllowWatchBookmarks { get; init; }
    /// <summary>How long a watch lasts, at most.</summary>
    public TimeSpan? Timeout { get; init; }
    /// <summary>
    /// Whether a watch starts with the current state as ADDED events; when set explicitly, the
    /// state ends with a BOOKMARK annotated <c>k8s.io/initial-events-end</c>. Unset means true
    /// for a watch without a resource version (or "0") and false otherwise.
    /// </summary>
    public bool? SendInitialEvents { get; init; }
}

/// <summary>Options of a create.</summary>
/// <param name="DryRun">Run everything but store nothing.</param>
/// <param name="FieldManager">The name of the actor making the change.</param>
/// <remarks>
/// A null <paramref name="FieldManager"/> (a write from inside the server) records no managed
/// fields; a request always names one (derived from its User-Agent when not given).
/// </remarks>
public sealed record CreateOptions(bool DryRun = false, string? FieldManager = null)
{
    /// <summary>The object's <c>managedFields</c> were computed by server-side apply: keep them as they are.</summary>
    public bool Applied { get; init; }
}

/// <summary>Options of an update.</summary>
/// <param name="DryRun">Run everything but store nothing.</param>
/// <param name="FieldManager">The name of the actor making the change.</param>
public sealed record UpdateOptions(bool DryRun = false, string? FieldManager = null)
{
    /// <summary>The subresource written (<c>status</c>…), empty for the main resource; managed fields record it.</summary>
    public string Subresource { get; init; } = "";

    /// <summary>The object's <c>managedFields</c> were computed by server-side apply: keep them as they are.</summary>
    public bool Applied { get; init; }
}

/// <summary>Preconditions a delete checks against the stored object.</summary>
/// <param name="Uid">The uid the object must have.</param>
/// <param name="ResourceVersion">The resource version the object must have.</param>
public sealed record Preconditions(string? Uid = null, string? ResourceVersion = null);

/// <summary>Options of a delete (<c>metav1.DeleteOptions</c>).</summary>
/// <param name="Preconditions">What the stored object must match.</param>
/// <param name="GracePeriodSeconds">The grace period, when the resource supports one.</param>
/// <param name="PropagationPolicy">Orphan, Background or Foreground.</param>
/// <param name="DryRun">Run everything but store nothing.</param>
public sealed record DeleteOptions(Preconditions? Preconditions = null, long? GracePeriodSeconds = null, string? PropagationPolicy = null, bool DryRun = false);
