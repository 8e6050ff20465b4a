using Gpuvmsim.Runtime.Deterministic;

namespace Gpuvmsim.Domain.Simulation;

/// <summary>Thrown into a world actor by <see cref="FaultInjector"/>: a failure the replay supervisor must survive.</summary>
public sealed class InjectedFailureException(string actor, long step)
    : Exception($"injected failure in {actor} at step {step}")
{
    public string Actor { get; } = actor;

    public long Step { get; } = step;
}

/// <summary>
/// Makes one world actor fail, to show that the replay supervisor restarts it and that it recovers its state from its
/// events: the first user-message delivery to a world actor at or after <see cref="FromStep"/> throws before the actor
/// handles the message. The supervisor (restart, failed message redelivered) then repairs the run with two system
/// deliveries, <c>Failed</c> and <c>Recreate</c>, that <see cref="SupervisedReplayStrategy"/> makes outside the schedule.
/// </summary>
public sealed class FaultInjector(long fromStep) : IDeliveryObserver
{
    private bool armed;
    private int candidateId;
    private long candidateStep;

    public long FromStep { get; } = fromStep;

    /// <summary>The actor id (of the delivery channel) that failed; null until the fault fired.</summary>
    public int? FailedActorId { get; private set; }

    /// <summary>The persistence id of the actor that failed, e.g. <c>bo/A</c>.</summary>
    public string? FailedActor { get; private set; }

    public long? FiredAtStep { get; private set; }

    /// <summary>The failed actor was recreated (and processed the failed message again).</summary>
    public bool Recovered { get; private set; }

    /// <summary>Fired and not yet recovered: supervision deliveries are still due.</summary>
    public bool RepairPending => FailedActorId is not null && !Recovered;

    public void BeforeDelivery(in DeliveryRecord delivery)
    {
        if (FailedActorId is null && !delivery.IsSystem && delivery.Step >= FromStep)
        {
            armed = true;
            candidateId = delivery.ReceiverId;
            candidateStep = delivery.Step;
        }
    }

    public void AfterDelivery(in DeliveryRecord delivery)
    {
        armed = false;
        if (delivery.IsSystem && delivery.ReceiverId == FailedActorId)
            Recovered = true;
    }

    /// <summary>Called by a world actor as a message arrives: true once, for the delivery the fault is meant for.</summary>
    internal bool Fire(string actor)
    {
        if (!armed)
            return false;
        armed = false;
        FailedActorId = candidateId;
        FailedActor = actor;
        FiredAtStep = candidateStep;
        return true;
    }
}
