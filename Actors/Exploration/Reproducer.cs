using Gpuvmsim.Checking;
using Gpuvmsim.Domain.Designs;
using Gpuvmsim.Domain.Simulation;
using Gpuvmsim.Domain.World;
using Gpuvmsim.Messages.Journal;
using Gpuvmsim.Runtime.Deterministic;
using Gpuvmsim.Runtime.Scheduling;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Exploration;

/// <summary>One run to reproduce: its schedule and the schedules its lockdep witnesses came from.</summary>
/// <param name="ScheduleIndex">The run's index in its exploration (orders the dependency edges as the exploration did).</param>
/// <param name="Witnesses">Other schedules of the exploration whose edges close a lock-order cycle with this one.</param>
public sealed record ReproductionRequest(
    ScenarioSpec Scenario, Design Design, long ScheduleIndex, Schedule Schedule, IReadOnlyList<(long Index, Schedule Schedule)> Witnesses)
{
    public long MaxSteps { get; init; } = 100_000;

    /// <summary>The world of the scenario; <see cref="Worlds.For"/> when null.</summary>
    public IWorldBuilder? World { get; init; }

    /// <summary>The journal's world events: the replay is checked against them and restarted actors recover from them.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<WorldEvent>>? RecordedWorldEvents { get; init; }

    /// <summary>Inject a failure into the first world actor receiving a message at or after this step (null: none).</summary>
    public long? FailAtStep { get; init; }

    /// <summary>The lock-class graph the run's and witnesses' edges go into, for a caller that reads it afterwards (a new one when null).</summary>
    public LockDependencyGraph? Graph { get; init; }
}

/// <summary>What a reproduction showed.</summary>
/// <param name="Findings">The run's findings, then the lock-order inversions of the graph over the run and its witnesses.</param>
/// <param name="TraceText">The run's canonical trace, without the supervision deliveries of an injected failure.</param>
/// <param name="Diverged">The schedule stopped fitting (the scenario or the simulator changed since it was recorded).</param>
/// <param name="Faults">The injected failure, when one was asked for.</param>
public sealed record Reproduction(
    RunResult? Run,
    IReadOnlyList<Finding> Findings,
    string TraceText,
    ScheduleDivergedException? Diverged,
    FaultInjector? Faults)
{
    public string TraceSha256 => TraceHash.Sha256(TraceText);

    public IReadOnlyList<string> Verdict => Findings.Select(f => f.Kind).Distinct(StringComparer.Ordinal).ToList();

    public WorldEventDivergence? WorldEventDivergence => Run?.WorldEvents.Divergence;
}

/// <summary>
/// Replays a recorded run exactly: the actors are rebuilt under their supervisor from the scenario and the design, the
/// recorded schedule chooses every delivery and value, and the lock-class graph gathers the edges of the run and of
/// its witnesses, as the exploration that found it did, so every finding comes back, lock-order inversions included.
/// </summary>
public static class Reproducer
{
    public static Reproduction Replay(ReproductionRequest request)
    {
        var world = request.World ?? Worlds.For(request.Scenario);
        var graph = request.Graph ?? new LockDependencyGraph();
        foreach (var (index, schedule) in request.Witnesses)
        {
            var witness = SimulationRun.Execute(SimulationRun.ReplayOf(request.Scenario, request.Design, world, schedule) with
            {
                ScheduleIndex = index,
                MaxSteps = request.MaxSteps,
            });
            graph.Merge(witness.NewEdges);
        }

        var replay = request.FailAtStep is long failAt
            ? SimulationRun.SupervisedReplayOf(request.Scenario, request.Design, world, request.Schedule, failAt)
            : SimulationRun.ReplayOf(request.Scenario, request.Design, world, request.Schedule) with { RecordWorldEvents = true };
        RunResult run;
        try
        {
            run = SimulationRun.Execute(replay with
            {
                ScheduleIndex = request.ScheduleIndex,
                MaxSteps = request.MaxSteps,
                RecordEvents = true,
                Trace = true,
                RecordedWorldEvents = request.RecordedWorldEvents,
            });
        }
        catch (ScheduleDivergedException diverged)
        {
            return new Reproduction(null, [], "", diverged, replay.Faults);
        }
        var repairs = (replay.Strategy as SupervisedReplayStrategy)?.RepairSteps ?? [];
        return new Reproduction(run, FindingsOf(run, graph), TraceSteps.Without(run.TraceText!, repairs), null, replay.Faults);
    }

    /// <summary>A run's own findings, then the lock-order inversions once its edges join <paramref name="graph"/>.</summary>
    public static IReadOnlyList<Finding> FindingsOf(RunResult run, LockDependencyGraph graph)
    {
        graph.Merge(run.NewEdges);
        return [.. run.Findings, .. graph.FindInversions().Select(g => g.Finding)];
    }
}
