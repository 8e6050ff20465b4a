using Gpuvmsim.Runtime;

namespace Gpuvmsim.Persistence.Actors;

/// <summary>The actor system's clock as a <see cref="TimeProvider"/>: the stores stamp events and snapshots with
/// virtual time on a deterministic system, so that what they write is reproducible.</summary>
internal sealed class SchedulerClock(IScheduler scheduler) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => scheduler.Now;
}
