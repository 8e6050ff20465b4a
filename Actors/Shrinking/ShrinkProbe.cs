using Gpuvmsim.Checking;
using Gpuvmsim.Domain.Designs;
using Gpuvmsim.Domain.Simulation;
using Gpuvmsim.Exploration;
using Gpuvmsim.Runtime.Deterministic;
using Gpuvmsim.Runtime.Scheduling;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Shrinking;

/// <summary>
/// Runs shrink candidates and says whether they still show the target finding: the witnesses first, then the run,
/// each steered by its guide (<see cref="LenientReplayStrategy"/>) to the end, with one lock-class graph over all of
/// them as the exploration had. Counts every run against a budget; once it is spent, no candidate reproduces.
/// </summary>
internal sealed class ShrinkProbe(Design design, ShrinkTarget target, long maxSteps, int maxReplays)
{
    /// <summary>Runs made so far (witness runs included).</summary>
    public int Replays { get; private set; }

    /// <summary>The budget ran out: reducers stop and the shrink returns the smallest run found so far.</summary>
    public bool Exhausted { get; private set; }

    /// <summary>Candidates the simulator itself failed on (a bug to report, never taken as a smaller run).</summary>
    public int SimulatorFailures { get; private set; }

    /// <summary>The candidate's state when its runs show the target finding; null otherwise.</summary>
    public ShrinkState? Try(ShrinkCandidate candidate)
    {
        var runsNeeded = candidate.Witnesses.Count + 1;
        if (Replays + runsNeeded > maxReplays)
        {
            Exhausted = true;
            return null;
        }
        Replays += runsNeeded;
        try
        {
            var graph = new LockDependencyGraph();
            var world = Worlds.For(candidate.Scenario);
            var witnessRuns = new List<GuidedRun>();
            foreach (var witness in candidate.Witnesses)
            {
                var (witnessRun, result) = Run(candidate, witness.Guide, witness.ScheduleIndex, world);
                graph.Merge(result.NewEdges);
                witnessRuns.Add(witnessRun);
            }
            var (run, main) = Run(candidate, candidate.Guide, candidate.ScheduleIndex, world);
            if (main.End != RunEnd.Quiescent || !target.IsShownBy(Reproducer.FindingsOf(main, graph)))
                return null;
            return new ShrinkState(candidate, run, witnessRuns);
        }
        catch (InvalidOperationException)
        {
            SimulatorFailures++;
            return null;
        }
    }

    /// <summary>
    /// A change to <paramref name="current"/> (a smaller scenario, fewer witnesses) changes the run, so a guide that
    /// fitted the old run may miss: tries the current guide, then every choice of the current run (which keeps the order
    /// of everything the change left alone), then none (the oldest message first).
    /// </summary>
    public ShrinkState? TryGuides(ShrinkState current, ShrinkCandidate changed)
    {
        var tried = new List<ScheduleGuide>();
        foreach (var guide in new[] { current.Candidate.Guide, current.Run.Taken, ScheduleGuide.Empty })
        {
            if (Exhausted)
                break;
            if (tried.Exists(t => t.Choices.SequenceEqual(guide.Choices)))
                continue;
            tried.Add(guide);
            if (Try(changed with { Guide = guide }) is { } accepted)
                return accepted;
        }
        return null;
    }

    /// <summary>The full guide of a recorded run: replays it exactly and names each of its choices.</summary>
    public ScheduleGuide GuideOf(ScenarioSpec scenario, Schedule schedule)
    {
        DeterministicDriver? driver = null;
        Replays++;
        var replay = SimulationRun.ReplayOf(scenario, design, Worlds.For(scenario), schedule);
        var result = SimulationRun.Execute(replay with { OnStart = (d, _) => driver = d, MaxSteps = maxSteps });
        return ScheduleGuide.Of(result.Schedule, driver!);
    }

    private (GuidedRun, RunResult) Run(ShrinkCandidate candidate, ScheduleGuide guide, long scheduleIndex, IWorldBuilder world)
    {
        var strategy = new LenientReplayStrategy(guide);
        DeterministicDriver? driver = null;
        var result = SimulationRun.Execute(new RunRequest(candidate.Scenario, design, world, strategy)
        {
            ScheduleIndex = scheduleIndex,
            MaxSteps = maxSteps,
            OnStart = (d, _) =>
            {
                driver = d;
                strategy.Attach(d);
            },
        });
        return (new GuidedRun(scheduleIndex, result.Schedule, () => ScheduleGuide.Of(result.Schedule, driver!)), result);
    }
}
