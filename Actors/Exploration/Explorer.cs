using Gpuvmsim.Checking;
using Gpuvmsim.Domain.Designs;
using Gpuvmsim.Domain.Simulation;
using Gpuvmsim.Runtime.Scheduling;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Exploration;

/// <summary>
/// Explores the schedules of a scenario under a design and gathers what they found.
/// <list type="bullet">
/// <item><c>random</c>/<c>pct</c>/<c>fifo</c>: schedule i runs with a strategy seeded from (seed, i); schedules are spread
/// over the cores and merged by index, so every result is independent of the core count;</item>
/// <item><c>dfs</c>: exhaustive, see <see cref="DfsSearch"/>.</item>
/// </list>
/// The lock-class dependency graph is gathered over all schedules; its cycles are lock-order inversions even
/// when no schedule deadlocked. Each distinct finding is listed once, with the first schedule (lowest index) that
/// showed it, its replayable schedule string, the SHA-256 of its trace, and its interleaving.
/// </summary>
public static class Explorer
{
    public static ExplorationResult Explore(ScenarioSpec scenario, Design design, ExploreOptions options, IWorldBuilder world)
    {
        if (!ExploreOptions.Strategies.Contains(options.Strategy))
            throw new InputException($"unknown strategy '{options.Strategy}'; valid strategies: {string.Join(", ", ExploreOptions.Strategies)}");
        if (options.Budget <= 0)
            throw new InputException($"--budget must be > 0, got {options.Budget}");

        var collector = new FindingCollector();
        long schedules, deliveries;
        bool exhausted;
        if (options.Strategy == DfsStrategy.StrategyName)
            (schedules, deliveries, exhausted) = DfsSearch.Run(scenario, design, options, world, collector);
        else
            (schedules, deliveries, exhausted) = RunSampled(scenario, design, options, world, collector);

        var findings = collector.Resolve(scenario, design, options, world);
        return new ExplorationResult(scenario.Name, design.Name, options.Strategy, options.Seed, schedules, exhausted, deliveries, findings, collector.Graph);
    }

    /// <summary>
    /// One schedule (<c>gpuvmsim run</c>): schedule 0 of the sampled strategy, recorded in full (trace, interleaving,
    /// world events) so that it can be journaled whatever it found.
    /// </summary>
    public static (ExplorationResult Result, Reproduction Run) RunOnce(ScenarioSpec scenario, Design design, ExploreOptions options, IWorldBuilder world)
    {
        var run = SimulationRun.Execute(new RunRequest(scenario, design, world, SampledStrategy(options, 0))
        {
            RecordEvents = true,
            RecordWorldEvents = true,
            Trace = true,
            MaxSteps = options.MaxStepsPerRun,
        });
        var graph = new LockDependencyGraph();
        var reproduction = new Reproduction(run, Reproducer.FindingsOf(run, graph), run.TraceText!, null, null);
        var schedule = run.Schedule.ToString();
        var findings = reproduction.Findings.DistinctBy(f => f.Key)
            .OrderBy(f => f.Step).ThenBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => new ExplorationFinding(f, 0, schedule, [], reproduction)).ToList();
        return (new ExplorationResult(scenario.Name, design.Name, options.Strategy, options.Seed, 1, false, run.Steps, findings, graph), reproduction);
    }

    /// <summary>The strategy of sampled schedule <paramref name="index"/>: a pure function of (options, index).</summary>
    public static ExplorationStrategy SampledStrategy(ExploreOptions options, long index)
    {
        var strategy = StrategyFactory.Create(options.Strategy, DeriveSeed(options.Seed, index), options.PctDepth);
        strategy.PrepareIteration((int)Math.Min(index, int.MaxValue));
        return strategy;
    }

    private static (long, long, bool) RunSampled(ScenarioSpec scenario, Design design, ExploreOptions options, IWorldBuilder world, FindingCollector collector)
    {
        // A fifo schedule is the same every time: one run says everything.
        var budget = options.Strategy == "fifo" ? 1 : options.Budget;
        return (budget, RunSampledRange(scenario, design, options, world, collector, 0, budget), false);
    }

    /// <summary>Runs sampled schedules [<paramref name="start"/>, <paramref name="end"/>) into <paramref name="collector"/>; returns their deliveries.</summary>
    internal static long RunSampledRange(
        ScenarioSpec scenario, Design design, ExploreOptions options, IWorldBuilder world, FindingCollector collector, long start, long end)
    {
        long deliveries = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.EffectiveParallelism };
        Parallel.For(start, end, parallel, () => 0L, (index, _, local) =>
        {
            var result = SimulationRun.Execute(new RunRequest(scenario, design, world, SampledStrategy(options, index))
            {
                ScheduleIndex = index,
                KnownEdges = edge => collector.Graph.KnownBy(edge, index),
                MaxSteps = options.MaxStepsPerRun,
            });
            collector.Add(index, result);
            return local + result.Steps;
        }, local => Interlocked.Add(ref deliveries, local));
        return deliveries;
    }

    /// <summary>SplitMix64 of (seed, index): independent, reproducible per-schedule seeds.</summary>
    internal static ulong DeriveSeed(ulong seed, long index)
    {
        var z = seed + 0x9E3779B97F4A7C15UL * (ulong)(index + 1);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
