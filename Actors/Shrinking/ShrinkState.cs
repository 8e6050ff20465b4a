using Gpuvmsim.Runtime.Scheduling;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Shrinking;

/// <summary>
/// One run a candidate made: its exact schedule (replayable with the plain replay strategy) and the same choices named
/// (a full guide). Naming walks every choice, and only an accepted run's guide is ever read, so it is named on demand.
/// </summary>
public sealed class GuidedRun(long scheduleIndex, Schedule schedule, Func<ScheduleGuide> nameChoices)
{
    private readonly Lazy<ScheduleGuide> taken = new(nameChoices, LazyThreadSafetyMode.None);

    public long ScheduleIndex { get; } = scheduleIndex;

    public Schedule Schedule { get; } = schedule;

    public ScheduleGuide Taken => taken.Value;
}

/// <summary>A candidate that showed the finding, with the runs it made.</summary>
public sealed record ShrinkState(ShrinkCandidate Candidate, GuidedRun Run, IReadOnlyList<GuidedRun> WitnessRuns)
{
    public ScenarioSpec Scenario => Candidate.Scenario;

    /// <summary>The scripted steps of every context.</summary>
    public int Steps => StepsOf(Scenario);

    public static int StepsOf(ScenarioSpec scenario) => scenario.Contexts.Sum(c => c.Steps.Count);
}
