using Gpuvmsim.Domain.Contexts;
using Gpuvmsim.Domain.World;
using Gpuvmsim.Locking;
using Gpuvmsim.Messages.Fences;
using Gpuvmsim.Messages.Locks;
using Gpuvmsim.Messages.Scheduler;
using Gpuvmsim.Runtime;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Domain.Simulation;

/// <summary>
/// Builds the msm VM_BIND world of a scenario: a fence actor; per VM a VM actor, an MMU actor and, for a VM_BIND VM,
/// a scheduler actor and its worker context; a BO actor per object; scripted lock owners; one context per script.
/// Ids are dense and given in declaration order, so two runs of one scenario build identical worlds:
/// contexts 1..n then one worker per VM_BIND VM; locks: scripted, fs_reclaim, dma_fence_map, per VM vm_lock, op_lock,
/// mm_lock (and the run-job work), per BO its resv; fences: scenario in-fences, then one per VM_BIND submit step.
/// </summary>
public sealed class GpuWorld : IWorldBuilder
{
    public static GpuWorld Instance { get; } = new();

    public IReadOnlyList<IActorRef> Build(WorldContext world, Func<Props, string, IActorRef> actorOf)
    {
        var s = world.Scenario;
        var dir = world.Directory;
        var nextLock = LockScriptWorld.AddScriptedLocks(world, actorOf, firstId: 1);
        LockInfo NewLock(string name, LockClass cls) => new(new LockId(nextLock++), name, cls);
        dir.FsReclaim = NewLock("fs_reclaim", LockClass.FsReclaim);
        dir.FenceSignalling = NewLock("dma_fence_map", LockClass.DmaFenceSignalling);

        var workers = s.Vms.Where(v => !v.Managed)
            .Select((v, i) => (v.Name, Id: new ContextId(s.Contexts.Count + 1 + i)))
            .ToDictionary(w => w.Name, w => w.Id, StringComparer.Ordinal);
        foreach (var v in s.Vms)
        {
            var entry = new VmEntry(InitialWorld.VmIdOf(s, v.Name), v.Name, v.Managed, v.VaStart, v.VaRange,
                NewLock($"{v.Name}.vm_lock", LockClass.VmLock), NewLock($"{v.Name}.op_lock", LockClass.OpLock),
                NewLock($"{v.Name}.mm_lock", LockClass.MmLock), v.Managed ? null : NewLock($"{v.Name}.run_job_work", LockClass.RunJobWork));
            if (!v.Managed)
                entry.Worker = workers[v.Name];
            dir.Add(entry);
        }
        foreach (var b in s.Bos)
            dir.Add(new BoEntry(InitialWorld.ObjIdOf(s, b.Name), b.Name, b.Size, NewLock($"{b.Name}.resv", LockClass.Resv)));
        for (var i = 0; i < s.Queues.Count; i++)
            dir.Add(new QueueEntry(new QueueId(i + 1), s.Queues[i].Name, InitialWorld.VmIdOf(s, s.Queues[i].Vm)));
        RegisterFencesAndJobs(s, dir, workers);

        dir.Fences = actorOf(Props.CreateBy(() => new FenceActor(world)), "fences");
        dir.AddActor(dir.Fences);
        for (var i = 0; i < s.Vms.Count; i++)
        {
            var v = s.Vms[i];
            var entry = dir.Vm(v.Name);
            entry.Actor = actorOf(Props.CreateBy(() => new VmActor(world, v)), LockScriptWorld.ActorNameOf("vm", i, v.Name));
            entry.Mmu = actorOf(Props.CreateBy(() => new MmuActor(world, v)), LockScriptWorld.ActorNameOf("mmu", i, v.Name));
            if (!v.Managed)
            {
                entry.Scheduler = actorOf(Props.CreateBy(() => new SchedulerActor(world, v)), LockScriptWorld.ActorNameOf("sched", i, v.Name));
                dir.AddActor(entry.Scheduler);
                dir.Locks.Add($"{v.Name}.run_job_work", entry.RunJobWork!);
            }
            dir.Locks.Add($"{v.Name}.vm_lock", entry.VmLock);
            dir.Locks.Add($"{v.Name}.op_lock", entry.OpLock);
            dir.Locks.Add($"{v.Name}.mm_lock", entry.MmLock);
        }
        for (var i = 0; i < s.Bos.Count; i++)
        {
            var b = s.Bos[i];
            var entry = dir.Bo(b.Name);
            entry.Actor = actorOf(Props.CreateBy(() => new BoActor(world, b)), LockScriptWorld.ActorNameOf("bo", i, b.Name));
            dir.Locks.Add($"{b.Name}.resv", entry.Resv);
        }

        var scripted = LockScriptWorld.CreateContexts(world, actorOf,
            (id, pid, c) => Props.CreateBy(() => new KernelContextActor(world, id, c.Name, pid, c.Steps)));
        foreach (var (vm, id) in workers)
        {
            var name = $"{vm}.worker";
            var worker = actorOf(Props.CreateBy(() => new KernelContextActor(world, id, name, 1000 + id.Value)), LockScriptWorld.ActorNameOf("worker", id.Value, vm));
            dir.AddContext(id, name, worker);
        }
        world.Monitor.AtQuiescence(monitor => GpuChecks.AtQuiescence(monitor, world));
        return scripted;
    }

    /// <summary>Scenario fences first (signalled by the first context with a matching step), then one out-fence per submit.</summary>
    private static void RegisterFencesAndJobs(ScenarioSpec s, WorldDirectory dir, Dictionary<string, ContextId> workers)
    {
        var nextFence = 1;
        foreach (var f in s.Fences)
        {
            var signaller = s.Contexts.Select((c, i) => (c, i)).FirstOrDefault(x => x.c.Steps.OfType<SignalFenceStep>().Any(st => st.Fence == f.Name));
            dir.AddFence(f.Name, new FenceId(nextFence++), signaller.c is null ? null : new ContextId(signaller.i + 1));
        }
        var nextJob = 1;
        foreach (var c in s.Contexts)
        {
            for (var i = 0; i < c.Steps.Count; i++)
            {
                if (c.Steps[i] is not VmBindStep bind)
                    continue;
                var job = new JobId(nextJob++);
                var fence = new FenceId(nextFence++);
                dir.AddFence(bind.OutFence ?? $"{c.Name}.{job}", fence, workers[s.Queue(bind.Queue).Vm]);
                dir.AddJob(c.Name, i, job, fence);
            }
        }
    }
}
