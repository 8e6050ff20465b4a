using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Shrinking;

/// <summary>
/// Reduces a failing run to a shorter one that shows the same finding (same kind, same key), deterministically:
/// <list type="number">
/// <item>the recorded schedule is replayed once and named (<see cref="ScheduleGuide"/>), and must show the finding;</item>
/// <item>rounds of: dropping the witness runs the finding does not need, scenario reduction (<see cref="ScenarioReducer"/>),
/// schedule reduction (<see cref="ScheduleReducer"/>); until a round changes nothing or the replay budget is spent.</item>
/// </list>
/// The result's schedules are the exact recordings of its runs, so the plain replay strategy reproduces them.
/// </summary>
public static class Shrinker
{
    /// <exception cref="InputException">The recorded run does not show the finding any more, or the budget cannot replay it once.</exception>
    public static ShrinkResult Shrink(ShrinkRequest request)
    {
        var probe = new ShrinkProbe(request.Design, request.Target, request.MaxSteps, request.MaxReplays);
        var original = new ShrinkCandidate(
            request.Scenario,
            request.ScheduleIndex,
            probe.GuideOf(request.Scenario, request.Schedule),
            [.. request.Witnesses.Select(w => new WitnessGuide(w.Index, probe.GuideOf(request.Scenario, w.Schedule)))]);
        var state = probe.Try(original) ?? throw new InputException(probe.Exhausted
            ? $"a replay budget of {request.MaxReplays} does not cover replaying the recorded run once"
            : $"the recorded run does not show {request.Target.Key} when replayed; there is nothing to shrink");

        var rounds = 0;
        while (!probe.Exhausted)
        {
            rounds++;
            var before = Size(state);
            state = DropWitnesses(state, probe);
            state = ScenarioReducer.Reduce(state, probe);
            state = ScheduleReducer.Reduce(state, probe);
            if (Size(state) == before)
                break;
        }
        return new ShrinkResult(
            state.Scenario,
            state.Run.Schedule,
            [.. state.WitnessRuns.Select(w => (w.ScheduleIndex, w.Schedule))],
            state.Candidate.Guide.Count,
            rounds,
            probe.Replays,
            probe.Exhausted,
            probe.SimulatorFailures);
    }

    private static ShrinkState DropWitnesses(ShrinkState state, ShrinkProbe probe)
    {
        for (var i = 0; i < state.Candidate.Witnesses.Count && !probe.Exhausted;)
        {
            var fewer = state.Candidate with { Witnesses = [.. state.Candidate.Witnesses.Where((_, j) => j != i)] };
            if (probe.TryGuides(state, fewer) is { } accepted)
                state = accepted;
            else
                i++;
        }
        return state;
    }

    /// <summary>What a round can shrink: every part of the scenario, the guide and the run.</summary>
    private static (int, int, int, int, int) Size(ShrinkState state)
    {
        var s = state.Scenario;
        var objects = s.Contexts.Count + s.Locks.Count + s.Vms.Count + s.Bos.Count + s.Queues.Count + s.Fences.Count + s.InitialMappings.Count;
        return (state.Candidate.Witnesses.Count, state.Steps, objects, state.Candidate.Guide.Count, state.Run.Schedule.Count);
    }
}
