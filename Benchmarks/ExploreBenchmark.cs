using System.Diagnostics;
using System.Text.Json.Nodes;
using Gpuvmsim.Domain.Designs;
using Gpuvmsim.Domain.Simulation;
using Gpuvmsim.Exploration;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Benchmarks;

/// <summary>
/// <c>gpuvmsim bench explore</c>: exploration speed on S2 (VM close during job run) under v2. Random-strategy schedules
/// per second on one worker thread, and the deliveries they make; the time and schedule count of a dfs search to
/// exhaust S2; and the speed-up of two workers over one on the same random exploration. Each rate is the best of
/// several timed explorations after a warm-up one.
/// </summary>
public sealed class ExploreBenchmark : IBenchmark
{
    private const string ScenarioName = "s02-vm-close-during-job-run";

    public string Name => "explore";

    public string Description => $"random schedules/s of {ScenarioName} under v2 on one core, dfs time to exhaust it, speed-up of 2 cores over 1";

    public JsonObject Run(BenchmarkOptions options)
    {
        var scenario = ScenarioLibrary.Load(ScenarioName);
        var world = Worlds.For(scenario);
        var budget = options.Quick ? 500 : 20_000;
        var reps = options.Quick ? 2 : 4;

        var one = Best(scenario, world, budget, 1, reps, options.Progress);
        var two = Best(scenario, world, budget, 2, reps, options.Progress);

        var watch = Stopwatch.StartNew();
        var dfs = Explorer.Explore(scenario, DesignCatalog.V2, new ExploreOptions { Strategy = "dfs", Budget = 10_000_000 }, world);
        watch.Stop();
        options.Progress.WriteLine($"dfs: {dfs.Schedules} schedules, exhausted {dfs.Exhausted}, {watch.Elapsed.TotalSeconds:F2} s");

        return new JsonObject
        {
            ["scenario"] = ScenarioName,
            ["schedules_per_s"] = Math.Round(one.SchedulesPerSecond),
            ["deliveries_per_s"] = Math.Round(one.DeliveriesPerSecond),
            ["dfs_exhaust_seconds"] = dfs.Exhausted ? Math.Round(watch.Elapsed.TotalSeconds, 3) : -1,
            ["dfs_schedules"] = dfs.Schedules,
            ["parallel_speedup"] = Math.Round(two.SchedulesPerSecond / one.SchedulesPerSecond, 3),
        };
    }

    private static (double SchedulesPerSecond, double DeliveriesPerSecond) Best(
        ScenarioSpec scenario, IWorldBuilder world, long budget, int threads, int reps, TextWriter progress)
    {
        var best = (0.0, 0.0);
        for (var rep = 0; rep <= reps; rep++)
        {
            var watch = Stopwatch.StartNew();
            var result = Explorer.Explore(scenario, DesignCatalog.V2,
                new ExploreOptions { Strategy = "random", Seed = (ulong)rep + 1, Budget = budget, Parallelism = threads }, world);
            var seconds = watch.Elapsed.TotalSeconds;
            var rate = (result.Schedules / seconds, result.Deliveries / seconds);
            progress.WriteLine($"random x{threads}: {result.Schedules} schedules in {seconds:F2} s ({rate.Item1:F0}/s){(rep == 0 ? " (warm-up)" : "")}");
            if (rep > 0 && rate.Item1 > best.Item1)
                best = rate;
        }
        return best;
    }
}
