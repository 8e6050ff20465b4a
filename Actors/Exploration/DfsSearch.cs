using Gpuvmsim.Domain.Designs;
using Gpuvmsim.Domain.Simulation;
using Gpuvmsim.Runtime.Deterministic;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Exploration;

/// <summary>
/// Exhaustive exploration: depth-first over every choice point (<see cref="DfsStrategy"/>, with sleep-set
/// partial-order reduction), pruning a run as soon as it reaches a global state — every actor's state, every message
/// in flight, and the age order of the live ww stamps — already explored with a sleep set no larger than the current one.
///
/// Parallel and still deterministic: the tree is split at its first branching choice point into one subtree per
/// option — a split that depends on the scenario, never on the core count — and each subtree is searched on its own
/// (own visited-state map, own share of the budget; earlier siblings count as explored for its sleep sets). Subtrees
/// are merged in option order, so the schedule count, the findings and their schedules are the same on any core count.
/// </summary>
internal static class DfsSearch
{
    public static (long Schedules, long Deliveries, bool Exhausted) Run(
        ScenarioSpec scenario, Design design, ExploreOptions options, IWorldBuilder world, FindingCollector collector)
    {
        // The first run (first option everywhere) finds where the tree first branches.
        var probe = new DfsStrategy { Reduce = options.Reduce };
        var first = Execute(scenario, design, options, world, probe, 0, visited: null);
        var path = probe.Path;
        var split = path.ToList().FindIndex(p => p.Width > 1);
        if (split < 0)
        {
            collector.Add(0, first);
            return (1, first.Steps, first.End != RunEnd.StepLimit);
        }

        var width = path[split].Width;
        // Every searched subtree costs at least one run: with more options than budget only the first Budget are searched.
        var searched = (int)Math.Min(width, options.Budget);
        // The probe delivered only the first option at the split. The subtrees put the other options in sleep sets
        // too, and a sleeping delivery that takes a ww stamp does not commute with another that takes one, so each
        // option's stamp-taking is learnt first (assuming "no stamp" let a subtree skip stamp orders it must explore).
        if (options.Reduce && !probe.IsValueChoice(split)) // without reduction no subtree sleeps anything
        {
            // Subtree i sleeps only options before i: the last searched option's stamp-taking is never read.
            for (var option = 1; option < searched - 1; option++)
                probe.RecordTookStamp(split, option, DeliveryTakesStamp(scenario, design, options, world, probe, [.. path.Take(split), (option, width)]));
        }
        var subtrees = Enumerable.Range(0, searched).Select(option => path.Take(split).Append((option, width)).ToList()).ToList();
        var budgetEach = Math.Max(1, options.Budget / width);
        var outcomes = new (long Schedules, long Deliveries, bool Exhausted)[searched];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.EffectiveParallelism };
        Parallel.For(0, searched, parallel, i =>
            outcomes[i] = SearchSubtree(scenario, design, options, world, collector, probe, subtrees[i], i, budgetEach));
        return (outcomes.Sum(o => o.Schedules), outcomes.Sum(o => o.Deliveries), searched == width && outcomes.All(o => o.Exhausted));
    }

    private static (long, long, bool) SearchSubtree(
        ScenarioSpec scenario, Design design, ExploreOptions options, IWorldBuilder world, FindingCollector collector,
        DfsStrategy probe, List<(int Choice, int Width)> prefix, int subtree, long budget)
    {
        var strategy = new DfsStrategy { Reduce = options.Reduce };
        strategy.StartBelow(prefix, probe);
        var visited = new Dictionary<ulong, List<DfsStrategy.Asleep>>();
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
        while (strategy.Advance());
        return (runs, deliveries, complete);
    }

    /// <summary>Replays <paramref name="prefix"/> and tells whether its last delivery took a ww stamp.</summary>
    private static bool DeliveryTakesStamp(
        ScenarioSpec scenario, Design design, ExploreOptions options, IWorldBuilder world, DfsStrategy probe,
        List<(int Choice, int Width)> prefix)
    {
        var strategy = new DfsStrategy { Reduce = options.Reduce };
        strategy.StartBelow(prefix, probe);
        long stamps = 0;
        SimulationRun.Execute(new RunRequest(scenario, design, world, strategy)
        {
            MaxSteps = options.MaxStepsPerRun,
            AfterStep = (_, monitor) =>
            {
                strategy.Delivered(monitor.WwStampsIssued != stamps);
                stamps = monitor.WwStampsIssued;
                return !strategy.PastPrefix;
            },
        });
        return strategy.ChosenTookStamp(prefix.Count - 1);
    }

    private static RunResult Execute(
        ScenarioSpec scenario, Design design, ExploreOptions options, IWorldBuilder world, DfsStrategy strategy, long index,
        Dictionary<ulong, List<DfsStrategy.Asleep>>? visited)
    {
        long stamps = 0;
        return SimulationRun.Execute(new RunRequest(scenario, design, world, strategy)
        {
            ScheduleIndex = index,
            MaxSteps = options.MaxStepsPerRun,
            TrackState = true,
            OnStart = (driver, monitor) => strategy.Identify = candidate =>
            {
                var h = new StateHasher();
                monitor.AddMessageState(ref h, driver.PeekMessage(candidate));
                return h.Value;
            },
            AfterStep = (driver, monitor) =>
            {
                var tookStamp = monitor.WwStampsIssued != stamps;
                stamps = monitor.WwStampsIssued;
                strategy.Delivered(tookStamp);
                if (strategy.AllAsleep)
                    return false;
                if (visited is null || !strategy.PastPrefix)
                    return true;
                var hasher = new StateHasher();
                hasher.Add((long)(driver.ComputeStateHash(monitor.MessageStates)
                    ?? throw new InvalidOperationException("dfs needs every actor of the world to be state-hashable")));
                monitor.AddWwStampOrder(ref hasher);
                return Visit(visited, hasher.Value, strategy.SleepSet);
            },
        });
    }

    /// <summary>
    /// Records a state with the sleep set it is explored with. A state seen before needs no second exploration if it
    /// was explored with a subset of the current sleep set (everything awake now was awake then); otherwise it is
    /// explored again and remembered with the intersection.
    /// </summary>
    private static bool Visit(Dictionary<ulong, List<DfsStrategy.Asleep>> visited, ulong state, IReadOnlyList<DfsStrategy.Asleep> sleep)
    {
        if (!visited.TryGetValue(state, out var stored))
        {
            visited[state] = [.. sleep];
            return true;
        }
        if (stored.TrueForAll(s => sleep.Contains(s)))
            return false;
        stored.RemoveAll(s => !sleep.Contains(s));
        return true;
    }
}
