using System.Collections.Concurrent;
using Gpuvmsim.Checking;
using Gpuvmsim.Domain.Designs;
using Gpuvmsim.Domain.Simulation;
using Gpuvmsim.Runtime.Scheduling;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Exploration;

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
        // Keep the schedule only of a run that witnesses an edge or holds the lowest index of a finding: a finding
        // common to many runs would otherwise keep thousands of strings alive, and format them, for nothing.
        var keep = result.NewEdges.Count != 0;
        Graph.Merge(result.NewEdges);
        foreach (var f in result.Findings)
        {
            // Most runs repeat a finding an earlier schedule already holds: a read, so that the cores do not take the
            // dictionary's lock and write its bucket for every schedule.
            if (byKey.TryGetValue(f.Key, out var held) && held.Index < index)
                continue;
            var kept = byKey.AddOrUpdate(f.Key, static (_, arg) => arg, static (_, old, arg) => arg.Index < old.Index ? arg : old, (Finding: f, Index: index));
            keep |= kept.Index == index;
        }
        if (keep)
            schedules[index] = result.Schedule.ToString();
    }

    /// <summary>
    /// The schedules the final result can depend on: each finding's first schedule and each dependency edge's
    /// earliest witness, in index order. Rerunning just these reproduces this collector's findings and graph.
    /// </summary>
    public IReadOnlyList<NotableSchedule> Notable =>
        [.. byKey.Values.Select(v => v.Index).Concat(Graph.Edges.Select(e => e.ScheduleIndex)).Distinct().Order()
            .Select(i => new NotableSchedule(i, schedules[i]))];

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
