using Gpuvmsim.Runtime.Scheduling;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Shrinking;

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
