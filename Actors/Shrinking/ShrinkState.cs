using Gpuvmsim.Runtime.Scheduling;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Shrinking;

/// <summary>A lockdep witness of the run: another schedule whose dependency edges close the cycle, steered by its guide.</summary>
public sealed record WitnessGuide(long ScheduleIndex, ScheduleGuide Guide);

/// <summary>What to try: a scenario, the guide of its run and the guides of its witnesses.</summary>
/// <param name="ScheduleIndex">The run's index in its exploration (orders its lock dependencies after its witnesses').</param>
public sealed record ShrinkCandidate(ScenarioSpec Scenario, long ScheduleIndex, ScheduleGuide Guide, IReadOnlyList<WitnessGuide> Witnesses);

/// <summary>One run a candidate made: its exact schedule (replayable with the plain replay strategy), the same choices
/// named (a full guide), and its length in deliveries.</summary>
public sealed record GuidedRun(long ScheduleIndex, Schedule Schedule, ScheduleGuide Taken, long Deliveries);

/// <summary>A candidate that showed the finding, with the runs it made.</summary>
public sealed record ShrinkState(ShrinkCandidate Candidate, GuidedRun Run, IReadOnlyList<GuidedRun> WitnessRuns)
{
    public ScenarioSpec Scenario => Candidate.Scenario;

    /// <summary>The scripted steps of every context.</summary>
    public int Steps => StepsOf(Scenario);

    public static int StepsOf(ScenarioSpec scenario) => scenario.Contexts.Sum(c => c.Steps.Count);
}
