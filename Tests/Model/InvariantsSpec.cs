using Gpuvmsim.Model;

namespace Gpuvmsim.Tests.Model;

/// <summary>Each invariant check of spec §7 catches a violation seeded into an otherwise sound state.</summary>
public sealed class InvariantsSpec
{
    private const ulong P = 4096;
    private static readonly ObjId A = new(1), B = new(2);

    [Fact]
    public void A_sound_world_has_no_violation()
    {
        var (world, vm) = World(withMmu: true);
        Map(world, vm, 0, 8 * P, A);
        Map(world, vm, 2 * P, 2 * P, B);
        Assert.Empty(world.CheckInvariants());
    }

    [Fact]
    public void A_link_recorded_on_one_side_only_breaks_linkage()
    {
        var (world, vm) = World();
        Map(world, vm, 0, 4 * P, A);
        var vmBo = world.Object(A).VmBos.Single().Id;
        world.Object(A).Link(new VaId(999, 0x9000), A, vmBo, LockWitness.ObjLocked);
        Assert.Contains(world.CheckInvariants(), v => v.Number == 3 && v.Message.Contains("va999"));
    }

    [Fact]
    public void An_undeclared_vm_bo_reference_breaks_the_vm_bo_refcount()
    {
        var (world, vm) = World();
        Map(world, vm, 0, 4 * P, A);
        var vmBo = world.Object(A).VmBos.Single().Id;
        world.Object(A).VmBoGet(vmBo);
        Assert.Contains(world.CheckInvariants(), v => v.Number == 5 && v.Objects.Contains(vmBo.ToString()));
        var declared = new LinkageContext { ExternalVmBoRefs = new Dictionary<VmBoId, int> { [vmBo] = 1 } };
        Assert.Empty(world.CheckInvariants(declared));
    }

    [Fact]
    public void A_vm_reference_the_caller_forgot_to_apply_breaks_the_vm_refcount()
    {
        var (world, vm) = World();
        world.Object(A).VmBoCreate(vm);
        Assert.Contains(world.CheckInvariants(), v => v.Number == 6 && v.Objects.Contains("vm1"));
    }

    [Fact]
    public void An_object_with_fewer_references_than_vm_bos_and_handles_breaks_the_lower_bound()
    {
        var (world, vm) = World();
        Map(world, vm, 0, 4 * P, A);
        world.Object(A).Put();
        Assert.Contains(world.CheckInvariants(), v => v.Number == 7 && v.Objects.Contains("bo1"));
        Assert.Empty(LinkageInvariants.Check(world.Vms, world.Objects, new LinkageContext()).Where(v => v.Number != 7));
    }

    [Fact]
    public void V2s_remap_of_an_evicted_vma_claims_ptes_that_do_not_exist()
    {
        var (world, vm) = World(withMmu: true);
        Map(world, vm, 0, 6 * P, A);
        var mmu = world.Mmu(vm)!;
        var a = world.Vm(vm).Vas().Single();
        mmu.Unmap(a.Addr, a.Range);
        world.Vm(vm).SetMapped(a.Id, false);
        Assert.Empty(MmuInvariants.CheckConsistency(world.Vm(vm), mmu));
        var remap = world.Vm(vm).SmMapOpsCreate(new OpMap(2 * P, 2 * P, B, 0)).Ops[0].Remap;
        var pieces = world.Vm(vm).Remap(remap);
        world.Vm(vm).SetMapped(pieces.Prev!.Value.Id, true); // v2: prev/next marked mapped unconditionally
        Assert.Contains(MmuInvariants.CheckConsistency(world.Vm(vm), mmu), v => v.Number == 12 && v.Message.Contains("no PTE"));
    }

    [Fact]
    public void A_pte_left_outside_every_va_is_reported_at_quiescence_only()
    {
        var (world, vm) = World(withMmu: true);
        var mmu = world.Mmu(vm)!;
        var pool = new MmuPrealloc();
        pool.Reserve(3);
        pool.Allocate();
        mmu.Prealloc = pool;
        mmu.Map(40 * P, A, 0, P, GpuVmWorld.ProtReadWrite);
        Assert.Contains(MmuInvariants.CheckConsistency(world.Vm(vm), mmu), v => v.Message.Contains("outside every VA"));
        Assert.Empty(MmuInvariants.CheckConsistency(world.Vm(vm), mmu, quiescent: false));
        Assert.Contains(MmuInvariants.CheckPrealloc(mmu, jobRunning: false), v => v.Number == 13);
        Assert.Empty(MmuInvariants.CheckPrealloc(mmu, jobRunning: true));
    }

    [Fact]
    public void Managed_vms_allow_only_whole_bo_mappings_at_offset_zero()
    {
        var vm = new GpuVm(new VmId(1), 0, 1UL << 32);
        vm.Insert(new VaInit(0, 4 * P, A, 0));
        vm.Insert(new VaInit(8 * P, 2 * P, B, P));
        vm.Insert(new VaInit(16 * P, P, null, 0));
        var found = VaSpaceInvariants.CheckManaged(vm, obj => obj == A ? 4 * P : 8 * P);
        Assert.Equal(3, found.Count(v => v.Number == 14));
    }

    [Fact]
    public void Remap_pieces_that_lose_the_originals_flags_and_null_vas_with_dump_are_flagged()
    {
        var vm = new GpuVm(new VmId(1), 0, 1UL << 32);
        vm.Insert(new VaInit(0, 4 * P, A, 0, MsmVmaFlags.Dump));
        var ops = vm.SmMapOpsCreate(new OpMap(P, P, null, 0)).Ops;
        vm.Remap(ops[0].Remap, pieceFlags: GpuVaFlags.None);
        vm.Map(ops[1].Map, MsmVmaFlags.Dump);
        var after = vm.Vas().ToList();
        Assert.Equal(2, SplitMergeChecker.CheckFlags(ops, after, MsmVmaFlags.Dump).Count(v => v.Message.Contains("REMAP piece")));
        Assert.Contains(VaSpaceInvariants.Check(vm), v => v.Number == 18 && v.Message.Contains("NULL mapping"));
    }

    [Fact]
    public void The_reference_checker_rejects_wrong_pieces_offsets_keep_and_a_missing_map()
    {
        var vm = new GpuVm(new VmId(1), 0, 1UL << 32);
        vm.Insert(new VaInit(0, 8 * P, A, 0));
        var before = vm.Vas().ToList();
        var req = new OpMap(2 * P, 2 * P, A, 2 * P);
        var good = vm.SmMapOpsCreate(req).Ops;
        Assert.Empty(SplitMergeChecker.CheckMap(before, req, good));
        var remap = good[0].Remap;
        var badOffset = GpuVaOp.ForRemap(remap with { Next = remap.Next!.Value with { Offset = 0 } });
        Assert.Contains(SplitMergeChecker.CheckMap(before, req, [badOffset, good[1]]), v => v.Message.Contains("next"));
        var badKeep = GpuVaOp.ForRemap(remap with { Unmap = remap.Unmap with { Keep = false } });
        Assert.Contains(SplitMergeChecker.CheckMap(before, req, [badKeep, good[1]]), v => v.Message.Contains("keep"));
        Assert.Contains(SplitMergeChecker.CheckMap(before, req, [good[0]]), v => v.Message.Contains("0 MAP steps"));
    }

    [Fact]
    public void V2_style_locking_trips_the_gpuva_assert_on_the_other_bos_a_map_remaps()
    {
        var world = new GpuVmWorld(new WorldOptions { LockOnlyRequestObject = true });
        var vm = world.CreateVm(0, 1UL << 32);
        world.CreateObject(A, null);
        world.CreateObject(B, null);
        Map(world, vm, 0, 4 * P, A);
        Assert.Empty(world.Findings);
        Map(world, vm, 2 * P, 4 * P, B);
        Assert.Contains(world.Findings, f => f.Kind == FindingKind.LockAssert && f.Message.Contains("bo1"));
        Assert.DoesNotContain(world.Findings, f => f.Message.Contains("bo2"));
    }

    [Fact]
    public void Remapping_the_last_va_of_a_vm_bo_keeps_that_vm_bo_alive_as_merged_does()
    {
        var (world, vm) = World();
        Map(world, vm, 0, 4 * P, A);
        var before = world.Object(A).VmBos.Single().Id;
        Map(world, vm, 0, 2 * P, B);
        Assert.Equal(before, world.Object(A).VmBos.Single().Id);
        Assert.Empty(world.CheckInvariants());
    }

    private static (GpuVmWorld World, VmId Vm) World(bool withMmu = false)
    {
        var world = new GpuVmWorld(new WorldOptions { WithMmu = withMmu });
        var vm = world.CreateVm(0, 1UL << 32);
        world.CreateObject(A, null);
        world.CreateObject(B, null);
        return (world, vm);
    }

    private static void Map(GpuVmWorld world, VmId vm, ulong addr, ulong range, ObjId obj) =>
        Assert.True(world.BindInPlace(vm, new MapRequest(addr, range, obj, 0)).Ok);
}
