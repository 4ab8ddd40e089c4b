using System.Text.Json.Nodes;

namespace Apiserver.Kube.Authorization;

/// <summary>A RoleBinding or ClusterRoleBinding as the authorizer needs it.</summary>
/// <param name="Name">The binding's name.</param>
/// <param name="Namespace">The RoleBinding's namespace; empty for a ClusterRoleBinding.</param>
/// <param name="RoleKind"><c>Role</c> or <c>ClusterRole</c>.</param>
/// <param name="RoleName">The role's name.</param>
/// <param name="Subjects">The subjects, as (kind, name) with service accounts named <c>ns:name</c>.</param>
public sealed record RbacBinding(string Name, string Namespace, string RoleKind, string RoleName, IReadOnlyList<(string Kind, string Name)> Subjects)
{
    /// <summary>The index keys of the subjects (<see cref="UserKey"/>, <see cref="GroupKey"/>, <see cref="ServiceAccountKey"/>).</summary>
    public IEnumerable<string> SubjectKeys => Subjects.Select(s => $"{s.Kind}:{s.Name}").Distinct();

    /// <summary>The index key of a user.</summary>
    public static string UserKey(string name) => $"User:{name}";

    /// <summary>The index key of a group.</summary>
    public static string GroupKey(string name) => $"Group:{name}";

    /// <summary>The index key of a service account.</summary>
    public static string ServiceAccountKey(string ns, string name) => $"ServiceAccount:{ns}:{name}";

    /// <summary>
    /// kube's reason for an allow: <c>RBAC: allowed by RoleBinding "name/ns" of Role "r" to User "u"</c>,
    /// naming the first subject of the binding that is <paramref name="subjectKeys"/>' user.
    /// </summary>
    public string AllowReason(ISet<string> subjectKeys)
    {
        var subject = Subjects.FirstOrDefault(s => subjectKeys.Contains($"{s.Kind}:{s.Name}"));
        var subjectName = subject.Kind == "ServiceAccount" ? subject.Name.Split(':', 2)[1] : subject.Name;
        var binding = Namespace.Length > 0 ? $"RoleBinding \"{Name}/{Namespace}\"" : $"ClusterRoleBinding \"{Name}\"";
        return $"RBAC: allowed by {binding} of {RoleKind} \"{RoleName}\" to {subject.Kind} \"{subjectName}\"";
    }

    /// <summary>
    /// Reads a binding. As kube's <c>appliesToUser</c>, a ServiceAccount subject without a namespace
    /// is in the binding's namespace, and never applies in a ClusterRoleBinding.
    /// </summary>
    public static RbacBinding From(JsonObject binding, string ns)
    {
        var subjects = new List<(string, string)>();
        foreach (var subject in (binding["subjects"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var kind = (string?)subject["kind"] ?? "";
            var name = (string?)subject["name"] ?? "";
            if (kind == "ServiceAccount")
            {
                var saNamespace = (string?)subject["namespace"] is { Length: > 0 } given ? given : ns;
                if (saNamespace.Length > 0)
                {
                    subjects.Add((kind, $"{saNamespace}:{name}"));
                }
            }
            else if (kind is "User" or "Group")
            {
                subjects.Add((kind, name));
            }
        }
        return new RbacBinding(
            (string?)binding["metadata"]?["name"] ?? "", ns,
            (string?)binding["roleRef"]?["kind"] ?? "", (string?)binding["roleRef"]?["name"] ?? "", subjects);
    }
}
