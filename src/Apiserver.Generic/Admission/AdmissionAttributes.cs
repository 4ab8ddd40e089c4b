using System.Text.Json.Nodes;
using Apiserver.Generic.Api;
using Apiserver.Generic.Authentication;

namespace Apiserver.Generic.Admission;

/// <summary>The operations admission sees.</summary>
public enum AdmissionOperation
{
    /// <summary>An object is created.</summary>
    Create,
    /// <summary>An object is replaced or patched.</summary>
    Update,
    /// <summary>An object is deleted.</summary>
    Delete,
}

/// <summary>What admission plugins are shown of a write.</summary>
/// <param name="Operation">The operation.</param>
/// <param name="Kind">The kind of the object.</param>
/// <param name="Resource">The resource.</param>
/// <param name="Subresource">The subresource, or empty.</param>
/// <param name="Namespace">The namespace, or empty.</param>
/// <param name="Name">The object's name (may be empty on create with generateName).</param>
/// <param name="Object">The new object (mutating plugins may change it); null on delete.</param>
/// <param name="OldObject">The stored object on update and delete.</param>
/// <param name="User">Who asks.</param>
/// <param name="DryRun">Whether nothing will be stored.</param>
public sealed record AdmissionAttributes(
    AdmissionOperation Operation,
    GroupVersionKind Kind,
    GroupResource Resource,
    string Subresource,
    string Namespace,
    string Name,
    JsonObject? Object,
    JsonObject? OldObject,
    UserInfo? User,
    bool DryRun);
