using System.Diagnostics;
using System.Runtime.Intrinsics;

namespace Gpuvmsim.Benchmarks;

/// <summary>
/// What the machine itself gives two threads over one, on allocation-free work items spread with
/// <see cref="Parallel.For(long, long, ParallelOptions, Action{long})"/> the way the explorer spreads schedules. Two
/// kinds of work, because a virtual machine's two vCPUs may be two threads of one physical core:
/// <list type="bullet">
/// <item><see cref="Work.LatencyBound"/>: one xorshift dependency chain per item. It leaves most of a core idle, so two
/// hardware threads of one core run two chains almost as fast as two cores do: this is near 2 on either.</item>
/// <item><see cref="Work.ThroughputBound"/>: eight independent vector multiply-adds and L1-resident loads per
/// iteration, enough to keep a core's arithmetic and load units busy. Two separate cores run it twice as fast; two
/// hardware threads sharing a core only as fast as the units they share allow (about 1.3×).</item>
/// <item><see cref="Work.MemoryBound"/>: a read and a write of one word per cache line over a 32 MiB buffer per thread,
/// more than a core's share of the last-level cache: memory bandwidth. Allocation-heavy code (the explorer allocates
/// tens of kilobytes per schedule into a gen0 budget larger than L2) leans on it too; on a host whose other tenants
/// use the memory bus it can read near 1.</item>
/// </list>
/// A simulation (pointer chasing, allocation, cache-resident tables) sits between them.
/// </summary>
internal static class ParallelBaseline
{
    public enum Work
    {
        LatencyBound,
        ThroughputBound,
        MemoryBound,
    }

    private const int IterationsPerItem = 40_000;

    /// <summary>Items per second of <paramref name="work"/> on <paramref name="threads"/> threads.</summary>
    public static double ItemsPerSecond(Work work, int items, int threads)
    {
        Func<ulong, ulong> item = work switch
        {
            Work.LatencyBound => Spin,
            Work.ThroughputBound => MultiplyAdd,
            _ => Stream,
        };
        var sink = 0UL;
        var watch = Stopwatch.StartNew();
        Parallel.For(0, items, new ParallelOptions { MaxDegreeOfParallelism = threads }, () => 0UL,
            (index, _, local) => local ^ item((ulong)index + 1), local => Interlocked.Add(ref sink, local));
        watch.Stop();
        GC.KeepAlive(sink);
        return items / watch.Elapsed.TotalSeconds;
    }

    /// <summary>Two threads over one for <paramref name="work"/>.</summary>
    public static double Speedup(Work work, int items) => ItemsPerSecond(work, items, 2) / ItemsPerSecond(work, items, 1);

    private static ulong Spin(ulong x)
    {
        for (var i = 0; i < IterationsPerItem; i++)
        {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
        }
        return x;
    }

    [ThreadStatic]
    private static double[]? _table;

    private static ulong MultiplyAdd(ulong seed)
    {
        // 2 KiB per thread: stays in L1, so that the loads measure the core, not the memory.
        var table = _table ??= Enumerable.Range(1, 256).Select(i => 1.0 / i).ToArray();
        var m = Vector256.Create(0.999_999);
        var (a0, a1, a2, a3) = (Vector256.Create((double)seed), Vector256.Create(1.0), Vector256.Create(2.0), Vector256.Create(3.0));
        var (a4, a5, a6, a7) = (Vector256.Create(4.0), Vector256.Create(5.0), Vector256.Create(6.0), Vector256.Create(7.0));
        for (var i = 0; i < IterationsPerItem / 4; i++)
        {
            var at = (i * 32) & 255;
            a0 = Vector256.FusedMultiplyAdd(a0, m, Vector256.LoadUnsafe(ref table[at]));
            a1 = Vector256.FusedMultiplyAdd(a1, m, Vector256.LoadUnsafe(ref table[at + 4]));
            a2 = Vector256.FusedMultiplyAdd(a2, m, Vector256.LoadUnsafe(ref table[at + 8]));
            a3 = Vector256.FusedMultiplyAdd(a3, m, Vector256.LoadUnsafe(ref table[at + 12]));
            a4 = Vector256.FusedMultiplyAdd(a4, m, Vector256.LoadUnsafe(ref table[at + 16]));
            a5 = Vector256.FusedMultiplyAdd(a5, m, Vector256.LoadUnsafe(ref table[at + 20]));
            a6 = Vector256.FusedMultiplyAdd(a6, m, Vector256.LoadUnsafe(ref table[at + 24]));
            a7 = Vector256.FusedMultiplyAdd(a7, m, Vector256.LoadUnsafe(ref table[at + 28]));
        }
        return (ulong)Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7);
    }

    private const int LongsPerLine = 8;
    private const int StreamBufferLongs = 32 << 20 >> 3;

    // 4,096 lines (256 KiB) per item: about as long as the other kinds' items.
    private const int LinesPerItem = 4_096;

    [ThreadStatic]
    private static long[]? _buffer;

    [ThreadStatic]
    private static int _cursor;

    /// <summary>Faults every page in once, so that no item pays for the first touch.</summary>
    private static long[] Touched(long[] buffer)
    {
        for (var i = 0; i < buffer.Length; i += 4096 / sizeof(long)) buffer[i] = 1;
        return buffer;
    }

    private static ulong Stream(ulong seed)
    {
        var buffer = _buffer ??= Touched(new long[StreamBufferLongs]);
        var at = _cursor;
        var sum = (long)seed;
        for (var line = 0; line < LinesPerItem; line++)
        {
            sum += buffer[at];
            buffer[at] = sum;
            at += LongsPerLine;
            if (at >= buffer.Length) at = 0;
        }
        _cursor = at;
        return (ulong)sum;
    }
}
