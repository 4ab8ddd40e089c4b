namespace Apiserver.Generic.Storage;

/// <summary>What happened to a key.</summary>
public enum WatchEventType
{
    /// <summary>The key was created.</summary>
    Created,
    /// <summary>The key's value was replaced.</summary>
    Modified,
    /// <summary>The key was deleted.</summary>
    Deleted,
    /// <summary>No change: the store has reached <see cref="WatchEvent.Revision"/> (progress notification).</summary>
    Progress,
}

/// <summary>One change seen by a watch.</summary>
/// <param name="Type">The kind of change.</param>
/// <param name="Key">The key changed (empty for progress events).</param>
/// <param name="Value">The value after the change; for a deletion, the last value before it.</param>
/// <param name="PreviousValue">The value before the change, when known (null for creations).</param>
/// <param name="Revision">The revision of the change.</param>
public sealed record WatchEvent(WatchEventType Type, string Key, ReadOnlyMemory<byte> Value, ReadOnlyMemory<byte>? PreviousValue, long Revision);
