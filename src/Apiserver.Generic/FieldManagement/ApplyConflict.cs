using Apiserver.Generic.Api;

namespace Apiserver.Generic.FieldManagement;

/// <summary>One field an apply would change that another manager owns.</summary>
internal sealed record ApplyConflict(ManagerKey Manager, IReadOnlyList<PathElement> Path);

/// <summary>An apply that conflicts with other managers; <see cref="ToStatus"/> is kube's 409.</summary>
internal sealed class ApplyConflictException(IReadOnlyList<ApplyConflict> conflicts) : Exception("apply conflicts")
{
    public IReadOnlyList<ApplyConflict> Conflicts { get; } = conflicts
        .OrderBy(c => c.Manager.Manager, StringComparer.Ordinal).ThenBy(c => c.Manager.Operation, StringComparer.Ordinal)
        .ThenBy(c => c.Manager.ApiVersion, StringComparer.Ordinal).ThenBy(c => c.Manager.Subresource, StringComparer.Ordinal)
        .ToList();

    /// <summary>
    /// kube's apply conflict: "Apply failed with 1 conflict: conflict with "m": .a", or one line per
    /// manager and field for several, and a <c>FieldManagerConflict</c> cause per field.
    /// </summary>
    public StatusException ToStatus()
    {
        string message;
        if (Conflicts.Count == 1)
        {
            message = $"Apply failed with 1 conflict: conflict with {Conflicts[0].Manager.Describe()}: {FieldSet.Format(Conflicts[0].Path)}";
        }
        else
        {
            var lines = new List<string>();
            foreach (var group in Conflicts.GroupBy(c => c.Manager))
            {
                lines.Add($"conflicts with {group.Key.Describe()}:");
                lines.AddRange(group.Select(c => $"- {FieldSet.Format(c.Path)}"));
            }
            message = $"Apply failed with {Conflicts.Count} conflicts: {string.Join("\n", lines)}";
        }
        var causes = Conflicts.Select(c => new StatusCause("FieldManagerConflict", $"conflict with {c.Manager.Describe()}", FieldSet.Format(c.Path))).ToList();
        return new StatusException(409, StatusReason.Conflict, message, new StatusDetails(Causes: causes));
    }
}
