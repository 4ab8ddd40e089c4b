namespace Apiserver.Generic.Api;

/// <summary>A resource qualified by its API group, as error messages name it (<c>deployments.apps</c>, <c>configmaps</c>).</summary>
/// <param name="Group">The API group; empty for the core group.</param>
/// <param name="Resource">The plural resource name.</param>
public readonly record struct GroupResource(string Group, string Resource)
{
    /// <inheritdoc/>
    public override string ToString() => Group.Length == 0 ? Resource : $"{Resource}.{Group}";
}

/// <summary>A group, version and kind.</summary>
/// <param name="Group">The API group; empty for the core group.</param>
/// <param name="Version">The version, e.g. <c>v1</c>.</param>
/// <param name="Kind">The kind, e.g. <c>ConfigMap</c>.</param>
public readonly record struct GroupVersionKind(string Group, string Version, string Kind)
{
    /// <summary>The <c>apiVersion</c> field value: <c>v1</c> or <c>apps/v1</c>.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";
}
