using System.Buffers;

namespace Apiserver.Generic.Serialization.Json;

/// <summary>
/// A growable buffer of bytes rented from the shared pool and returned on dispose: what a response
/// is serialized into before it is sent, without a fresh array (and its doublings) per request.
/// </summary>
internal sealed class PooledBufferWriter(int initialCapacity = 4096) : IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);

    /// <summary>The bytes written so far.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, WrittenCount);

    /// <summary>How many bytes have been written.</summary>
    public int WrittenCount { get; private set; }

    /// <inheritdoc/>
    public void Advance(int count) => WrittenCount += count;

    /// <inheritdoc/>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsMemory(WrittenCount);
    }

    /// <inheritdoc/>
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsSpan(WrittenCount);
    }

    private void Reserve(int sizeHint)
    {
        var needed = WrittenCount + Math.Max(sizeHint, 1);
        if (needed <= _buffer.Length)
        {
            return;
        }
        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
        _buffer.AsSpan(0, WrittenCount).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        WrittenCount = 0;
    }
}
