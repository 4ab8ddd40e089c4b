namespace Apiserver.Generic.FieldManagement;

/// <summary>
/// The identity of one <c>managedFields</c> entry, as kube's manager identifier: manager, operation,
/// subresource and, for Update operations only, the API version (an applier keeps one entry
/// whatever version it applies with).
/// </summary>
internal readonly record struct ManagerKey(string Manager, string Operation, string ApiVersion, string Subresource)
{
    public const string Apply = "Apply";
    public const string Update = "Update";

    public bool Applied => Operation == Apply;

    public static ManagerKey ForApply(string manager, string subresource) => new(manager, Apply, "", subresource);

    public static ManagerKey ForUpdate(string manager, string apiVersion, string subresource) => new(manager, Update, apiVersion, subresource);

    /// <summary>The manager as kube names it in conflicts: <c>"m"</c>, <c>"m" with subresource "status"</c>, <c>… using v1</c>.</summary>
    public string Describe()
    {
        var text = $"\"{Manager}\"";
        if (Subresource.Length > 0)
        {
            text += $" with subresource \"{Subresource}\"";
        }
        return Applied ? text : $"{text} using {ApiVersion}";
    }
}

/// <summary>The fields one manager owns, the API version it used, and when it last changed the object.</summary>
internal sealed record ManagerFields(FieldSet Set, string ApiVersion, string? Time);
