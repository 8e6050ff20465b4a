namespace Gpuvmsim.Runtime;

/// <summary>A handle to cancel a scheduled message.</summary>
public interface ICancelable
{
    /// <summary>Stops future deliveries; a message already handed to the receiver's mailbox is not recalled.
    /// Idempotent; on the deterministic dispatcher call it from the driver's thread (an actor's turn or between steps).</summary>
    void Cancel();

    bool IsCancellationRequested { get; }
}

/// <summary>
/// Timed tells. On a deterministic system time is virtual: it starts at <see cref="ActorSystemSettings.VirtualEpoch"/>
/// and moves only when nothing is deliverable (then the earliest timers fire, by due time then creation order) or when
/// the driver is told to advance it; the wall clock is never read. On a thread-pool system these are real timers.
/// </summary>
public interface IScheduler
{
    /// <summary>The system clock: virtual in deterministic mode.</summary>
    DateTimeOffset Now { get; }

    /// <summary>Tells <paramref name="message"/> once after <paramref name="delay"/>.</summary>
    ICancelable ScheduleTellOnce(TimeSpan delay, IActorRef receiver, object message, IActorRef? sender);

    /// <summary>Tells <paramref name="message"/> after <paramref name="initialDelay"/>, then every <paramref name="interval"/>
    /// until cancelled.</summary>
    ICancelable ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, IActorRef receiver, object message, IActorRef? sender);
}
