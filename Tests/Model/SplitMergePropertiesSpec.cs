using FsCheck;
using FsCheck.Fluent;
using Gpuvmsim.Model;

namespace Gpuvmsim.Tests.Model;

/// <summary>
/// Properties of split/merge over random request scripts on small VA spaces (fixed seeds, so every
/// run checks the same cases). Each script runs twice: as ops lists applied afterwards (how the
/// kernel vectors were made) and as the in-place callback walk (how a VM actor runs it), both
/// through GpuVmWorld with vm_bo bookkeeping and page tables.
/// </summary>
public sealed class SplitMergePropertiesSpec
{
    [Fact]
    public void Random_request_scripts_keep_every_invariant_and_match_the_paint_oracle()
    {
        Prop.ForAll(RequestScripts.Scripts(), script => Run(script)).Check(RequestScripts.Deterministic(600));
    }

    [Fact]
    public void Random_request_scripts_with_another_seed_also_hold()
    {
        Prop.ForAll(RequestScripts.Scripts(maxRequests: 16), script => Run(script)).Check(RequestScripts.Deterministic(300, seed: 77));
    }

    [Fact]
    public void A_vm_bo_refcount_equals_its_linked_vas_plus_the_external_refs_the_caller_declares()
    {
        Prop.ForAll(RequestScripts.Scripts(), script =>
        {
            var (world, vm) = NewWorld(script.Shape, withMmu: false);
            foreach (var t in script.Templates)
                world.BindWithOpsList(vm, RequestScripts.Interpret(t, script.Shape, [.. world.Vm(vm).Vas()]));
            var vmBo = world.Objects.SelectMany(o => o.VmBos).FirstOrDefault();
            if (vmBo is null)
                return;
            var obj = world.Object(vmBo.Id.Obj);
            obj.VmBoGet(vmBo.Id);
            obj.VmBoGet(vmBo.Id);
            var declared = new LinkageContext { ExternalVmBoRefs = new Dictionary<VmBoId, int> { [vmBo.Id] = 2 } };
            Assert.Empty(LinkageInvariants.Check(world.Vms, world.Objects, declared));
            var undeclared = LinkageInvariants.Check(world.Vms, world.Objects);
            Assert.Contains(undeclared, v => v.Number == 5 && v.Objects.Contains(vmBo.Id.ToString()));
        }).Check(RequestScripts.Deterministic(200, seed: 5));
    }

    [Fact]
    public void The_generated_scripts_exercise_every_kind_of_step_the_kernel_vectors_contain()
    {
        var kinds = new HashSet<string>();
        foreach (var script in Gen.Sample(RequestScripts.Scripts().Generator, 400, new Rnd(31, 0x9E3779B97F4A7C15UL), 9))
        {
            var (world, vm) = NewWorld(script.Shape, withMmu: false);
            foreach (var t in script.Templates)
            {
                var req = RequestScripts.Interpret(t, script.Shape, [.. world.Vm(vm).Vas()]);
                var outcome = world.BindWithOpsList(vm, req);
                if (req is UnmapRequest && outcome.Ops.IsEmpty)
                    kinds.Add("unmap of an empty range");
                foreach (var op in outcome.Ops)
                    kinds.Add(Describe(op));
            }
        }
        string[] expected =
        [
            "map", "unmap keep=False", "unmap keep=True", "unmap of an empty range",
            "remap prev keep=False", "remap prev keep=True", "remap next keep=False", "remap next keep=True",
            "remap prev+next keep=False", "remap prev+next keep=True", "NULL piece with a non-zero offset",
        ];
        Assert.True(!expected.Except(kinds).Any(), string.Join(" | ", kinds));
    }

    private static string Describe(GpuVaOp op) => op.Kind switch
    {
        GpuVaOpKind.Map => "map",
        GpuVaOpKind.Unmap => $"unmap keep={op.Unmap.Keep}",
        _ when op.Remap.Unmap.Va.IsNull && op.Remap.Next is { Offset: > 0 } => "NULL piece with a non-zero offset",
        _ => $"remap {(op.Remap.Prev is null ? "" : "prev")}{(op.Remap.Prev is not null && op.Remap.Next is not null ? "+" : "")}{(op.Remap.Next is null ? "" : "next")} keep={op.Remap.Unmap.Keep}",
    };

    private static void Run(RequestScript script)
    {
        var shape = script.Shape;
        var (lists, vmA) = NewWorld(shape, withMmu: true);
        var (walks, vmB) = NewWorld(shape, withMmu: true);
        var oracle = new PaintOracle(shape);
        var recorded = new List<IReadOnlyList<GpuVaOp>>();
        foreach (var t in script.Templates)
        {
            var req = RequestScripts.Interpret(t, shape, [.. lists.Vm(vmA).Vas()]);
            var before = lists.Vm(vmA).Vas().ToList();
            var listed = lists.BindWithOpsList(vmA, req);
            var walked = walks.BindInPlace(vmB, req);
            Assert.True(listed.Ok, $"{req}: {listed}");
            Assert.True(walked.Ok, $"{req}: {walked}");
            Assert.Equal(listed.Ops.AsEnumerable(), walked.Ops.AsEnumerable());
            var after = lists.Vm(vmA).Vas().ToList();
            Assert.Empty(req is MapRequest m
                ? SplitMergeChecker.CheckMap(before, m.Op, listed.Ops, after)
                : SplitMergeChecker.CheckUnmap(before, req.Addr, req.Range, listed.Ops, after));
            Assert.Empty(SplitMergeChecker.CheckFlags(listed.Ops, after, GpuVaFlags.None));
            Assert.Empty(lists.CheckInvariants());
            Assert.Empty(walks.CheckInvariants());
            Assert.Equal(lists.StateHash(), walks.StateHash());
            foreach (var va in after)
                Assert.True(lists.Mmu(vmA)!.IsFullyMapped(va.Addr, va.Range), $"{va} not fully mapped");
            oracle.Apply(req);
            recorded.Add(listed.Ops);
        }
        var final = lists.Vm(vmA).Vas().Select(v => (v.Addr, v.Range, v.Obj, v.Offset)).ToList();
        Assert.Equal(oracle.Final(), final);
        Assert.Equal(final, Replay(shape, recorded));
        Assert.Empty(lists.Findings);
        Assert.Empty(walks.Findings);
        UnmapEverything(lists, vmA, shape);
    }

    /// <summary>Replays recorded steps on an empty space, finding each unmapped VA by its exact range.</summary>
    private static List<(ulong, ulong, ObjId?, ulong)> Replay(SpaceShape shape, List<IReadOnlyList<GpuVaOp>> recorded)
    {
        var vm = new GpuVm(new VmId(9), shape.MmStart, shape.MmRange);
        void Remove(GpuVa old)
        {
            var found = vm.Find(old.Addr, old.Range);
            Assert.NotNull(found);
            var va = vm.GetVa(found.Value);
            Assert.Equal((old.Obj, old.Offset), (va.Obj, va.Offset));
            Assert.True(vm.Remove(found.Value).Removed);
        }
        void Insert(OpMap op) => Assert.Equal(0, vm.Map(op).Errno);
        foreach (var op in recorded.SelectMany(steps => steps))
        {
            switch (op.Kind)
            {
                case GpuVaOpKind.Map:
                    Insert(op.Map);
                    break;
                case GpuVaOpKind.Unmap:
                    Remove(op.Unmap.Va);
                    break;
                default:
                    Remove(op.Remap.Unmap.Va);
                    if (op.Remap.Prev is { } p)
                        Insert(p);
                    if (op.Remap.Next is { } n)
                        Insert(n);
                    break;
            }
        }
        return [.. vm.Vas().Select(v => (v.Addr, v.Range, v.Obj, v.Offset))];
    }

    private static void UnmapEverything(GpuVmWorld world, VmId vm, SpaceShape shape)
    {
        Assert.True(world.BindWithOpsList(vm, new UnmapRequest(shape.MmStart, shape.MmRange)).Ok);
        Assert.Equal(0, world.Vm(vm).Count);
        Assert.Equal(1, world.Vm(vm).RefCount);
        Assert.Empty(world.Mmu(vm)!.Mappings());
        foreach (var obj in world.Objects)
        {
            Assert.Empty(obj.VmBos);
            Assert.Equal(1, obj.RefCount);
        }
        Assert.Empty(world.CheckInvariants());
    }

    private static (GpuVmWorld World, VmId Vm) NewWorld(SpaceShape shape, bool withMmu)
    {
        var world = new GpuVmWorld(new WorldOptions { WithMmu = withMmu });
        var vm = world.CreateVm(shape.MmStart, shape.MmRange);
        for (var bo = 1; bo <= 4; bo++)
            world.CreateObject(new ObjId(bo), size: null);
        return (world, vm);
    }
}
