using Gpuvmsim.Runtime.Deterministic;

namespace Gpuvmsim.Runtime.Timing;

/// <summary>The scheduler of a deterministic system: timers on the driver's virtual clock (see <see cref="IScheduler"/>).</summary>
internal sealed class VirtualScheduler(DeterministicDriver driver) : SchedulerBase
{
    public override DateTimeOffset Now => driver.Now;

    public override ICancelable ScheduleTellOnce(TimeSpan delay, IActorRef receiver, object message, IActorRef? sender)
    {
        CheckArguments(delay, receiver, message);
        return driver.AddTimer(delay, TimeSpan.Zero, receiver, message, sender, null, null);
    }

    public override ICancelable ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, IActorRef receiver, object message, IActorRef? sender)
    {
        CheckArguments(initialDelay, receiver, message);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        return driver.AddTimer(initialDelay, interval, receiver, message, sender, null, null);
    }

    public override ICancelable ScheduleOnce(TimeSpan delay, Action<object?> action, object? state) =>
        driver.AddTimer(delay, TimeSpan.Zero, null, null, null, action, state);

    public override void Shutdown() { }
}
