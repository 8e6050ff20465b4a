using Gpuvmsim.Runtime.Scheduling;

namespace Gpuvmsim.Domain.Simulation;

/// <summary>
/// Replays a recorded schedule while a supervisor repairs an injected failure: the supervision deliveries of the
/// failed actor (<c>Failed</c> to its parent, <c>Recreate</c> back) are made as soon as they are enabled, outside the
/// recorded schedule, and everything else follows the schedule. <see cref="RepairSteps"/> lists the steps taken
/// outside it, so the trace without them can be compared with the recorded one.
/// </summary>
public sealed class SupervisedReplayStrategy(ReplayStrategy recorded, FaultInjector faults) : ExplorationStrategy
{
    private readonly List<long> repairSteps = [];

    public override string Name => ReplayStrategy.StrategyName;

    public override string Description => recorded.Description + "+supervision";

    public IReadOnlyList<long> RepairSteps => repairSteps;

    /// <summary>Recorded choices are left, or the supervisor has not finished its repair.</summary>
    public bool HasMore => recorded.IsReplaying || faults.RepairPending;

    protected override int ChooseDelivery(ReadOnlySpan<DeliveryCandidate> enabled, long step)
    {
        if (faults.RepairPending && faults.FailedActorId is int actor)
        {
            for (var i = 0; i < enabled.Length; i++)
            {
                if (enabled[i].IsSystem && (enabled[i].SenderId == actor || enabled[i].ReceiverId == actor))
                {
                    repairSteps.Add(step);
                    return i;
                }
            }
        }
        return recorded.NextDelivery(enabled, step);
    }

    protected override int ChooseValue(int count, long step) => recorded.NextValue(count, step);
}
