namespace Gpuvmsim.Runtime.Deterministic;

/// <summary>
/// An append-only log in fixed chunks below the large-object threshold, so growing a long log never copies it and
/// never allocates on the large-object heap (which would trigger full collections mid-run). The first chunk starts
/// small and doubles up to the chunk size, so a short run (one explored schedule) allocates little.
/// A mutable struct, held in a (non-readonly) field of its owner: an append, done once per delivery, then reaches the
/// current chunk through one object fewer.
/// </summary>
internal struct ChunkedLog<T>
{
    private const int ChunkShift = 12;
    private const int ChunkSize = 1 << ChunkShift;
    private const int ChunkMask = ChunkSize - 1;
    private const int FirstChunkSize = 128; // an explored schedule of the scenario library makes 50-200 deliveries

    private T[][] _chunks = new T[4][];
    private T[] _current;
    private int _count;
    private int _offset;

    public ChunkedLog()
    {
        _current = new T[FirstChunkSize];
        _chunks[0] = _current;
    }

    public readonly int Count => _count;

    public readonly ref T this[int index] => ref _chunks[index >> ChunkShift][index & ChunkMask];

    public void Add(in T item)
    {
        if (_offset == _current.Length) NextChunk();
        _current[_offset++] = item;
        _count++;
    }

    private void NextChunk()
    {
        if (_current.Length < ChunkSize)
        {
            Array.Resize(ref _current, _current.Length * 2);
            _chunks[0] = _current;
            return;
        }
        int chunk = _count >> ChunkShift;
        if (chunk == _chunks.Length) Array.Resize(ref _chunks, _chunks.Length * 2);
        _current = new T[ChunkSize];
        _chunks[chunk] = _current;
        _offset = 0;
    }
}
