namespace Gpuvmsim.Runtime.Scheduling;

/// <summary>
/// A replayed schedule does not fit the run: at <see cref="Step"/> the schedule's next choice (<see cref="Expected"/>)
/// is not possible, given what was enabled or asked (<see cref="Found"/>). Usually the actor program is not
/// deterministic (wall clock, shared statics, threads) or changed since the schedule was recorded.
/// </summary>
public sealed class ScheduleDivergedException : Exception
{
    public ScheduleDivergedException(string strategy, long step, int scheduleIndex, string expected, string found)
        : base($"Schedule diverged at step {step} (choice #{scheduleIndex}) under {strategy}: the schedule expects {expected}, but {found}.")
    {
        Strategy = strategy;
        Step = step;
        ScheduleIndex = scheduleIndex;
        Expected = expected;
        Found = found;
    }

    /// <summary>The strategy description, e.g. <c>replay[choices:120]</c>.</summary>
    public string Strategy { get; }

    /// <summary>The delivery step (0-based) at which replay failed.</summary>
    public long Step { get; }

    /// <summary>Index of the failed choice in the schedule.</summary>
    public int ScheduleIndex { get; }

    public string Expected { get; }

    public string Found { get; }
}
