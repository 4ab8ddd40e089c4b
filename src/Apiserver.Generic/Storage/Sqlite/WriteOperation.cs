namespace Apiserver.Generic.Storage.Sqlite;

/// <summary>What a queued write does.</summary>
internal enum WriteKind
{
    Create,
    Update,
    Delete,
    Compact,
}

/// <summary>
/// One write waiting for the group-commit loop. It is completed, with its result or its error,
/// only once the transaction it ran in has committed (or rolled back).
/// </summary>
internal sealed class WriteOperation
{
    private WriteOperation(WriteKind kind, string key, byte[] value, long? expectedModRevision, long compactRevision, CancellationToken cancellationToken)
    {
        Kind = kind;
        Key = key;
        Value = value;
        ExpectedModRevision = expectedModRevision;
        CompactRevision = compactRevision;
        CancellationToken = cancellationToken;
    }

    public WriteKind Kind { get; }

    public string Key { get; }

    /// <summary>A private copy of the value to write (empty for deletions and compactions).</summary>
    public byte[] Value { get; }

    public long? ExpectedModRevision { get; }

    public long CompactRevision { get; }

    /// <summary>Honoured only while the operation waits in the queue; once in a batch it runs to the end.</summary>
    public CancellationToken CancellationToken { get; }

    public TaskCompletionSource<KeyValue?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The result the operation produced inside the batch, delivered after the commit.</summary>
    public KeyValue? Result { get; set; }

    /// <summary>The logical error (KeyExists, Conflict, ...) the operation produced inside the batch.</summary>
    public Exception? Error { get; set; }

    /// <summary>The watch event the operation produced inside the batch, published after the commit.</summary>
    public WatchEvent? Event { get; set; }

    public static WriteOperation Create(string key, ReadOnlyMemory<byte> value, CancellationToken ct) =>
        new(WriteKind.Create, key, value.ToArray(), null, 0, ct);

    public static WriteOperation Update(string key, long expectedModRevision, ReadOnlyMemory<byte> value, CancellationToken ct) =>
        new(WriteKind.Update, key, value.ToArray(), expectedModRevision, 0, ct);

    public static WriteOperation Delete(string key, long? expectedModRevision, CancellationToken ct) =>
        new(WriteKind.Delete, key, [], expectedModRevision, 0, ct);

    public static WriteOperation Compact(long revision, CancellationToken ct) =>
        new(WriteKind.Compact, string.Empty, [], null, revision, ct);

    /// <summary>Forgets what a rolled-back batch had produced.</summary>
    public void Reset()
    {
        Result = null;
        Error = null;
        Event = null;
    }

    /// <summary>Delivers the outcome to the waiting caller.</summary>
    public void Complete()
    {
        if (Error is not null)
        {
            Completion.TrySetException(Error);
        }
        else
        {
            Completion.TrySetResult(Result);
        }
    }
}
