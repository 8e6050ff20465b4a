using System.Collections.Concurrent;
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
        long deliveries = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.EffectiveParallelism };
        Parallel.For(0L, budget, parallel, () => 0L, (index, _, local) =>
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
        return (budget, deliveries, false);
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

/// <summary>
/// Gathers findings and dependency edges from runs that may finish in any order on any core, keeping for each
/// distinct finding the run with the lowest index, so the merged result is the same whatever the order.
/// </summary>
internal sealed class FindingCollector
{
    private readonly ConcurrentDictionary<string, (Finding Finding, long Index)> byKey = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, string> schedules = new();

    public LockDependencyGraph Graph { get; } = new();

    public void Add(long index, RunResult result)
    {
        if (result.Findings.Count == 0 && result.NewEdges.Count == 0)
            return;
        // Resolve replays only the runs that witness an edge or hold the lowest index of a finding: a run whose
        // findings all were seen first by another keeps no schedule (a finding common to many runs would otherwise
        // keep thousands of strings alive, and format them, for nothing).
        var keep = result.NewEdges.Count != 0;
        Graph.Merge(result.NewEdges);
        foreach (var f in result.Findings)
        {
            var kept = byKey.AddOrUpdate(f.Key, static (_, arg) => arg, static (_, old, arg) => arg.Index < old.Index ? arg : old, (Finding: f, Index: index));
            keep |= kept.Index == index;
        }
        if (keep)
            schedules[index] = result.Schedule.ToString();
    }

    /// <summary>Final, ordered findings, each replayed once more (with its witnesses) to confirm it and record its trace.</summary>
    public IReadOnlyList<ExplorationFinding> Resolve(ScenarioSpec scenario, Design design, ExploreOptions options, IWorldBuilder world)
    {
        var witnessOf = Graph.Edges.ToDictionary(e => (e.From.Name, e.To.Name), e => e.ScheduleIndex);
        var all = byKey.Values.Select(v => (v.Finding, v.Index, Cycle: (IReadOnlyList<(string, string)>)[]))
            .Concat(Graph.FindInversions().Select(g => (g.Finding, Index: g.ScheduleIndex, Cycle: g.CycleEdges)))
            .OrderBy(f => f.Index).ThenBy(f => f.Finding.Step).ThenBy(f => f.Finding.Key, StringComparer.Ordinal)
            .ToList();
        var resolved = new List<ExplorationFinding>();
        foreach (var (finding, index, cycle) in all)
        {
            var witnesses = cycle.Select(edge => witnessOf[edge]).Where(i => i != index).Distinct().Order()
                .Select(i => (i, schedules[i])).ToList();
            var replay = Reproducer.Replay(new ReproductionRequest(scenario, design, index, Schedule.Parse(schedules[index]),
                witnesses.Select(w => (w.i, Schedule.Parse(w.Item2))).ToList()) { MaxSteps = options.MaxStepsPerRun, World = world });
            if (replay.Diverged is { } diverged)
                throw new InvalidOperationException($"schedule {index} of the exploration does not replay: {diverged.Message}", diverged);
            resolved.Add(new ExplorationFinding(finding, index, schedules[index], witnesses, replay));
        }
        return resolved;
    }
}
