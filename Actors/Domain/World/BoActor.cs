using System.Collections.Immutable;
using Gpuvmsim.Messages.Bo;
using Gpuvmsim.Messages.Fences;
using Gpuvmsim.Messages.Journal;
using Gpuvmsim.Messages.Locks;
using Gpuvmsim.Messages.Vm;
using Gpuvmsim.Model;
using Gpuvmsim.Runtime.Deterministic;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Domain.World;

/// <summary>
/// DOC: one GEM object (<c>struct drm_gem_object</c> + <c>msm_gem_object</c>): refcount and handles, pin count, the
/// fences on its reservation, its gpuva list of <c>drm_gpuvm_bo</c> (through <see cref="GemObject"/>), and its
/// <c>dma_resv</c> — the obj lock, a ww-mutex of class <c>reservation_ww_class_mutex</c>, which guards the gpuva list
/// (vm_bo obtain/find/put, VA link/unlink), the pages and the pin state.
///
/// The model reports the asserts the kernel makes (<c>drm_gem_gpuva_assert_lock_held</c>): the witness passed is
/// whether the requesting context holds this BO's resv, or the request comes from the free path of an object at
/// refcount 0. Findings: lock preconditions (invariant 9), use-after-free (a reference taken on a zero count, a put
/// below zero, a message to a freed object), and an object freed while its own resv is held (invariant 8).
///
/// v2's unlocked vm_bo put (msm_vma_job_cleanup, kernel-model.md §5.7, S8) has a window: when a put without the obj
/// lock reaches zero, the vm_bo stays on the object's list until the putting context finishes the destroy
/// (<see cref="FinishVmBoDestroy"/>); a find in between takes a reference on a zero count.
/// </summary>
public sealed class BoActor : WorldActor
{
    private readonly BoEntry entry;
    private readonly GemObject obj;
    private readonly HashSet<VmBoId> dying = [];
    private readonly List<FenceId> fences = [];
    private GemOpResult? last;
    private int pins;
    private bool freed;

    public BoActor(WorldContext world, BoSpec spec) : base(world, $"bo/{spec.Name}")
    {
        entry = world.Directory.Bo(spec.Name);
        obj = InitialWorld.BuildBo(world.Scenario, spec);
        LockTable.Add(entry.ResvInfo);
        fences.AddRange(spec.Fences.Select(world.Directory.Fence));
        world.Monitor.RegisterBo(entry.Id, obj, () => pins, () => freed);
    }

    protected override bool Handle(object message)
    {
        if (freed)
        {
            var from = message is AddResvFence f ? f.From.ToString() : Sender.Path.ToStringWithoutAddress();
            World.Monitor.UseAfterFree($"freed-bo:{entry.Name}", $"{message.GetType().Name} reached BO {entry.Name} after it was freed",
                $"BUG: KASAN: use-after-free: {from} touches drm_gem_object {entry.Name} after msm_gem_free_object: {message}\n");
            return true;
        }
        switch (message)
        {
            case GetObj m:
                Persist(new ObjRefTaken(m.From, m.Holder));
                ReplyObjRef(m.From, "drm_gem_object_get");
                return true;
            case PutObj m:
                Persist(new ObjRefDropped(m.From, m.Holder));
                ReplyObjRef(m.From, "drm_gem_object_put");
                return true;
            case DeleteHandle m:
                Persist(new HandleDeleted(m.From));
                ReplyObjRef(m.From, "drm_gem_handle_delete");
                return true;
            case FreeObj m:
                Persist(new ObjFreed(m.From));
                return true;
            case ObtainVmBo m:
                WarnIfDying(m.From, m.Vm, "drm_gpuvm_bo_obtain");
                Persist(new VmBoObtainedBy(m.From, m.Vm, m.WeakObjRef, Locked(m.From)));
                Effects(m.From);
                Sender.Tell(new VmBoObtained(last!.VmBo, last.VmGet is not null), Self);
                return true;
            case FindVmBo m:
                WarnIfDying(m.From, m.Vm, "drm_gpuvm_bo_find");
                Persist(new VmBoFoundBy(m.From, m.Vm, Locked(m.From)));
                Effects(m.From);
                Sender.Tell(new VmBoObtained(last!.VmBo, false), Self);
                return true;
            case GetVmBo m:
                Persist(new VmBoGotBy(m.From, m.VmBo));
                Effects(m.From);
                ReplyVmBo(m.VmBo);
                return true;
            case PutVmBo m:
                OnPutVmBo(m);
                return true;
            case FinishVmBoDestroy m:
                Persist(new VmBoDestroyFinished(m.From, m.VmBo));
                Effects(m.From);
                ReplyVmBo(m.VmBo);
                return true;
            case LinkVa m:
                Persist(new VaLinkedBy(m.From, m.Va, m.VmBo, Locked(m.From)));
                Effects(m.From);
                return true;
            case UnlinkVa m:
                Persist(new VaUnlinkedBy(m.From, m.Va, m.VmBo, Locked(m.From), m.InFreePath));
                Effects(m.From);
                ReplyVmBo(m.VmBo);
                return true;
            case EvictVmBo m:
                Persist(new VmBoEvictedBy(m.From, m.VmBo, m.Evict, Locked(m.From)));
                Effects(m.From);
                return true;
            case PinObj m:
                if (!Locked(m.From))
                    World.Monitor.AssertHeldFailed(m.From, entry.Resv.Info, m.Pin ? "msm_gem_pin_vma_locked" : "msm_gem_unpin_locked", $"pinning {entry.Name} needs its resv");
                Persist(new PinChanged(m.From, m.Pin));
                Sender.Tell(new PinCountChanged(pins), Self);
                return true;
            case AddResvFence m:
                Persist(new ResvFenceAdded(m.From, m.Fence));
                return true;
            case QueryObj:
                Sender.Tell(new ObjState(entry.Id, obj.RefCount, pins, [.. obj.VmBos], [.. fences]), Self);
                return true;
            default:
                return false;
        }
    }

    protected override void ApplyEvent(WorldEvent e)
    {
        switch (e)
        {
            case ObjRefTaken: Result(obj.Get()); break;
            case ObjRefDropped: Result(obj.Put()); break;
            case HandleDeleted: Result(obj.HandleDelete()); break;
            case ObjFreed: obj.Free(); freed = true; break;
            case VmBoObtainedBy ev: last = obj.VmBoObtain(ev.Vm, new LockWitness(ev.Locked), ev.WeakObjRef); break;
            case VmBoFoundBy ev: last = obj.VmBoFind(ev.Vm, new LockWitness(ev.Locked)); break;
            case VmBoGotBy ev: last = obj.VmBoGet(ev.VmBo); break;
            case VmBoPutBy { Deferred: true } ev: dying.Add(ev.VmBo); last = null; break;
            case VmBoPutBy ev: last = obj.VmBoPut(ev.VmBo, new LockWitness(ev.Locked, ev.InFreePath)); break;
            case VmBoDestroyFinished ev:
                dying.Remove(ev.VmBo);
                last = obj.VmBoPut(ev.VmBo, LockWitness.None);
                break;
            case VaLinkedBy ev: last = obj.Link(ev.Va, entry.Id, ev.VmBo, new LockWitness(ev.Locked)); break;
            case VaUnlinkedBy ev: last = obj.Unlink(ev.Va, entry.Id, ev.VmBo, new LockWitness(ev.Locked, ev.InFreePath)); break;
            case VmBoEvictedBy ev: last = obj.VmBoEvict(ev.VmBo, ev.Evict, new LockWitness(ev.Locked)); break;
            case PinChanged ev: pins += ev.Pin ? 1 : -1; break;
            case ResvFenceAdded ev: fences.Add(ev.Fence); break;
            default: throw new InvalidOperationException($"{PersistenceId}: unexpected event {e.GetType().Name}");
        }
    }

    public override void AddState(ref StateHasher hasher)
    {
        hasher.Add((long)obj.StateHash());
        hasher.Add(pins);
        hasher.Add(freed);
        hasher.Add(dying.Count);
        hasher.Add(fences.Count);
        LockTable.AddState(ref hasher);
    }

    private void OnPutVmBo(PutVmBo m)
    {
        var locked = Locked(m.From);
        var current = obj.VmBo(m.VmBo);
        var deferred = !locked && !m.InFreePath && current is { RefCount: 1 } && !dying.Contains(m.VmBo);
        if (deferred)
        {
            // drm_gpuvm_bo_destroy runs without the gpuva lock: its assert fires, and until list_del another
            // context can still find this vm_bo on obj->gpuva.list.
            World.Monitor.AssertHeldFailed(m.From, entry.Resv.Info, "drm_gpuvm_bo_destroy",
                $"the last put of {m.VmBo} removes it from {entry.Name}'s gpuva list without the obj lock");
            Persist(new VmBoPutBy(m.From, m.VmBo, locked, m.InFreePath, Deferred: true));
            Sender.Tell(new VmBoRefChanged(m.VmBo, 0, Destroyed: true, obj.RefCount, DestroyPending: true), Self);
            return;
        }
        Persist(new VmBoPutBy(m.From, m.VmBo, locked, m.InFreePath, Deferred: false));
        Effects(m.From);
        ReplyVmBo(m.VmBo);
    }

    private void WarnIfDying(ContextId who, VmId vm, string function)
    {
        foreach (var id in dying)
        {
            if (id.Vm != vm)
                continue;
            World.Monitor.UseAfterFree($"vm-bo-get-on-zero:{function}",
                $"{function} finds {id} of {entry.Name} while it is being destroyed: kref_get on a zero count",
                $"refcount_t: addition on 0; use-after-free.\nWARNING: CPU: 0 PID: 0 at lib/refcount.c refcount_warn_saturate\n" +
                $"{World.Directory.ContextName(who)} in {function}: {id} was put to zero without {entry.Name}'s resv and is still on obj->gpuva.list\n");
        }
    }

    private bool Locked(ContextId who) => LockTable.HeldBy(entry.Resv.Info.Id, who);

    private void Result(KrefOutcome outcome) => last = new GemOpResult(null, KrefOutcome.None, null, null, null, outcome, []);

    private void ReplyObjRef(ContextId who, string function)
    {
        var outcome = last!.ObjRef;
        if (outcome == KrefOutcome.UseAfterFree)
        {
            World.Monitor.UseAfterFree($"obj-ref:{function}", $"{function} on {entry.Name} with a zero refcount",
                $"refcount_t: underflow or addition on 0; use-after-free.\n{World.Directory.ContextName(who)} in {function} on {entry.Name}\n");
        }
        if (outcome == KrefOutcome.Released)
            CheckFreedWhileLocked(who, function);
        Sender.Tell(new ObjRefChanged(entry.Id, obj.RefCount, outcome), Self);
    }

    /// <summary>Applies what a vm_bo operation implies elsewhere and reports what the model found.</summary>
    private void Effects(ContextId who)
    {
        var r = last!;
        if (r.VmGet is { } get)
            World.Directory.Vm(get).Actor.Tell(new VmRefDelta(+1), Self);
        if (r.VmPut is { } put)
            World.Directory.Vm(put).Actor.Tell(new VmRefDelta(-1), Self);
        if (r.ObjRef == KrefOutcome.Released)
            CheckFreedWhileLocked(who, "drm_gpuvm_bo_destroy");
        foreach (var f in r.Findings)
            ReportModelFinding(who, f);
    }

    private void ReplyVmBo(VmBoId id)
    {
        var snapshot = obj.VmBo(id);
        Sender.Tell(new VmBoRefChanged(id, snapshot?.RefCount ?? 0, last?.Destroyed is not null || snapshot is null, obj.RefCount), Self);
    }

    /// <summary>Invariant 8: an object whose refcount reaches 0 must not have its own resv held by anyone.</summary>
    private void CheckFreedWhileLocked(ContextId who, string function)
    {
        if (LockTable[entry.Resv.Info.Id].Holder is null)
            return;
        World.Monitor.Lockdep.LockFreed(entry.Resv.Info,
            new Checking.AcquisitionSite(function, World.Directory.ContextName(who), 0, "", World.Monitor.Step), $"BO {entry.Name}");
    }

    private void ReportModelFinding(ContextId who, ModelFinding f)
    {
        switch (f.Kind)
        {
            case FindingKind.LockAssert:
                World.Monitor.AssertHeldFailed(who, entry.Resv.Info, f.Site, f.Message);
                break;
            case FindingKind.UseAfterFree:
                World.Monitor.UseAfterFree($"{f.Site}", $"{f.Site}: {f.Message}", $"BUG: KASAN: use-after-free in {f.Site}\n{f.Message}\n");
                break;
            default:
                World.Monitor.InvariantViolated($"warn:{f.Site}", $"WARN in {f.Site}: {f.Message}", $"WARNING: CPU: 0 at {f.Site}\n{f.Message}\n");
                break;
        }
    }

    internal ImmutableArray<FenceId> Fences => [.. fences];
}
