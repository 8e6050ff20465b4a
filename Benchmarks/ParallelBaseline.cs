using System.Diagnostics;

namespace Gpuvmsim.Benchmarks;

/// <summary>
/// What the machine itself gives two threads over one: the same number of independent, allocation-free compute items
/// (a xorshift loop each) spread with <see cref="Parallel.For(long, long, ParallelOptions, Action{long})"/> the way the
/// explorer spreads schedules. On a virtual machine whose two vCPUs share a physical core or a busy host, this is well
/// below 2, and it bounds what any exploration can reach.
/// </summary>
internal static class ParallelBaseline
{
    private const int IterationsPerItem = 40_000;

    /// <summary>Items per second on <paramref name="threads"/> threads.</summary>
    public static double ItemsPerSecond(int items, int threads)
    {
        var sink = 0UL;
        var watch = Stopwatch.StartNew();
        Parallel.For(0, items, new ParallelOptions { MaxDegreeOfParallelism = threads }, () => 0UL,
            (item, _, local) => local ^ Spin((ulong)item + 1), local => Interlocked.Add(ref sink, local));
        watch.Stop();
        GC.KeepAlive(sink);
        return items / watch.Elapsed.TotalSeconds;
    }

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
}
