using System.Diagnostics;
using System.Runtime;

namespace Gpuvmsim.Benchmarks;

/// <summary>
/// Repeats a warm-up round until compiling takes under 1% of a round. Measured on the explorer: tiered compilation
/// (with its instrumented tier) keeps recompiling hot methods for 5–6 s after start-up and takes 10–20% of the CPU
/// meanwhile, on a background thread that competes with the measured ones; a single warm-up run leaves the first
/// measured runs slower than the later ones, which skews any comparison of two variants measured in turn.
/// </summary>
internal static class JitWarmUp
{
    private const double SettledShare = 0.01;

    /// <summary>Bounds the warm-up on a machine where compilation never seems to settle.</summary>
    private static readonly TimeSpan MaxWarmUp = TimeSpan.FromSeconds(30);

    /// <summary>Runs <paramref name="round"/> at least once, and again while compiling took more than 1% of it.</summary>
    public static void Run(string what, BenchmarkOptions options, Action round)
    {
        var watch = Stopwatch.StartNew();
        double compiling;
        do
        {
            var (timer, before) = (Stopwatch.StartNew(), JitInfo.GetCompilationTime());
            round();
            compiling = (JitInfo.GetCompilationTime() - before) / timer.Elapsed;
        }
        while (!options.Quick && compiling > SettledShare && watch.Elapsed < MaxWarmUp);
        options.Progress.WriteLine($"{what} warm-up: {watch.Elapsed.TotalSeconds:F1} s, compiling {compiling:P1} of its last round");
    }
}
