using System.Collections.Immutable;
using Gpuvmsim.Messages.Fences;
using Gpuvmsim.Messages.Journal;
using Gpuvmsim.Messages.Locks;
using Gpuvmsim.Messages.Scheduler;
using Gpuvmsim.Runtime.Deterministic;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Domain.World;

/// <summary>
/// DOC: the <c>drm_gpu_scheduler</c> of one VM_BIND VM ("msm-vm-bind": one run queue, credit limit 1, its own ordered
/// workqueue). Each VM_BIND submitqueue is one entity; a job runs when it heads its entity, its in-fence has
/// signalled, no job is running and the scheduler is not stopped. Runnable entities are served by submission order
/// (FIFO policy).
///
/// The run-job work item is a lock-like resource (lockdep tracks it as <c>(work_completion)(&amp;sched->work_run_job)</c>):
/// it belongs to the worker from the moment the work is queued until run_job returns. <c>drm_sched_stop</c> cancels
/// queued work that has not started (<see cref="StopScheduler"/>) and then waits for a running one
/// (<c>cancel_work_sync</c>: a wait-for-release on that lock). <c>drm_sched_fini</c> stops the entities for good: jobs
/// still queued never run, and are killed (-ESRCH) when their entity is destroyed (kernel-model.md §2.1, §5.8).
/// Scenarios: S1, S2, S9, S10, S16, S18.
/// </summary>
public sealed class SchedulerActor : WorldActor
{
    private readonly VmEntry vm;
    private readonly SortedDictionary<int, List<BindJob>> entities = [];
    private readonly HashSet<FenceId> arrivedFences = [];
    private BindJob? queuedWork;
    private BindJob? runningWork;
    private bool stopped;
    private bool finalized;
    private ImmutableArray<BindJob> lastKilled = [];

    public SchedulerActor(WorldContext world, VmSpec spec) : base(world, $"sched/{spec.Name}")
    {
        vm = world.Directory.Vm(spec.Name);
        LockTable.Add(vm.RunJobWorkInfo!);
        foreach (var q in world.Directory.Queues)
        {
            if (q.Vm == vm.Id)
                entities[q.Id.Value] = [];
        }
        world.Monitor.World.LiveJobs[vm.Id] = LiveJobs;
    }

    private ContextId Worker => vm.Worker!.Value;

    private IEnumerable<BindJob> LiveJobs() =>
        entities.Values.SelectMany(q => q).Concat(new[] { queuedWork, runningWork }.OfType<BindJob>());

    protected override bool Handle(object message)
    {
        switch (message)
        {
            case PushJob m:
                Persist(new JobQueued(m.From, m.Job));
                if (m.Job.InFence is { } fence && !arrivedFences.Contains(fence))
                    World.Directory.Fences.Tell(new AwaitFence(fence), Self);
                Sender.Tell(new JobPushed(m.Job.Id), Self);
                Dispatch();
                return true;
            case FenceSignalled m:
                Persist(new InFenceArrived(m.Fence));
                Dispatch();
                return true;
            case StartWork m:
                if (queuedWork?.Id == m.Job)
                {
                    Persist(new WorkStarted(m.From, m.Job));
                    Sender.Tell(new WorkStart(m.Job, Cancelled: false), Self);
                }
                else
                {
                    Sender.Tell(new WorkStart(m.Job, Cancelled: true), Self);
                }
                return true;
            case JobFinished m:
                var job = runningWork!;
                Persist(new JobCompleted(m.From, m.Job, m.FenceError));
                World.Directory.Fences.Tell(new SignalFence(m.From, job.OutFence, m.FenceError), Self);
                Dispatch();
                return true;
            case StopScheduler m:
                var cancel = queuedWork;
                Persist(new SchedulerStoppedBy(m.From));
                if (cancel is not null)
                    PersistLock(new LockReleased(vm.RunJobWorkInfo!.Id, Worker)); // cancel_work_sync on queued work
                Sender.Tell(new SchedulerStopped(runningWork is not null), Self);
                return true;
            case FiniScheduler m:
                Persist(new SchedulerFinalizedBy(m.From));
                Sender.Tell(new SchedulerFinalized(), Self);
                return true;
            case DestroyEntity m:
                Persist(new EntityDestroyedBy(m.From, m.Queue));
                foreach (var killed in lastKilled)
                    World.Directory.Fences.Tell(new SignalFence(m.From, killed.OutFence, -Model.Errno.ESRCH), Self);
                Sender.Tell(new EntityDestroyed(lastKilled), Self);
                return true;
            default:
                return false;
        }
    }

    protected override void ApplyEvent(WorldEvent e)
    {
        switch (e)
        {
            case JobQueued ev:
                entities[ev.Job.Queue.Value].Add(ev.Job);
                break;
            case InFenceArrived ev:
                arrivedFences.Add(ev.Fence);
                break;
            case WorkQueued ev:
                var entity = entities.Values.First(q => q.Count > 0 && q[0].Id == ev.Job);
                queuedWork = entity[0];
                entity.RemoveAt(0);
                break;
            case WorkStarted:
                runningWork = queuedWork;
                queuedWork = null;
                break;
            case JobCompleted:
                runningWork = null;
                break;
            case SchedulerStoppedBy:
                stopped = true;
                if (queuedWork is { } cancelled)
                {
                    entities[cancelled.Queue.Value].Insert(0, cancelled);
                    queuedWork = null;
                }
                break;
            case SchedulerFinalizedBy:
                finalized = true;
                break;
            case EntityDestroyedBy ev:
                lastKilled = [.. entities[ev.Queue.Value]];
                entities[ev.Queue.Value].Clear();
                break;
            default:
                throw new InvalidOperationException($"{PersistenceId}: unexpected event {e.GetType().Name}");
        }
    }

    public override void AddState(ref StateHasher hasher)
    {
        foreach (var (queue, jobs) in entities)
        {
            hasher.Add(queue);
            foreach (var j in jobs)
                hasher.Add(j.Id.Value);
        }
        foreach (var f in arrivedFences.OrderBy(f => f.Value))
            hasher.Add(f.Value);
        hasher.Add(queuedWork?.Id.Value ?? -1);
        hasher.Add(runningWork?.Id.Value ?? -1);
        hasher.Add(stopped);
        hasher.Add(finalized);
        LockTable.AddState(ref hasher);
    }

    /// <summary>drm_sched_run_job_queue: queue the work item for the first runnable job, if the worker is free.</summary>
    private void Dispatch()
    {
        if (stopped || finalized || queuedWork is not null || runningWork is not null)
            return;
        var next = entities.Values
            .Where(q => q.Count > 0 && (q[0].InFence is not { } f || arrivedFences.Contains(f)))
            .Select(q => q[0])
            .OrderBy(j => j.Id.Value)
            .FirstOrDefault();
        if (next is null)
            return;
        Persist(new WorkQueued(next.Id));
        PersistLock(new LockAssigned(vm.RunJobWorkInfo!.Id, Worker));
        World.Directory.ContextRef(Worker).Tell(new RunJob(next), Self);
    }
}
