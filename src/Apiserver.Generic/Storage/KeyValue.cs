namespace Apiserver.Generic.Storage;

/// <summary>A key's value at one revision.</summary>
/// <param name="Key">The full key.</param>
/// <param name="Value">The stored bytes.</param>
/// <param name="CreateRevision">The revision at which the key was (last) created.</param>
/// <param name="ModRevision">The revision of the key's last change; the object's resource version.</param>
public sealed record KeyValue(string Key, ReadOnlyMemory<byte> Value, long CreateRevision, long ModRevision);
