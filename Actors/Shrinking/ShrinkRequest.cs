using Gpuvmsim.Domain.Designs;
using Gpuvmsim.Runtime.Scheduling;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Shrinking;

/// <summary>A failing run to shrink: the scenario and design it ran, its exact schedule, its lockdep witnesses, and the finding to keep.</summary>
/// <param name="ScheduleIndex">The run's index in its exploration.</param>
/// <param name="Witnesses">Other schedules whose dependency edges the finding needs (a lock-order inversion spanning runs).</param>
public sealed record ShrinkRequest(
    ScenarioSpec Scenario,
    Design Design,
    long ScheduleIndex,
    Schedule Schedule,
    IReadOnlyList<(long Index, Schedule Schedule)> Witnesses,
    ShrinkTarget Target)
{
    /// <summary>A run longer than this many deliveries is cut (and never counts as showing the finding).</summary>
    public long MaxSteps { get; init; } = 100_000;

    /// <summary>The most runs the shrink may make; it then returns the smallest run found so far.</summary>
    /// <summary>The replay budget a shrink gets unless told otherwise.</summary>
    public const int DefaultMaxReplays = 5_000;

    public int MaxReplays { get; init; } = DefaultMaxReplays;
}
