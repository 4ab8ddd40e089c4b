using Apiserver.Generic.FieldManagement;

namespace Apiserver.Generic.Registry.Rest;

/// <summary>A storage whose objects carry <c>managedFields</c>, and so can serve server-side apply.</summary>
internal interface IFieldManaged
{
    /// <summary>The field manager of the resource; null when this storage does not track managed fields after all (a subresource of a store that does not).</summary>
    FieldManager? FieldManager { get; }
}
