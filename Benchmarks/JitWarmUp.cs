using System.Diagnostics;
using System.Runtime;

namespace Gpuvmsim.Benchmarks;

/// <summary>
/// Repeats a warm-up round for at least 3 s and until compiling takes under 1% of a round, or stops shrinking (a round
/// that emits code of its own, such as compiled expressions, compiles every time). Measured on the explorer: tiered
/// compilation (with its instrumented tier) keeps recompiling hot methods for 5–6 s after start-up and takes 10–20% of
/// the CPU meanwhile, on a background thread that competes with the measured ones; a single warm-up run leaves the
/// first measured runs slower than the later ones, which skews any comparison of two variants measured in turn.
/// </summary>
internal static class JitWarmUp
{
    private const double SettledShare = 0.01;

    /// <summary>Rounds in a row that may fail to bring the share 10% below its lowest before compilation counts as
    /// settled, once <see cref="MinWarmUpForStall"/> has passed (the share comes down in waves, one per tier).</summary>
    private const int RoundsWithoutProgress = 3;

    private static readonly TimeSpan MinWarmUpForStall = TimeSpan.FromSeconds(6);

    /// <summary>Tier-up starts only after call counting's delay and comes in waves: a quiet round soon after start-up
    /// says little, so the warm-up lasts at least this long.</summary>
    private static readonly TimeSpan MinWarmUp = TimeSpan.FromSeconds(3);

    /// <summary>Bounds the warm-up on a machine where compilation never seems to settle.</summary>
    private static readonly TimeSpan MaxWarmUp = TimeSpan.FromSeconds(30);

    /// <summary>Runs <paramref name="round"/> at least once, and again until compilation has settled (see the class).</summary>
    public static void Run(string what, BenchmarkOptions options, Action round)
    {
        var watch = Stopwatch.StartNew();
        var (compiling, lowest, stalled) = (1.0, double.MaxValue, 0);
        do
        {
            var (timer, before) = (Stopwatch.StartNew(), JitInfo.GetCompilationTime());
            round();
            compiling = (JitInfo.GetCompilationTime() - before) / timer.Elapsed;
            (lowest, stalled) = compiling < 0.9 * lowest ? (compiling, 0) : (Math.Min(lowest, compiling), stalled + 1);
        }
        while (!options.Quick && watch.Elapsed < MaxWarmUp
               && (watch.Elapsed < MinWarmUp
                   || (compiling > SettledShare && (stalled < RoundsWithoutProgress || watch.Elapsed < MinWarmUpForStall))));
        options.Progress.WriteLine($"{what} warm-up: {watch.Elapsed.TotalSeconds:F1} s, compiling {compiling:P1} of its last round");
    }
}
