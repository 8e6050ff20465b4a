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
/// exhaust S2; and the speed-up of two workers over one on the same random exploration, next to the speed-ups the
/// machine gives two threads of latency-bound and of throughput-bound compute and of memory-bound work
/// (<see cref="ParallelBaseline"/>): on two vCPUs that share a physical core the second is far below 2, and on a host
/// whose memory bus is busy the third is, and so is any allocating simulation's. Each rate is the best
/// of several timed explorations, after warm-up explorations long enough for tiered compilation to settle
/// (<see cref="JitWarmUp"/>: its background compiles would otherwise take a core from the two-thread runs).
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
        // The two-thread runs need both vCPUs to get a core of their own at once, which on a shared host comes and goes
        // within seconds: many short pairs give both variants better odds of meeting a quiet moment than a few long
        // ones. 10,000 schedules still take a tenth of a second on two threads, against about a millisecond of serial
        // work per exploration (its findings are replayed once at the end).
        var budget = options.Quick ? 500 : 10_000;
        var reps = options.Quick ? 2 : 16;

        JitWarmUp.Run("explore", options, () =>
        {
            Measure(scenario, world, budget, 1, 0, options.Progress);
            Measure(scenario, world, budget, 2, 0, options.Progress);
        });

        // One and two threads alternate, with the machine's own two-thread speed-ups measured between them, so that
        // a change in the host's load falls on all of them alike.
        (double SchedulesPerSecond, double DeliveriesPerSecond) one = default, two = default;
        var (latencyBound, throughputBound, memoryBound) = (0.0, 0.0, 0.0);
        var pairRatios = new List<double>();
        for (var rep = 1; rep <= reps; rep++)
        {
            var x1 = Measure(scenario, world, budget, 1, rep, options.Progress);
            var x2 = Measure(scenario, world, budget, 2, rep, options.Progress);
            var latency = ParallelBaseline.Speedup(ParallelBaseline.Work.LatencyBound, 1_000);
            var throughput = ParallelBaseline.Speedup(ParallelBaseline.Work.ThroughputBound, 1_000);
            var memory = ParallelBaseline.Speedup(ParallelBaseline.Work.MemoryBound, 1_000);
            options.Progress.WriteLine($"machine: 2 threads run {latency:F2}x the latency-bound and {throughput:F2}x the throughput-bound compute of 1, " +
                $"{memory:F2}x the memory-bound work");
            one = x1.SchedulesPerSecond > one.SchedulesPerSecond ? x1 : one;
            two = x2.SchedulesPerSecond > two.SchedulesPerSecond ? x2 : two;
            (latencyBound, throughputBound, memoryBound) = (Math.Max(latencyBound, latency), Math.Max(throughputBound, throughput), Math.Max(memoryBound, memory));
            pairRatios.Add(x2.SchedulesPerSecond / x1.SchedulesPerSecond);
        }
        pairRatios.Sort();
        options.Progress.WriteLine($"two threads over one: best of each {two.SchedulesPerSecond / one.SchedulesPerSecond:F2}; " +
            $"pair by pair median {pairRatios[pairRatios.Count / 2]:F2}, range {pairRatios[0]:F2}-{pairRatios[^1]:F2}");

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
            ["machine_parallel_speedup"] = Math.Round(latencyBound, 3),
            ["machine_throughput_speedup"] = Math.Round(throughputBound, 3),
            ["machine_memory_speedup"] = Math.Round(memoryBound, 3),
        };
    }

    private static (double SchedulesPerSecond, double DeliveriesPerSecond) Measure(
        ScenarioSpec scenario, IWorldBuilder world, long budget, int threads, int rep, TextWriter progress)
    {
        var (gen0, paused) = (GC.CollectionCount(0), GC.GetTotalPauseDuration());
        var watch = Stopwatch.StartNew();
        var result = Explorer.Explore(scenario, DesignCatalog.V2,
            new ExploreOptions { Strategy = "random", Seed = (ulong)rep + 1, Budget = budget, Parallelism = threads }, world);
        var seconds = watch.Elapsed.TotalSeconds;
        var rate = (result.Schedules / seconds, result.Deliveries / seconds);
        progress.WriteLine($"random x{threads}: {result.Schedules} schedules in {seconds:F2} s ({rate.Item1:F0}/s), " +
            $"{GC.CollectionCount(0) - gen0} gen0 GCs pausing {(GC.GetTotalPauseDuration() - paused).TotalSeconds:F2} s{(rep == 0 ? " (warm-up)" : "")}");
        return rate;
    }
}
