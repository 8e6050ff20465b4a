using Gpuvmsim.Domain.Designs;
using Gpuvmsim.Domain.Simulation;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Exploration;

/// <summary>
/// A random or pct exploration cut into ranges of schedule indices that any number of processes explore apart
/// and one merges. Schedule i is seeded from (seed, i) wherever it runs, and a range keeps every schedule that
/// can show up in the final result (<see cref="NotableSchedule"/>), so the merge reruns those few schedules and
/// ends with exactly what <see cref="Explorer.Explore"/> returns for the whole budget in one process.
/// </summary>
public static class RangeExploration
{
    /// <summary>The strategies whose schedules are independent of each other, hence splittable.</summary>
    public static IReadOnlyList<string> Strategies { get; } = ["random", "pct"];

    /// <summary>[start, end) ranges of at most <paramref name="rangeSize"/> schedules covering [0, budget).</summary>
    public static IReadOnlyList<(long Start, long End)> Split(long budget, long rangeSize)
    {
        if (budget <= 0)
            throw new InputException($"--budget must be > 0, got {budget}");
        if (rangeSize <= 0)
            throw new InputException($"--range-size must be > 0, got {rangeSize}");
        var ranges = new List<(long, long)>();
        for (var start = 0L; start < budget; start += rangeSize)
            ranges.Add((start, Math.Min(budget, start + rangeSize)));
        return ranges;
    }

    /// <summary>Runs schedules [<paramref name="start"/>, <paramref name="end"/>) of the exploration <paramref name="options"/> describe.</summary>
    public static RangeResult Explore(ScenarioSpec scenario, Design design, ExploreOptions options, IWorldBuilder world, long start, long end)
    {
        CheckStrategy(options);
        if (start < 0 || end <= start || end > options.Budget)
            throw new ArgumentOutOfRangeException(nameof(start), $"range [{start}, {end}) is not within [0, {options.Budget})");
        var collector = new FindingCollector();
        var deliveries = Explorer.RunSampledRange(scenario, design, options, world, collector, start, end);
        return new RangeResult(start, end, deliveries, collector.Notable);
    }

    /// <summary>Merges the results of ranges that together cover [0, budget) once each.</summary>
    /// <exception cref="InvalidOperationException">The ranges leave a gap or overlap, or a schedule reran differently (workers of different versions).</exception>
    public static ExplorationResult Merge(ScenarioSpec scenario, Design design, ExploreOptions options, IWorldBuilder world, IEnumerable<RangeResult> ranges)
    {
        CheckStrategy(options);
        var ordered = ranges.OrderBy(r => r.Start).ToList();
        var covered = 0L;
        foreach (var range in ordered)
        {
            if (range.Start != covered)
                throw new InvalidOperationException($"the ranges do not tile the budget: expected one starting at {covered}, got [{range.Start}, {range.End})");
            covered = range.End;
        }
        if (covered != options.Budget)
            throw new InvalidOperationException($"the ranges cover {covered} of {options.Budget} schedules");

        // In index order, so that each dependency edge is recorded by its earliest witness as in one process.
        var collector = new FindingCollector();
        foreach (var notable in ordered.SelectMany(r => r.Notable).OrderBy(n => n.Index))
        {
            var run = SimulationRun.Execute(new RunRequest(scenario, design, world, Explorer.SampledStrategy(options, notable.Index))
            {
                ScheduleIndex = notable.Index,
                KnownEdges = edge => collector.Graph.KnownBy(edge, notable.Index),
                MaxSteps = options.MaxStepsPerRun,
            });
            if (run.Schedule.ToString() != notable.Schedule)
                throw new InvalidOperationException($"schedule {notable.Index} reran differently from how its range recorded it (were the workers running different gpuvmsim versions?)");
            collector.Add(notable.Index, run);
        }
        var findings = collector.Resolve(scenario, design, options, world);
        return new ExplorationResult(
            scenario.Name, design.Name, options.Strategy, options.Seed, options.Budget, false, ordered.Sum(r => r.Deliveries), findings, collector.Graph);
    }

    private static void CheckStrategy(ExploreOptions options)
    {
        if (!Strategies.Contains(options.Strategy))
            throw new InputException($"--strategy: '{options.Strategy}' cannot be split into ranges; use one of {string.Join(", ", Strategies)}");
    }
}
