// DOC: Split/merge: drm_gpuvm_sm_map, drm_gpuvm_sm_unmap, drm_gpuvm_sm_unmap_va and the ops-list forms.
//
// These are line-for-line models of __drm_gpuvm_sm_map (madvise = false), __drm_gpuvm_sm_unmap
// (drivers/gpu/drm/drm_gpuvm.c @ cb9f145f638d) and of __drm_gpuvm_sm_unmap_va from the v2 patch
// "drm/gpuvm: Add drm_gpuvm_sm_unmap_va()" (spec §3.1–3.3):
//
// * The walk runs on the live structure with the kernel's safe iterator: the first VA comes from
//   find_first(req_addr, req_range), `next` is taken from the list before the step handler runs,
//   and the loop continues while va.addr < req_end. Handlers may change the GpuVm while it is
//   walked (that is how drivers apply steps in place); if a handler removes the saved `next`, the
//   kernel would touch freed memory, and the walk stops and reports it (WalkResult.DanglingVa).
// * sm_map emits, per overlapping VA, UNMAP or REMAP with the kernel's piece offsets (NULL
//   mappings included), keep = "same BO at a contiguous offset" (never for NULL VAs), stops after
//   the VA that reaches or passes the request's end, and always ends with MAP — even for a request
//   identical to an existing mapping (the kernel-doc's "might be empty" is not what the code does).
// * sm_unmap emits UNMAP or REMAP (keep = false) for every overlapping VA, never MAP, no early stop.
// * A handler's non-zero return stops the walk immediately; nothing is rolled back (example E20).
// * The ops-list forms record the same steps without touching the state.
//
// Locking: the caller holds the VM lock (vm_lock in v2, the VM resv in merged) for the whole walk,
// and handlers take the object locks they need (spec §4). Nothing here checks locks.

using System.Collections.Immutable;

namespace Gpuvmsim.Model;

public sealed partial class GpuVm
{
    /// <summary>
    /// drm_gpuvm_sm_map: calls <paramref name="handler"/> for each split/merge step of mapping
    /// <paramref name="req"/>, in kernel order, ending with StepMap. Returns -EINVAL (no callback)
    /// when drm_gpuvm_range_valid rejects the request, the first non-zero handler result (the walk
    /// stops, nothing is undone), or 0. Caller holds the VM lock.
    /// </summary>
    public WalkResult SmMap(ISmStepHandler handler, in OpMap req)
    {
        unchecked
        {
            ulong reqAddr = req.Addr, reqRange = req.Range, reqOffset = req.Offset, reqEnd = reqAddr + reqRange;
            var reqObj = req.Obj;
            if (!RangeValid(reqAddr, reqRange))
                return new WalkResult(-Errno.EINVAL);
            var it = new SafeCursor(this, FindFirstPos(reqAddr, reqEnd - 1));
            while (it.Current.Valid && tree.AddrAt(it.Current) < reqEnd)
            {
                var va = Snapshot(it.Current);
                ulong addr = va.Addr, range = va.Range, offset = va.Offset, end = addr + range;
                var obj = va.Obj;
                var merge = obj.HasValue;
                int ret;
                bool stop;
                if (addr == reqAddr)
                {
                    merge &= obj == reqObj && offset == reqOffset;
                    stop = end >= reqEnd;
                    ret = end <= reqEnd
                        ? handler.StepUnmap(new OpUnmap(va, merge))
                        : handler.StepRemap(new OpRemap(new OpUnmap(va, merge), null,
                            new OpMap(reqEnd, range - reqRange, obj, offset + reqRange)));
                }
                else if (addr < reqAddr)
                {
                    var ls = reqAddr - addr;
                    var prev = new OpMap(addr, ls, obj, offset);
                    merge &= obj == reqObj && offset + ls == reqOffset;
                    stop = end >= reqEnd;
                    ret = handler.StepRemap(new OpRemap(new OpUnmap(va, merge), prev,
                        end > reqEnd ? new OpMap(reqEnd, end - reqEnd, obj, offset + ls + reqRange) : null));
                }
                else
                {
                    merge &= obj == reqObj && offset == reqOffset + (addr - reqAddr);
                    stop = end >= reqEnd;
                    ret = end <= reqEnd
                        ? handler.StepUnmap(new OpUnmap(va, merge))
                        : handler.StepRemap(new OpRemap(new OpUnmap(va, merge), null,
                            new OpMap(reqEnd, end - reqEnd, obj, offset + reqEnd - addr)));
                }
                if (ret != 0)
                    return new WalkResult(ret);
                if (stop)
                    break;
                if (!it.Advance(this))
                    return new WalkResult(0, it.Dangling);
            }
            return new WalkResult(handler.StepMap(req));
        }
    }

    /// <summary>
    /// drm_gpuvm_sm_unmap: calls <paramref name="handler"/> with an UNMAP or REMAP (keep = false)
    /// for every VA overlapping [addr, addr+range), in address order. An empty range gives no
    /// callback. Returns -EINVAL for an invalid range, the first non-zero handler result, or 0.
    /// Caller holds the VM lock.
    /// </summary>
    public WalkResult SmUnmap(ISmStepHandler handler, ulong addr, ulong range)
    {
        var reqEnd = unchecked(addr + range);
        if (!RangeValid(addr, range))
            return new WalkResult(-Errno.EINVAL);
        var it = new SafeCursor(this, FindFirstPos(addr, unchecked(reqEnd - 1)));
        while (it.Current.Valid && tree.AddrAt(it.Current) < reqEnd)
        {
            var ret = UnmapVaStep(handler, it.Current, addr, reqEnd);
            if (ret != 0)
                return new WalkResult(ret);
            if (!it.Advance(this))
                return new WalkResult(0, it.Dangling);
        }
        return new WalkResult(0);
    }

    /// <summary>
    /// drm_gpuvm_sm_unmap_va (v2 patch 04/34 only): the per-VA body of sm_unmap for one VA. It
    /// does not check that the VA overlaps [reqAddr, reqAddr+reqRange) nor that the range is
    /// valid; callers must pass an overlapping VA or get nonsense pieces, as in the kernel. The
    /// v2 seed passes the VA's own range, which always yields one plain UNMAP (spec §5.3).
    /// A VA that is no longer in the tree is reported as dangling (the kernel would read freed memory).
    /// </summary>
    public WalkResult SmUnmapVa(ISmStepHandler handler, VaId va, ulong reqAddr, ulong reqRange)
    {
        var p = tree.Locate(va.Addr, va.Seq);
        return p.Valid ? new WalkResult(UnmapVaStep(handler, p, reqAddr, unchecked(reqAddr + reqRange))) : new WalkResult(0, va);
    }

    /// <summary>drm_gpuvm_sm_map_ops_create: the steps sm_map would produce, without changing anything.</summary>
    public OpsResult SmMapOpsCreate(in OpMap req)
    {
        var recorder = new OpsRecorder();
        var walk = SmMap(recorder, req);
        return walk.Errno != 0 ? new OpsResult(walk.Errno, []) : new OpsResult(0, recorder.Ops.DrainToImmutable());
    }

    /// <summary>drm_gpuvm_sm_unmap_ops_create: the steps sm_unmap would produce, without changing anything.</summary>
    public OpsResult SmUnmapOpsCreate(ulong addr, ulong range)
    {
        var recorder = new OpsRecorder();
        var walk = SmUnmap(recorder, addr, range);
        return walk.Errno != 0 ? new OpsResult(walk.Errno, []) : new OpsResult(0, recorder.Ops.DrainToImmutable());
    }

    /// <summary>
    /// v2's drm_gpuvm_sm_unmap_va as a list: the one step it would produce for <paramref name="va"/>, without changing
    /// anything. A removed VA gives no step and names itself as dangling in <see cref="OpsResult"/>'s errno (-ENOENT).
    /// </summary>
    public OpsResult SmUnmapVaOpsCreate(VaId va, ulong reqAddr, ulong reqRange)
    {
        var recorder = new OpsRecorder();
        var walk = SmUnmapVa(recorder, va, reqAddr, reqRange);
        if (walk.DanglingVa is not null)
            return new OpsResult(-Errno.ENOENT, []);
        return walk.Errno != 0 ? new OpsResult(walk.Errno, []) : new OpsResult(0, recorder.Ops.DrainToImmutable());
    }

    /// <summary>The body of __drm_gpuvm_sm_unmap for one VA (v2's __drm_gpuvm_sm_unmap_va).</summary>
    private int UnmapVaStep(ISmStepHandler handler, Pos at, ulong reqAddr, ulong reqEnd)
    {
        unchecked
        {
            var va = Snapshot(at);
            var end = va.Addr + va.Range;
            OpMap? prev = va.Addr < reqAddr ? new OpMap(va.Addr, reqAddr - va.Addr, va.Obj, va.Offset) : null;
            OpMap? next = end > reqEnd ? new OpMap(reqEnd, end - reqEnd, va.Obj, va.Offset + (reqEnd - va.Addr)) : null;
            return prev.HasValue || next.HasValue
                ? handler.StepRemap(new OpRemap(new OpUnmap(va, false), prev, next))
                : handler.StepUnmap(new OpUnmap(va, false));
        }
    }

    /// <summary>
    /// The (va, next) pair of drm_gpuvm_for_each_va_range_safe. `next` is remembered by its id, read
    /// from the tree before the body runs; after the body the walk continues from it (found again by
    /// key), or reports it as dangling if the body removed it.
    /// </summary>
    private struct SafeCursor
    {
        private VaId? next;

        public SafeCursor(GpuVm vm, Pos first)
        {
            Current = first;
            Dangling = null;
            next = first.Valid ? vm.IdAt(vm.tree.Next(first)) : null;
        }

        /// <summary>The current VA's position (valid until the body changes the tree), None when the walk is over.</summary>
        public Pos Current { get; private set; }

        public VaId? Dangling { get; private set; }

        /// <summary>va = next; next = __drm_gpuva_next(va). False when the saved next was removed meanwhile.</summary>
        public bool Advance(GpuVm vm)
        {
            if (next is not { } id)
            {
                Current = Pos.None;
                return true;
            }
            Current = vm.tree.Locate(id.Addr, id.Seq);
            if (!Current.Valid)
            {
                Dangling = id;
                return false;
            }
            next = vm.IdAt(vm.tree.Next(Current));
            return true;
        }
    }

    private sealed class OpsRecorder : ISmStepHandler
    {
        // A walk usually yields one step; a GpuVaOp is a few hundred bytes, so the default capacity (8) would
        // allocate kilobytes per plan. Drain hands over the array without a copy when it is full.
        public ImmutableArray<GpuVaOp>.Builder Ops { get; } = ImmutableArray.CreateBuilder<GpuVaOp>(1);

        public int StepMap(in OpMap op)
        {
            Ops.Add(GpuVaOp.ForMap(op));
            return 0;
        }

        public int StepRemap(in OpRemap op)
        {
            Ops.Add(GpuVaOp.ForRemap(op));
            return 0;
        }

        public int StepUnmap(in OpUnmap op)
        {
            Ops.Add(GpuVaOp.ForUnmap(op));
            return 0;
        }
    }

    /// <summary>
    /// drm_gpuvm_for_each_va_range_safe as an enumerator (single use). After the loop,
    /// <see cref="DanglingVa"/> says whether the body removed the saved next VA.
    /// </summary>
    public sealed class VaRangeWalk : IEnumerable<GpuVa>, IEnumerator<GpuVa>
    {
        private readonly GpuVm vm;
        private readonly ulong start;
        private readonly ulong end;
        private SafeCursor cursor;
        private bool started;
        private bool done;

        internal VaRangeWalk(GpuVm vm, ulong start, ulong end) => (this.vm, this.start, this.end) = (vm, start, end);

        public GpuVa Current { get; private set; }

        /// <summary>The saved next VA that the loop body removed (the kernel would read freed memory), if any.</summary>
        public VaId? DanglingVa { get; private set; }

        object System.Collections.IEnumerator.Current => Current;

        public bool MoveNext()
        {
            if (done)
                return false;
            if (!started)
            {
                started = true;
                cursor = new SafeCursor(vm, vm.FindFirstPos(start, unchecked(end - 1)));
            }
            else if (!cursor.Advance(vm))
            {
                DanglingVa = cursor.Dangling;
            }
            if (!cursor.Current.Valid || vm.tree.AddrAt(cursor.Current) >= end)
            {
                done = true;
                return false;
            }
            Current = vm.Snapshot(cursor.Current);
            return true;
        }

        public IEnumerator<GpuVa> GetEnumerator() => this;

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => this;

        public void Reset() => throw new NotSupportedException("a safe walk runs once");

        public void Dispose()
        {
        }
    }
}
