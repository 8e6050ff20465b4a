using Gpuvmsim.Domain.Designs;
using Gpuvmsim.Domain.Simulation;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Exploration;

/// <summary>
/// Exhaustive exploration: depth-first over every choice point, pruning a run as soon as it reaches a global state
/// (every actor's state and every message in flight, <c>ComputeStateHash</c>) already explored.
///
/// Parallel and still deterministic: the tree is split at its first branching choice point into one subtree per
/// option — a split that depends on the scenario, never on the core count — and each subtree is searched on its own
/// (own visited-state set, own share of the budget). Subtrees are merged in option order, so the schedule count,
/// the findings and their representative schedules are the same on one core or many.
/// </summary>
internal static class DfsSearch
{
    public static (long Schedules, long Deliveries, bool Exhausted) Run(
        ScenarioSpec scenario, Design design, ExploreOptions options, IWorldBuilder world, FindingCollector collector)
    {
        // The first run (option 0 everywhere) finds where the tree first branches.
        var probe = new DfsStrategy();
        var first = Execute(scenario, design, options, world, probe, 0, visited: null);
        var path = probe.Path;
        var split = path.ToList().FindIndex(p => p.Width > 1);
        if (split < 0)
        {
            collector.Add(0, first);
            return (1, first.Steps, first.End != RunEnd.StepLimit);
        }

        var width = path[split].Width;
        var subtrees = Enumerable.Range(0, width)
            .Select(option => path.Take(split).Append((option, width)).ToList())
            .ToList();
        var budgetEach = Math.Max(1, options.Budget / width);
        var outcomes = new (long Schedules, long Deliveries, bool Exhausted)[width];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.EffectiveParallelism };
        Parallel.For(0, width, parallel, i =>
            outcomes[i] = SearchSubtree(scenario, design, options, world, collector, subtrees[i], i, budgetEach));
        return (outcomes.Sum(o => o.Schedules), outcomes.Sum(o => o.Deliveries), outcomes.All(o => o.Exhausted));
    }

    private static (long, long, bool) SearchSubtree(
        ScenarioSpec scenario, Design design, ExploreOptions options, IWorldBuilder world, FindingCollector collector,
        List<(int Choice, int Width)> prefix, int subtree, long budget)
    {
        var strategy = new DfsStrategy();
        strategy.StartBelow(prefix);
        var visited = new HashSet<ulong>();
        long runs = 0, deliveries = 0;
        var complete = true;
        do
        {
            // Schedule indices are unique across subtrees and ordered subtree-major.
            var index = subtree * (budget + 1) + runs;
            var result = Execute(scenario, design, options, world, strategy, index, visited);
            collector.Add(index, result);
            runs++;
            deliveries += result.Steps;
            complete &= result.End != RunEnd.StepLimit;
            if (runs >= budget)
                return (runs, deliveries, false);
        }
        while (strategy.AdvanceWithinSubtree());
        return (runs, deliveries, complete);
    }

    private static RunResult Execute(
        ScenarioSpec scenario, Design design, ExploreOptions options, IWorldBuilder world, DfsStrategy strategy, long index, HashSet<ulong>? visited) =>
        SimulationRun.Execute(new RunRequest(scenario, design, world, strategy)
        {
            ScheduleIndex = index,
            MaxSteps = options.MaxStepsPerRun,
            AfterStep = visited is null ? null : driver =>
            {
                if (!strategy.PastPrefix)
                    return true;
                var hash = driver.ComputeStateHash()
                    ?? throw new InvalidOperationException("dfs needs every actor of the world to be state-hashable");
                return visited.Add(hash);
            },
        });
}
