namespace Apiserver.Bench.Running;

/// <summary>Which objects of a namespace a target holds, so later phases read and update only those.</summary>
internal sealed class Population(int capacity)
{
    private readonly bool[] _exists = new bool[capacity];
    private readonly int[] _variants = new int[capacity];
    private int[]? _indexes;

    public int Capacity => capacity;

    /// <summary>How many objects exist.</summary>
    public int Count => Indexes.Length;

    private int[] Indexes => _indexes ??= [.. Enumerable.Range(0, capacity).Where(i => _exists[i])];

    /// <summary>Records that object <paramref name="index"/> was created.</summary>
    public void Created(int index)
    {
        _exists[index] = true;
        _indexes = null;
    }

    /// <summary>
    /// The object operation <paramref name="i"/> works on: each once while <paramref name="i"/> is
    /// below <see cref="Count"/>, so concurrent updates never touch the same object.
    /// </summary>
    public int Pick(int i)
    {
        var indexes = Indexes;
        return indexes.Length == 0 ? i % capacity : indexes[i % indexes.Length];
    }

    /// <summary>The payload variant the next update of object <paramref name="index"/> writes: never the one it has.</summary>
    public int NextVariant(int index) => Interlocked.Increment(ref _variants[index]) & 1;
}
