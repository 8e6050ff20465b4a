// DOC: SplitMergeChecker, the reference checker of invariant 16 (split/merge well-formedness) and
// of the step part of invariant 18 (flags), spec §7.
//
// It does not reuse GpuVm's walk: it judges a step list against the VA set before the request,
// from the rules of spec §3 alone:
// * at most two REMAPs; sm_map has exactly one MAP, last, equal to the request; sm_unmap has none;
// * the steps touch exactly the VAs that overlap the request, each once, in address order;
// * an UNMAP removes a VA that lies inside the request; a REMAP has a prev exactly when the VA
//   starts before the request (ending at req_addr, same BO and offset) and a next exactly when it
//   ends after it (starting at req_end, offset + (req_end - va.addr));
// * keep is false in sm_unmap and, in sm_map, true exactly for a BO mapping of the request's BO at
//   the same offset - address delta;
// * applying the steps gives (Vas minus [req]) ∪ {req} for a map and Vas minus [req] for an unmap,
//   pieces exact; the actual state after the request, when given, must be the same set.
// v2's run_bo_unmap (sm_unmap_va with each VA's own range) fails it: it UNMAPs VAs that stick out
// of the request and the result is not Vas minus [req] (over-unmap, spec §5.3). Pure functions.

using System.Collections.Immutable;

namespace Gpuvmsim.Model;

/// <summary>Judges split/merge step lists (see the file's DOC).</summary>
public static class SplitMergeChecker
{
    /// <summary>Invariant 16 for a drm_gpuvm_sm_map of <paramref name="req"/>.</summary>
    public static ImmutableArray<InvariantViolation> CheckMap(IReadOnlyList<GpuVa> before, OpMap req, IReadOnlyList<GpuVaOp> steps, IReadOnlyList<GpuVa>? after = null) =>
        Check(before, req.Addr, req.Range, req, steps, after);

    /// <summary>Invariant 16 for a drm_gpuvm_sm_unmap of [addr, addr+range).</summary>
    public static ImmutableArray<InvariantViolation> CheckUnmap(IReadOnlyList<GpuVa> before, ulong addr, ulong range, IReadOnlyList<GpuVaOp> steps, IReadOnlyList<GpuVa>? after = null) =>
        Check(before, addr, range, null, steps, after);

    /// <summary>
    /// Invariant 18 for one request: REMAP pieces carry the original's flags and the MAP's VA carries
    /// <paramref name="mapFlags"/> (without MSM_VMA_DUMP for a NULL mapping); <paramref name="after"/> is the state after it.
    /// </summary>
    public static ImmutableArray<InvariantViolation> CheckFlags(IReadOnlyList<GpuVaOp> steps, IReadOnlyList<GpuVa> after, GpuVaFlags mapFlags)
    {
        var found = ImmutableArray.CreateBuilder<InvariantViolation>();
        var byRange = after.GroupBy(v => (v.Addr, v.Range)).ToDictionary(g => g.Key, g => g.Last());
        foreach (var op in steps)
        {
            if (op.Kind == GpuVaOpKind.Remap)
            {
                foreach (var piece in new[] { op.Remap.Prev, op.Remap.Next })
                    if (piece is { } p && byRange.TryGetValue((p.Addr, p.Range), out var va) && va.Flags != op.Remap.Unmap.Va.Flags)
                        found.Add(InvariantViolation.Of(18, $"REMAP piece {va} has flags {va.Flags}, the original had {op.Remap.Unmap.Va.Flags}", va.Id));
            }
            else if (op.Kind == GpuVaOpKind.Map && byRange.TryGetValue((op.Map.Addr, op.Map.Range), out var mapped))
            {
                var want = op.Map.Obj is null ? mapFlags & ~MsmVmaFlags.Dump : mapFlags;
                if (mapped.Flags != want)
                    found.Add(InvariantViolation.Of(18, $"MAP created {mapped} with flags {mapped.Flags}, expected {want}", mapped.Id));
            }
        }
        return found.ToImmutable();
    }

    private readonly record struct Piece(ulong Addr, ulong Range, ObjId? Obj, ulong Offset);

    private static ImmutableArray<InvariantViolation> Check(IReadOnlyList<GpuVa> before, ulong addr, ulong range, OpMap? req, IReadOnlyList<GpuVaOp> steps, IReadOnlyList<GpuVa>? after)
    {
        var found = ImmutableArray.CreateBuilder<InvariantViolation>();
        var what = req is { } r ? $"sm_map {r}" : $"sm_unmap [0x{addr:x},+0x{range:x})";
        void Fail(string message, params object[] objects) => found.Add(InvariantViolation.Of(16, $"{what}: {message}", objects));
        var reqEnd = unchecked(addr + range);
        var overlapping = before.Where(v => Overlaps(v, addr, reqEnd)).ToList();
        var touched = new List<GpuVa>();
        var remaps = 0;
        var maps = 0;
        for (var i = 0; i < steps.Count; i++)
        {
            var op = steps[i];
            switch (op.Kind)
            {
                case GpuVaOpKind.Map:
                    maps++;
                    if (req is null)
                        Fail("sm_unmap produced a MAP step");
                    else if (i != steps.Count - 1)
                        Fail($"MAP is step {i} of {steps.Count}, not the last");
                    if (req is { } wanted && op.Map != wanted)
                        Fail($"MAP {op.Map} does not repeat the request");
                    break;
                case GpuVaOpKind.Unmap:
                    touched.Add(op.Unmap.Va);
                    if (op.Unmap.Va.Addr < addr || op.Unmap.Va.End > reqEnd)
                        Fail($"UNMAP removes {op.Unmap.Va}, which extends outside the request", op.Unmap.Va.Id);
                    CheckKeep(op.Unmap, req, Fail);
                    break;
                default:
                    remaps++;
                    touched.Add(op.Remap.Unmap.Va);
                    CheckRemap(op.Remap, addr, reqEnd, Fail);
                    CheckKeep(op.Remap.Unmap, req, Fail);
                    break;
            }
        }
        if (remaps > 2)
            Fail($"{remaps} REMAP steps (at most 2)");
        if (req is not null && maps != 1)
            Fail($"{maps} MAP steps (exactly 1)");
        if (!touched.Select(v => v.Id).SequenceEqual(overlapping.Select(v => v.Id)))
            Fail($"steps touch [{string.Join(", ", touched)}] but the overlapping VAs are [{string.Join(", ", overlapping)}]");
        var expected = Expected(before, addr, reqEnd, req);
        var applied = Applied(before, steps);
        if (!applied.SequenceEqual(expected))
            Fail($"applying the steps gives [{Show(applied)}], expected [{Show(expected)}]");
        if (after is not null && !Canonical(after.Select(v => new Piece(v.Addr, v.Range, v.Obj, v.Offset))).SequenceEqual(expected))
            Fail($"the VA space after the request is [{Show(Canonical(after.Select(v => new Piece(v.Addr, v.Range, v.Obj, v.Offset))))}], expected [{Show(expected)}]");
        return found.ToImmutable();
    }

    private static void CheckRemap(OpRemap op, ulong addr, ulong reqEnd, Action<string, object[]> fail)
    {
        var va = op.Unmap.Va;
        if (op.Prev is null && op.Next is null)
            fail($"REMAP of {va} has neither prev nor next", [va.Id]);
        if ((op.Prev is not null) != (va.Addr < addr))
            fail($"REMAP of {va}: prev {(op.Prev is null ? "missing" : "present")} but the VA starts {(va.Addr < addr ? "before" : "at or after")} the request", [va.Id]);
        if ((op.Next is not null) != (va.End > reqEnd))
            fail($"REMAP of {va}: next {(op.Next is null ? "missing" : "present")} but the VA ends {(va.End > reqEnd ? "after" : "at or before")} the request", [va.Id]);
        if (op.Prev is { } p && p != new OpMap(va.Addr, unchecked(addr - va.Addr), va.Obj, va.Offset))
            fail($"REMAP of {va}: prev {p} is not [va.addr, req_addr) at va.offset", [va.Id]);
        if (op.Next is { } n && n != new OpMap(reqEnd, unchecked(va.End - reqEnd), va.Obj, unchecked(va.Offset + (reqEnd - va.Addr))))
            fail($"REMAP of {va}: next {n} is not [req_end, va.end) at va.offset + (req_end - va.addr)", [va.Id]);
    }

    private static void CheckKeep(OpUnmap unmap, OpMap? req, Action<string, object[]> fail)
    {
        var va = unmap.Va;
        var expected = req is { } r && va.Obj is not null && va.Obj == r.Obj && unchecked(va.Offset - va.Addr) == unchecked(r.Offset - r.Addr);
        if (unmap.Keep != expected)
            fail($"keep is {unmap.Keep} for {va}, expected {expected}", [va.Id]);
    }

    private static bool Overlaps(GpuVa va, ulong addr, ulong end) => va.Range != 0 && addr < end && va.Addr < end && addr < va.End;

    private static List<Piece> Expected(IReadOnlyList<GpuVa> before, ulong addr, ulong reqEnd, OpMap? req)
    {
        var result = new List<Piece>();
        foreach (var va in before)
        {
            if (!Overlaps(va, addr, reqEnd))
            {
                result.Add(new Piece(va.Addr, va.Range, va.Obj, va.Offset));
                continue;
            }
            if (va.Addr < addr)
                result.Add(new Piece(va.Addr, addr - va.Addr, va.Obj, va.Offset));
            if (va.End > reqEnd)
                result.Add(new Piece(reqEnd, va.End - reqEnd, va.Obj, unchecked(va.Offset + (reqEnd - va.Addr))));
        }
        if (req is { } r)
            result.Add(new Piece(r.Addr, r.Range, r.Obj, r.Offset));
        return Canonical(result);
    }

    private static List<Piece> Applied(IReadOnlyList<GpuVa> before, IReadOnlyList<GpuVaOp> steps)
    {
        var state = before.ToDictionary(v => v.Id, v => new Piece(v.Addr, v.Range, v.Obj, v.Offset));
        var added = new List<Piece>();
        foreach (var op in steps)
        {
            switch (op.Kind)
            {
                case GpuVaOpKind.Map:
                    added.Add(new Piece(op.Map.Addr, op.Map.Range, op.Map.Obj, op.Map.Offset));
                    break;
                case GpuVaOpKind.Unmap:
                    state.Remove(op.Unmap.Va.Id);
                    break;
                default:
                    state.Remove(op.Remap.Unmap.Va.Id);
                    foreach (var piece in new[] { op.Remap.Prev, op.Remap.Next })
                        if (piece is { } p)
                            added.Add(new Piece(p.Addr, p.Range, p.Obj, p.Offset));
                    break;
            }
        }
        return Canonical(state.Values.Concat(added));
    }

    private static List<Piece> Canonical(IEnumerable<Piece> pieces) =>
        [.. pieces.OrderBy(p => p.Addr).ThenBy(p => p.Range).ThenBy(p => p.Obj?.Value ?? long.MinValue).ThenBy(p => p.Offset)];

    private static string Show(List<Piece> pieces) =>
        string.Join(", ", pieces.Select(p => $"[0x{p.Addr:x},+0x{p.Range:x}) {(p.Obj?.ToString() ?? "NULL")}@0x{p.Offset:x}"));
}
