// DOC: GpuVmWorld, the kernel's VM_BIND bookkeeping played across the separate model states.
//
// The actors split the kernel's state by owner: a GpuVm per VM actor, a GemObject per BO actor,
// an MmuPageTable per MMU actor, connected only by ids. This facade holds a set of them and plays,
// synchronously and in one place, the flow a driver runs for one map or unmap request: validate,
// run drm_gpuvm_sm_map/sm_unmap (as an ops list, like the test vectors, or as the in-place callback
// walk, like a VM actor), and per step insert/remove VAs, obtain/link/unlink/put vm_bos, apply
// the VM references those produce, and (optionally) map/unmap PTEs from a preallocated pool.
// The gpuvm-ops verb, the property tests and the benchmark use it; the actors use the parts.
//
// Locking: the world plays the merged design by default: the caller holds the VM resv for the
// whole request and drm_exec has locked every object a step touches (drm_gpuvm_sm_map_exec_lock),
// so every GemObject call gets LockWitness.ObjLocked. With WorldOptions.LockOnlyRequestObject it
// plays v2's run_bo_op instead: only the request's BO is locked, and the lock asserts that trips on
// other BOs show up in Findings (spec §5.5). Findings (asserts, WARNs, use-after-free) accumulate;
// nothing throws. Not thread-safe: one caller at a time.

using System.Collections.Immutable;

namespace Gpuvmsim.Model;

/// <summary>How a GpuVmWorld checks and applies requests.</summary>
public sealed record WorldOptions
{
    /// <summary>Page size for the strict request checks.</summary>
    public ulong PageSize { get; init; } = RequestValidator.DefaultPageSize;

    /// <summary>Check requests with the msm/issue rules (alignment, range &gt; 0, BO size) instead of drm_gpuvm_range_valid only.</summary>
    public bool StrictValidation { get; init; }

    /// <summary>Keep an MMU page table per VM and map/unmap PTEs with every step (merged's rules for `mapped`).</summary>
    public bool WithMmu { get; init; }

    /// <summary>The page-table geometry when <see cref="WithMmu"/>.</summary>
    public MmuConfig Mmu { get; init; } = new();

    /// <summary>v2's run_bo_op locking: only the request's own BO is locked (other BOs' asserts trip).</summary>
    public bool LockOnlyRequestObject { get; init; }
}

/// <summary>What one request did.</summary>
/// <param name="Rejected">The validation error when the request was refused (nothing changed).</param>
/// <param name="Errno">The walk's result: 0, -EINVAL, or a step's error (the steps before it stay applied).</param>
/// <param name="Ops">The steps, in kernel order (for the callback form: the steps the handler received).</param>
/// <param name="Mapped">The VA a map request inserted.</param>
/// <param name="DanglingVa">The walk stopped because a step removed the iterator's saved next VA.</param>
public sealed record BindOutcome(RequestError? Rejected, int Errno, ImmutableArray<GpuVaOp> Ops, VaId? Mapped, VaId? DanglingVa = null)
{
    public bool Ok => Rejected is null && Errno == 0 && DanglingVa is null;
}

/// <summary>A set of VMs, objects and page tables, and the kernel flow across them (see the file's DOC).</summary>
public sealed partial class GpuVmWorld(WorldOptions? options = null)
{
    private readonly SortedDictionary<int, GpuVm> vms = [];
    private readonly SortedDictionary<long, GemObject> objects = [];
    private readonly Dictionary<VmId, MmuPageTable> mmus = [];
    private readonly List<ModelFinding> findings = [];
    private int nextVm = 1;

    public WorldOptions Options { get; } = options ?? new WorldOptions();

    /// <summary>Every finding raised so far, in order.</summary>
    public IReadOnlyList<ModelFinding> Findings => findings;

    public IEnumerable<GpuVm> Vms => vms.Values;

    public IEnumerable<GemObject> Objects => objects.Values;

    /// <summary>drm_gpuvm_init for a new VM (the world holds its initial reference) and, with MMU, its page table.</summary>
    public VmId CreateVm(ulong mmStart, ulong mmRange, ulong reserveOffset = 0, ulong reserveRange = 0)
    {
        var id = new VmId(nextVm++);
        var vm = new GpuVm(id, mmStart, mmRange, reserveOffset, reserveRange);
        if (vm.InitWarning is { } w)
            findings.Add(w);
        vms.Add(id.Value, vm);
        if (Options.WithMmu)
            mmus.Add(id, new MmuPageTable(Options.Mmu));
        return id;
    }

    /// <summary>A new BO as GEM_NEW leaves it: one handle, holding the only reference.</summary>
    public GemObject CreateObject(ObjId id, ulong? size)
    {
        var obj = new GemObject(id, size);
        obj.HandleCreate();
        obj.Put();
        objects.Add(id.Value, obj);
        return obj;
    }

    public bool HasObject(ObjId id) => objects.ContainsKey(id.Value);

    public GpuVm Vm(VmId id) => vms[id.Value];

    public GemObject Object(ObjId id) => objects[id.Value];

    /// <summary>The VM's page table (null without <see cref="WorldOptions.WithMmu"/>).</summary>
    public MmuPageTable? Mmu(VmId id) => mmus.GetValueOrDefault(id);

    /// <summary>
    /// Validates <paramref name="req"/>, builds its ops list (drm_gpuvm_sm_map_ops_create /
    /// sm_unmap_ops_create) and applies it step by step, as the test vectors were generated.
    /// </summary>
    public BindOutcome BindWithOpsList(VmId vm, VmRequest req)
    {
        var space = Vm(vm);
        if (Validate(space, req) is { } error)
            return new BindOutcome(error, error.Errno, [], null);
        var ops = req is MapRequest m ? space.SmMapOpsCreate(m.Op) : space.SmUnmapOpsCreate(req.Addr, req.Range);
        if (!ops.Ok)
            return new BindOutcome(null, ops.Errno, [], null);
        var handler = new StepHandler(this, space, req);
        var errno = 0;
        using (handler.Prepare())
        {
            foreach (var op in ops.Ops)
            {
                errno = op.Dispatch(handler);
                if (errno != 0)
                    break;
            }
        }
        return new BindOutcome(null, errno, ops.Ops, handler.Mapped);
    }

    /// <summary>
    /// Validates <paramref name="req"/> and runs drm_gpuvm_sm_map / sm_unmap with a handler that
    /// applies every step in place while the walk goes on (the VM actor's path).
    /// </summary>
    public BindOutcome BindInPlace(VmId vm, VmRequest req)
    {
        var space = Vm(vm);
        if (Validate(space, req) is { } error)
            return new BindOutcome(error, error.Errno, [], null);
        var handler = new StepHandler(this, space, req, record: true);
        WalkResult walk;
        using (handler.Prepare())
            walk = req is MapRequest m ? space.SmMap(handler, m.Op) : space.SmUnmap(handler, req.Addr, req.Range);
        return new BindOutcome(null, walk.Errno, handler.Recorded, handler.Mapped, walk.DanglingVa);
    }

    /// <summary>
    /// Every invariant of spec §7 that the model can judge on its own (1, 2, 3–7, 12, 13, 18 for
    /// NULL VAs), assuming no request is in progress unless <paramref name="context"/> declares otherwise.
    /// </summary>
    public ImmutableArray<InvariantViolation> CheckInvariants(LinkageContext? context = null)
    {
        var found = ImmutableArray.CreateBuilder<InvariantViolation>();
        foreach (var vm in vms.Values)
        {
            found.AddRange(VaSpaceInvariants.Check(vm));
            if (mmus.TryGetValue(vm.Id, out var mmu))
            {
                found.AddRange(MmuInvariants.CheckConsistency(vm, mmu));
                found.AddRange(MmuInvariants.CheckPrealloc(mmu, jobRunning: false));
            }
        }
        found.AddRange(LinkageInvariants.Check(vms.Values, objects.Values, context));
        return found.ToImmutable();
    }

    /// <summary>Adds every VM, object and page table to one state hash (in id order).</summary>
    public ulong StateHash()
    {
        var hash = StableHash.Seed;
        foreach (var vm in vms.Values)
        {
            vm.AddState(ref hash);
            if (mmus.TryGetValue(vm.Id, out var mmu))
                mmu.AddState(ref hash);
        }
        foreach (var obj in objects.Values)
            obj.AddState(ref hash);
        return hash;
    }

    private RequestError? Validate(GpuVm vm, VmRequest req)
    {
        if (req is MapRequest { Obj: { } missing } && !HasObject(missing))
            return new RequestError(Rule.NoSuchObject, "bo", $"{missing} does not exist");
        if (!Options.StrictValidation)
            return RequestValidator.CheckKernelRange(vm, req.Addr, req.Range);
        ulong? size = req is MapRequest { Obj: { } o } && HasObject(o) ? Object(o).Size : null;
        return RequestValidator.Check(vm, req, size, Options.PageSize);
    }

    /// <summary>Applies the cross-owner effects of a GemObject call: VM references, findings, freeing.</summary>
    private void Apply(GemObject obj, GemOpResult r)
    {
        findings.AddRange(r.Findings);
        if (r.VmGet is { } g && Vm(g).Get() == KrefOutcome.UseAfterFree)
            findings.Add(new ModelFinding(FindingKind.UseAfterFree, "drm_gpuvm_get", $"{g} was already freed"));
        if (r.VmPut is { } p)
        {
            var vm = Vm(p);
            var outcome = vm.Put();
            if (outcome == KrefOutcome.UseAfterFree)
                findings.Add(new ModelFinding(FindingKind.UseAfterFree, "drm_gpuvm_put", $"{p} was already freed"));
            else if (outcome == KrefOutcome.Released)
                findings.AddRange(vm.FiniWarnings);
        }
        if (r.ObjRef == KrefOutcome.Released)
            findings.AddRange(obj.Free());
    }

    private void Record(ModelFinding? finding)
    {
        if (finding is not null)
            findings.Add(finding);
    }
}
