namespace Apiserver.Generic.Storage;

/// <summary>Why a storage operation failed.</summary>
public enum StorageErrorCode
{
    /// <summary>The key does not exist.</summary>
    KeyNotFound,
    /// <summary>The key exists already (create).</summary>
    KeyExists,
    /// <summary>The key changed since the expected revision (compare-and-swap lost).</summary>
    Conflict,
    /// <summary>The revision asked for has been compacted away.</summary>
    Compacted,
    /// <summary>The backend could not be reached or could not answer in time.</summary>
    Unavailable,
}

/// <summary>A storage operation failed for a reason the caller can act on.</summary>
public sealed class StorageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StorageException(StorageErrorCode code, string key, string message, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        Key = key;
    }

    /// <summary>Why it failed.</summary>
    public StorageErrorCode Code { get; }

    /// <summary>The key involved (empty when none).</summary>
    public string Key { get; }

    /// <summary>For <see cref="StorageErrorCode.Compacted"/>: the current compacted revision, when known.</summary>
    public long CompactedRevision { get; init; }
}
