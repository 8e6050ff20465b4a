using Gpuvmsim.Model;

namespace Gpuvmsim.Tests.Model;

/// <summary>
/// Edge cases of drm_gpuvm_sm_map / sm_unmap worked out from the kernel code (drm_gpuvm.c @ cb9f145f638d):
/// the classes the held-out vectors stress (NULL mappings with offsets, non-zero mm_start, small spaces
/// touching both ends, empty unmaps, long sequences) and the kernel's own corner cases.
/// </summary>
public sealed class SplitMergeEdgeCasesSpec
{
    private const ulong P = 4096;
    private static readonly ObjId A = new(1), B = new(2);

    [Fact]
    public void A_split_null_mapping_carries_the_kernels_offset_arithmetic_into_both_pieces()
    {
        var vm = new GpuVm(new VmId(1), 0, 1UL << 32);
        Apply(vm, new OpMap(16 * P, 8 * P, null, 3 * P));
        var ops = vm.SmMapOpsCreate(new OpMap(18 * P, 2 * P, B, 0));
        var remap = Assert.Single(ops.Ops, o => o.Kind == GpuVaOpKind.Remap).Remap;
        Assert.Equal(new OpMap(16 * P, 2 * P, null, 3 * P), remap.Prev);
        Assert.Equal(new OpMap(20 * P, 4 * P, null, 3 * P + (4 * P)), remap.Next);
        Assert.False(remap.Unmap.Keep);
        Apply(vm, ops);
        var unmap = vm.SmUnmapOpsCreate(21 * P, P).Ops.Single().Remap;
        Assert.Equal(new OpMap(22 * P, 2 * P, null, 3 * P + (6 * P)), unmap.Next);
    }

    [Fact]
    public void An_identical_null_mapping_is_unmapped_with_keep_false_and_mapped_again()
    {
        var vm = new GpuVm(new VmId(1), 0, 1UL << 32);
        Apply(vm, new OpMap(P, 4 * P, null, 5 * P));
        var ops = vm.SmMapOpsCreate(new OpMap(P, 4 * P, null, 5 * P)).Ops;
        Assert.Equal([GpuVaOpKind.Unmap, GpuVaOpKind.Map], ops.Select(o => o.Kind));
        Assert.False(ops[0].Unmap.Keep);
    }

    [Theory]
    [InlineData(0x7000UL)]
    [InlineData(0x10000000UL)]
    [InlineData(1UL << 40)]
    public void A_small_space_at_a_high_start_accepts_requests_touching_both_ends_and_rejects_one_page_beyond(ulong start)
    {
        var vm = new GpuVm(new VmId(1), start, 16 * P);
        Assert.True(vm.SmMapOpsCreate(new OpMap(start, 16 * P, A, 0)).Ok);
        Apply(vm, new OpMap(start, 16 * P, A, 0));
        var first = vm.SmUnmapOpsCreate(start, P).Ops.Single().Remap;
        Assert.Equal((null, new OpMap(start + P, 15 * P, A, P)), (first.Prev, first.Next));
        var last = vm.SmUnmapOpsCreate(start + (15 * P), P).Ops.Single().Remap;
        Assert.Equal((new OpMap(start, 15 * P, A, 0), null), (last.Prev, last.Next));
        Assert.Equal(-Errno.EINVAL, vm.SmMapOpsCreate(new OpMap(start + (15 * P), 2 * P, B, 0)).Errno);
        Assert.Equal(-Errno.EINVAL, vm.SmUnmapOpsCreate(start - P, 2 * P).Errno);
        Assert.Equal(-Errno.EINVAL, vm.SmMap(new FailingHandler(at: 0), new OpMap(start + (16 * P), P, A, 0)).Errno);
    }

    [Fact]
    public void An_unmap_over_holes_only_steps_on_the_mappings_it_touches()
    {
        var vm = new GpuVm(new VmId(1), 0, 1UL << 32);
        Apply(vm, new OpMap(10 * P, 2 * P, A, 0));
        Apply(vm, new OpMap(20 * P, 2 * P, B, 0));
        Assert.Empty(vm.SmUnmapOpsCreate(13 * P, 5 * P).Ops);
        Assert.Empty(vm.SmUnmapOpsCreate(0, 10 * P).Ops);
        Assert.Equal(2, vm.SmUnmapOpsCreate(0, 30 * P).Ops.Length);
    }

    [Fact]
    public void A_nine_request_sequence_replays_exactly_through_the_runner()
    {
        VmRequest[] requests =
        [
            new MapRequest(0, 16 * P, A, 0), new MapRequest(4 * P, 4 * P, B, 0), new MapRequest(4 * P, 4 * P, A, 4 * P),
            new UnmapRequest(2 * P, 12 * P), new MapRequest(P, 14 * P, null, 7 * P), new MapRequest(3 * P, P, B, 9 * P),
            new UnmapRequest(0, 4 * P), new MapRequest(15 * P, P, A, 15 * P), new UnmapRequest(0, 16 * P),
        ];
        var result = GpuvmOpsRunner.Run(new GpuvmOpsCase("seq", 0, 16 * P, [.. requests]), strict: false, P, out var world);
        Assert.Null(result.Error);
        Assert.Equal(9, result.Steps.Length);
        Assert.Empty(result.Final);
        Assert.Empty(world.CheckInvariants());
        Assert.Empty(world.Findings);
    }

    [Fact]
    public void A_range_zero_unmap_inside_a_mapping_splits_it_as_the_interval_tree_sees_the_straddling_va()
    {
        var vm = new GpuVm(new VmId(1), 0, 1UL << 32);
        Apply(vm, new OpMap(8 * P, 4 * P, A, 0));
        var split = vm.SmUnmapOpsCreate(10 * P, 0).Ops.Single().Remap;
        Assert.Equal((new OpMap(8 * P, 2 * P, A, 0), new OpMap(10 * P, 2 * P, A, 2 * P)), (split.Prev, split.Next));
        Assert.Empty(vm.SmUnmapOpsCreate(8 * P, 0).Ops);
        Assert.Empty(vm.SmUnmapOpsCreate(12 * P, 0).Ops);
    }

    [Fact]
    public void A_range_zero_map_leaves_a_zero_range_va_that_invariant_two_flags()
    {
        var vm = new GpuVm(new VmId(1), 0, 1UL << 32);
        Apply(vm, new OpMap(8 * P, 4 * P, A, 0));
        var ops = vm.SmMapOpsCreate(new OpMap(10 * P, 0, B, 0)).Ops;
        Assert.Equal([GpuVaOpKind.Remap, GpuVaOpKind.Map], ops.Select(o => o.Kind));
        Apply(vm, ops);
        Assert.Equal([(8 * P, 2 * P), (10 * P, 2 * P), (10 * P, 0UL)], vm.Vas().Select(v => (v.Addr, v.Range)));
        Assert.Contains(VaSpaceInvariants.Check(vm), v => v.Number == 2 && v.Message.Contains("range 0"));
    }

    [Fact]
    public void A_zero_range_va_at_address_zero_is_found_by_every_lookup_because_its_last_wraps_to_the_top()
    {
        var vm = new GpuVm(new VmId(1), 0, 1UL << 32);
        Apply(vm, new OpMap(0, 0, null, 0));
        var zero = vm.First()!.Value;
        Assert.Equal(zero, vm.FindFirst(100 * P, P));
        var ops = vm.SmMapOpsCreate(new OpMap(P, P, A, 0)).Ops;
        var remap = ops[0].Remap;
        Assert.Equal((new OpMap(0, P, null, 0), null), (remap.Prev, remap.Next));
    }

    [Fact]
    public void A_failing_step_stops_the_walk_at_once_and_leaves_the_earlier_steps_applied()
    {
        var vm = new GpuVm(new VmId(1), 0, 100 * P);
        Apply(vm, new OpMap(0, 4 * P, A, 0));
        Apply(vm, new OpMap(4 * P, 4 * P, B, 0));
        var handler = new FailingHandler(at: 1, vm);
        Assert.Equal(-Errno.ENOMEM, vm.SmMap(handler, new OpMap(0, 8 * P, new ObjId(3), 0)).Errno);
        Assert.Equal(2, handler.Calls);
        Assert.Equal([(4 * P, B)], vm.Vas().Select(v => (v.Addr, v.Obj!.Value)));
    }

    [Fact]
    public void Removing_the_saved_next_va_inside_a_step_is_reported_as_a_dangling_iterator()
    {
        var vm = new GpuVm(new VmId(1), 0, 100 * P);
        Apply(vm, new OpMap(0, 2 * P, A, 0));
        Apply(vm, new OpMap(2 * P, 2 * P, A, 2 * P));
        var second = vm.FindFirst(2 * P, P)!.Value;
        var walk = vm.SmUnmap(new RemoveNextHandler(vm, second), 0, 8 * P);
        Assert.Equal(second, walk.DanglingVa);
        var range = vm.WalkRange(0, 8 * P);
        Assert.Empty(range.ToList());
        Assert.Null(range.DanglingVa);
    }

    [Fact]
    public void The_safe_walk_lets_its_body_remove_the_current_va_and_skips_vas_inserted_behind_it()
    {
        var vm = new GpuVm(new VmId(1), 0, 100 * P);
        Apply(vm, new OpMap(0, P, A, 0));
        Apply(vm, new OpMap(4 * P, P, A, 0));
        var seen = new List<ulong>();
        foreach (var va in vm.WalkRange(0, 10 * P))
        {
            seen.Add(va.Addr);
            vm.Remove(va.Id);
            vm.Insert(new VaInit(va.Addr + P, P, B, 0));
        }
        Assert.Equal([0, 4 * P], seen);
    }

    [Fact]
    public void Sm_unmap_va_with_the_vas_own_range_over_unmaps_and_the_reference_checker_says_so()
    {
        var vm = new GpuVm(new VmId(1), 0, 100 * P);
        Apply(vm, new OpMap(0, 12 * P, A, 0));
        var before = vm.Vas().ToList();
        var recorder = new Recorder();
        var va = before[0];
        Assert.True(vm.SmUnmapVa(recorder, va.Id, va.Addr, va.Range).Ok);
        var step = Assert.Single(recorder.Ops);
        Assert.Equal(GpuVaOpKind.Unmap, step.Kind);
        var violations = SplitMergeChecker.CheckUnmap(before, 4 * P, 4 * P, recorder.Ops);
        Assert.Contains(violations, v => v.Number == 16 && v.Message.Contains("extends outside the request"));
    }

    [Fact]
    public void Keep_follows_the_contiguity_rule_for_vas_before_at_and_after_the_request_start()
    {
        var vm = new GpuVm(new VmId(1), 0, 100 * P);
        Apply(vm, new OpMap(0, 4 * P, A, 10 * P));
        Apply(vm, new OpMap(6 * P, 4 * P, A, 16 * P));
        var ops = vm.SmMapOpsCreate(new OpMap(2 * P, 6 * P, A, 12 * P)).Ops;
        Assert.True(ops[0].Remap.Unmap.Keep);
        Assert.True(ops[1].Remap.Unmap.Keep);
        ops = vm.SmMapOpsCreate(new OpMap(2 * P, 6 * P, A, 13 * P)).Ops;
        Assert.False(ops[0].Remap.Unmap.Keep || ops[1].Remap.Unmap.Keep);
    }

    [Fact]
    public void Remap_to_unmap_range_is_the_hole_between_the_pieces()
    {
        var va = new GpuVa(new VaId(1, 0), 0, 10 * P, A, 0);
        Assert.Equal((2 * P, 5 * P), new OpRemap(new OpUnmap(va, false), new OpMap(0, 2 * P, A, 0), new OpMap(7 * P, 3 * P, A, 7 * P)).UnmapRange());
        Assert.Equal((0UL, 7 * P), new OpRemap(new OpUnmap(va, false), null, new OpMap(7 * P, 3 * P, A, 7 * P)).UnmapRange());
        Assert.Equal((2 * P, 8 * P), new OpRemap(new OpUnmap(va, false), new OpMap(0, 2 * P, A, 0), null).UnmapRange());
    }

    [Fact]
    public void Find_prev_and_find_next_return_only_adjacent_vas()
    {
        var vm = new GpuVm(new VmId(1), 0, 100 * P);
        Apply(vm, new OpMap(P, P, A, 0));
        Apply(vm, new OpMap(2 * P, P, B, 0));
        Apply(vm, new OpMap(5 * P, P, B, 0));
        Assert.Equal(P, vm.GetVa(vm.FindPrev(2 * P)!.Value).Addr);
        Assert.Equal(2 * P, vm.GetVa(vm.FindNext(2 * P)!.Value).Addr);
        Assert.Null(vm.FindNext(3 * P));
        Assert.Null(vm.FindPrev(0));
        Assert.Null(vm.Find(P, 2 * P));
        Assert.NotNull(vm.Find(5 * P, P));
    }

    [Fact]
    public void The_kernel_node_refuses_overlapping_requests_and_its_own_removal_but_is_walked()
    {
        var vm = new GpuVm(new VmId(1), 0, 100 * P, reserveOffset: 0, reserveRange: 4 * P);
        Assert.Equal(0, vm.Count);
        Assert.Equal(-Errno.EINVAL, vm.SmMapOpsCreate(new OpMap(3 * P, 2 * P, A, 0)).Errno);
        var node = vm.First()!.Value;
        Assert.Equal(FindingKind.Warn, vm.Remove(node).Finding!.Kind);
        Assert.True(vm.GetVa(node).IsKernelNode);
        Assert.Equal(1, vm.RefCount);
    }

    [Fact]
    public void Every_inserted_va_holds_a_vm_reference_and_freeing_a_nonempty_vm_warns()
    {
        var vm = new GpuVm(new VmId(1), 0, 100 * P);
        var a = vm.Insert(new VaInit(0, P, A, 0));
        vm.Insert(new VaInit(P, P, A, 0));
        Assert.Equal(3, vm.RefCount);
        Assert.Equal(-Errno.EEXIST, vm.Insert(new VaInit(0, 2 * P, B, 0)).Errno);
        Assert.Equal(KrefOutcome.Dropped, vm.Remove(a.Id).VmRef);
        Assert.Equal(FindingKind.UseAfterFree, vm.Remove(a.Id).Finding?.Kind);
        Assert.Equal(KrefOutcome.Dropped, vm.Put());
        Assert.Equal(KrefOutcome.Released, vm.Put());
        Assert.Contains("not empty", Assert.Single(vm.FiniWarnings).Message);
        Assert.Equal(KrefOutcome.UseAfterFree, vm.Get());
    }

    [Theory]
    [InlineData(0x1000UL, 0x1001UL, 0UL, Rule.Unaligned, "range", "range 0x1001 is not a multiple of the 0x1000 page size")]
    [InlineData(0x1800UL, 0x1000UL, 0UL, Rule.Unaligned, "addr", "addr 0x1800 is not a multiple of the 0x1000 page size")]
    [InlineData(0x1000UL, 0UL, 0UL, Rule.ZeroRange, "range", "range is 0")]
    [InlineData(0x63000UL, 0x2000UL, 0UL, Rule.OutsideVaSpace, "range", "outside the VA space")]
    [InlineData(0x1000UL, 0x1000UL, 0x10000UL, Rule.BeyondObject, "offset", "beyond the end of bo1")]
    public void The_strict_check_names_the_rule_and_the_field(ulong addr, ulong range, ulong offset, Rule rule, string field, string message)
    {
        var vm = new GpuVm(new VmId(1), 0, 100 * P);
        var error = RequestValidator.CheckMap(vm, new MapRequest(addr, range, A, offset), objSize: 16 * P, pageSize: P);
        Assert.NotNull(error);
        Assert.Equal((rule, field), (error.Rule, error.Field));
        Assert.Contains(message, error.Message);
        Assert.Null(RequestValidator.CheckKernelRange(vm, 0x1000, 0));
    }

    [Fact]
    public void A_VA_space_ending_at_2_to_the_64_refuses_every_request_and_says_why()
    {
        var vm = new GpuVm(new VmId(1), ulong.MaxValue - 16 * P + 1, 16 * P);

        var error = RequestValidator.CheckKernelRange(vm, vm.MmStart, P);

        Assert.Equal(Rule.OutsideVaSpace, error?.Rule);
        Assert.Contains("[0xffffffffffff0000, +0x10000), whose end overflows u64", error!.Message);
    }

    private static void Apply(GpuVm vm, OpMap req) => Apply(vm, vm.SmMapOpsCreate(req));

    private static void Apply(GpuVm vm, OpsResult ops)
    {
        Assert.True(ops.Ok);
        foreach (var op in ops.Ops)
            vm.Apply(op);
    }

    private static void Apply(GpuVm vm, IEnumerable<GpuVaOp> ops)
    {
        foreach (var op in ops)
            vm.Apply(op);
    }

    private sealed class FailingHandler(int at, GpuVm? vm = null) : ISmStepHandler
    {
        public int Calls { get; private set; }

        public int StepMap(in OpMap op)
        {
            var copy = op;
            return Step(() => vm?.Map(copy));
        }

        public int StepRemap(in OpRemap op)
        {
            var copy = op;
            return Step(() => vm?.Remap(copy));
        }

        public int StepUnmap(in OpUnmap op)
        {
            var copy = op;
            return Step(() => vm?.Unmap(copy));
        }

        private int Step(Action apply)
        {
            if (Calls++ == at)
                return -Errno.ENOMEM;
            apply();
            return 0;
        }
    }

    private sealed class RemoveNextHandler(GpuVm vm, VaId victim) : ISmStepHandler
    {
        public int StepMap(in OpMap op) => 0;

        public int StepRemap(in OpRemap op) => 0;

        public int StepUnmap(in OpUnmap op)
        {
            vm.Unmap(op);
            if (vm.IsLive(victim))
                vm.Remove(victim);
            return 0;
        }
    }

    private sealed class Recorder : ISmStepHandler
    {
        public List<GpuVaOp> Ops { get; } = [];

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
}
