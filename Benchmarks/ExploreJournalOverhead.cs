using System.Diagnostics;
using Gpuvmsim.Domain.Simulation;
using Gpuvmsim.Exploration;
using Gpuvmsim.Persistence.BindJournals;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Benchmarks;

/// <summary>
/// The slow-down of <c>explore --journal</c> over <c>explore</c>: the same random exploration of S2 under
/// v2-close-op-lock-first (three findings, so three bind journals and an exploration record are written), on one
/// worker thread, with and without journaling into a fresh SQLite file; the two alternate, after a warm-up until
/// compilation settles (<see cref="JitWarmUp"/>), and the best time of each is compared.
/// </summary>
internal static class ExploreJournalOverhead
{
    private const string ScenarioName = "s02-vm-close-during-job-run";
    private const string DesignName = "v2-close-op-lock-first";

    public static double Measure(BenchmarkOptions options)
    {
        var scenario = ScenarioLibrary.Load(ScenarioName);
        var design = ScenarioValidator.Designs(scenario)[DesignName];
        var explore = new ExploreOptions { Strategy = "random", Budget = options.Quick ? 300 : 3000, Parallelism = 1 };
        (double Plain, double Journaled) Round()
        {
            var plain = Time(() => Explorer.Explore(scenario, design, explore, Worlds.For(scenario)));
            using var directory = new BenchDirectory();
            var journaled = Time(() =>
            {
                using var store = BindJournalStore.Open(directory.File("explore.db"), create: true);
                var result = Explorer.Explore(scenario, design, explore, Worlds.For(scenario));
                ExplorationJournal.Save(store, scenario, design, explore, result, DateTimeOffset.UtcNow);
            });
            options.Progress.WriteLine($"explore {explore.Budget} schedules: {plain:F3} s plain, {journaled:F3} s journaled");
            return (plain, journaled);
        }

        JitWarmUp.Run("explore --journal", options, () => Round());
        var (off, on) = (double.MaxValue, double.MaxValue);
        for (var rep = 0; rep < (options.Quick ? 1 : 3); rep++)
        {
            var (plain, journaled) = Round();
            (off, on) = (Math.Min(off, plain), Math.Min(on, journaled));
        }
        return on / off;
    }

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalSeconds;
    }
}
