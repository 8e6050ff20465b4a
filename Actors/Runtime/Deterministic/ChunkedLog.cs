namespace Gpuvmsim.Runtime.Deterministic;

/// <summary>
/// An append-only log of unmanaged entries in fixed chunks below the large-object threshold, so growing it never
/// copies and never allocates on the large-object heap (which would trigger full collections mid-run).
/// </summary>
internal sealed class ChunkedLog<T>
{
    private const int ChunkShift = 12;
    private const int ChunkSize = 1 << ChunkShift;
    private const int ChunkMask = ChunkSize - 1;

    private T[][] _chunks = new T[4][];
    private T[] _current;
    private int _count;
    private int _offset;

    public ChunkedLog()
    {
        _current = new T[ChunkSize];
        _chunks[0] = _current;
    }

    public int Count => _count;

    public ref T this[int index] => ref _chunks[index >> ChunkShift][index & ChunkMask];

    public void Add(in T item)
    {
        if (_offset == ChunkSize) NextChunk();
        _current[_offset++] = item;
        _count++;
    }

    private void NextChunk()
    {
        int chunk = _count >> ChunkShift;
        if (chunk == _chunks.Length) Array.Resize(ref _chunks, _chunks.Length * 2);
        _current = new T[ChunkSize];
        _chunks[chunk] = _current;
        _offset = 0;
    }
}
