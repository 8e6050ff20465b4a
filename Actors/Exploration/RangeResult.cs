namespace Gpuvmsim.Exploration;

/// <summary>A schedule a range's result depends on: it showed a finding first, or witnessed a dependency edge first.</summary>
/// <param name="Schedule">Its compact encoding, to check that the merge reran the same schedule.</param>
public sealed record NotableSchedule(long Index, string Schedule);

/// <summary>
/// What exploring sampled schedules [<paramref name="Start"/>, <paramref name="End"/>) found, small enough to store:
/// the deliveries they made and the few schedules any finding or dependency edge of the whole exploration can come from.
/// </summary>
public sealed record RangeResult(long Start, long End, long Deliveries, IReadOnlyList<NotableSchedule> Notable);
