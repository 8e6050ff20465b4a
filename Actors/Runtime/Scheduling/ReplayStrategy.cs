namespace Gpuvmsim.Runtime.Scheduling;

/// <summary>Replays <see cref="Schedule"/> exactly. Running past its end is a divergence (the program made more
/// choices than recorded), so a replay either reproduces the run or says where it stopped fitting.</summary>
public sealed class ReplayStrategy : ExplorationStrategy
{
    public const string StrategyName = "replay";

    public ReplayStrategy(Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        Schedule = schedule;
        SetReplayPrefix(schedule);
    }

    public Schedule Schedule { get; }

    public override string Name => StrategyName;

    public override string Description => $"replay[choices:{Schedule.Count}]";

    protected override int ChooseDelivery(ReadOnlySpan<DeliveryCandidate> enabled, long step) =>
        throw new ScheduleDivergedException(Description, step, Schedule.Count, "no further choice (the schedule has ended)",
            $"{enabled.Length} deliveries are still enabled");

    protected override int ChooseValue(int count, long step) =>
        throw new ScheduleDivergedException(Description, step, Schedule.Count, "no further choice (the schedule has ended)",
            $"the program asked for a value in [0, {count})");
}
