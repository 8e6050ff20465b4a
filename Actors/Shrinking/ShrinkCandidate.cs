using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Shrinking;

/// <summary>A lockdep witness of the run: another schedule whose dependency edges close the cycle, steered by its guide.</summary>
public sealed record WitnessGuide(long ScheduleIndex, ScheduleGuide Guide);

/// <summary>What to try: a scenario, the guide of its run and the guides of its witnesses.</summary>
/// <param name="ScheduleIndex">The run's index in its exploration (orders its lock dependencies after its witnesses').</param>
public sealed record ShrinkCandidate(ScenarioSpec Scenario, long ScheduleIndex, ScheduleGuide Guide, IReadOnlyList<WitnessGuide> Witnesses);
