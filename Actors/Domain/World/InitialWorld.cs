using Gpuvmsim.Model;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Domain.World;

/// <summary>
/// The state a scenario's world starts in, as pure functions over the model: the VAs of each VM, the vm_bos of each
/// BO, the PTEs of each MMU. World actors build their initial state with these in their constructors (so a restarted
/// actor starts from the same point before re-applying its events), and the builder uses the same functions to learn
/// the ids. Initial mappings are established without locks or jobs, in scenario order.
/// </summary>
public static class InitialWorld
{
    public static VmId VmIdOf(ScenarioSpec s, string vm) => new(IndexOf(s.Vms, vm, static (v, name) => v.Name == name) + 1);

    public static ObjId ObjIdOf(ScenarioSpec s, string bo) => new(IndexOf(s.Bos, bo, static (b, name) => b.Name == name) + 1);

    /// <summary>The VA space of <paramref name="vm"/> with its initial mappings inserted, linked and flagged.</summary>
    public static GpuVm BuildVm(ScenarioSpec s, VmSpec vm)
    {
        var id = VmIdOf(s, vm.Name);
        var gpuvm = new GpuVm(id, vm.VaStart, vm.VaRange);
        foreach (var m in s.InitialMappings)
        {
            if (m.Vm != vm.Name)
                continue;
            var obj = m.Bo is null ? (ObjId?)null : ObjIdOf(s, m.Bo);
            var inserted = gpuvm.Insert(new VaInit(m.Addr, m.Range, obj, m.Offset, m.Dump ? MsmVmaFlags.Dump : GpuVaFlags.None));
            if (inserted.Errno != 0)
                throw m.Origin.Error($"initial mapping rejected by drm_gpuva_insert: {Errno.Name(inserted.Errno)}");
            gpuvm.SetMapped(inserted.Id, m.Mapped);
            if (obj is { } o)
                gpuvm.SetVmBo(inserted.Id, VmBoOf(s, o, id));
        }
        // +1 per vm_bo on this VM (drm_gpuvm_bo_create takes a VM reference).
        foreach (var _ in s.InitialMappings.Where(m => m.Vm == vm.Name && m.Bo is not null).Select(m => m.Bo).Distinct())
            gpuvm.Get();
        return gpuvm;
    }

    /// <summary>
    /// The GEM object <paramref name="bo"/> with its handles and the vm_bos of its initial mappings: refcount =
    /// handles + one per vm_bo of a VM_BIND VM (kernel-managed VMs hold weak references in v2, DRM_GPUVM_VA_WEAK_REF).
    /// </summary>
    public static GemObject BuildBo(ScenarioSpec s, BoSpec bo)
    {
        var id = ObjIdOf(s, bo.Name);
        var obj = new GemObject(id, bo.Size);
        for (var h = 0; h < bo.Handles; h++)
            obj.HandleCreate();
        foreach (var vm in VmsOf(s, bo.Name))
        {
            var vmId = VmIdOf(s, vm.Name);
            var vmBo = obj.VmBoObtain(vmId, LockWitness.ObjLocked, weakObjRef: vm.Managed).VmBo!.Value;
            foreach (var va in InitialVaIds(s, vm))
            {
                if (va.Bo == bo.Name)
                    obj.Link(va.Id, id, vmBo, LockWitness.ObjLocked);
            }
            obj.VmBoPut(vmBo, LockWitness.ObjLocked);
        }
        obj.Put(); // drop the creation reference: what remains is held by handles and vm_bos
        return obj;
    }

    /// <summary>The page table of <paramref name="vm"/> with PTEs for every initial mapping marked mapped.</summary>
    public static MmuPageTable BuildMmu(ScenarioSpec s, VmSpec vm)
    {
        var mmu = new MmuPageTable(MmuConfigOf(vm));
        var initial = s.InitialMappings.Where(m => m.Vm == vm.Name && m.Mapped).ToList();
        var prealloc = new MmuPrealloc();
        foreach (var m in initial)
            prealloc.AddCount(m.Addr, m.Range, mmu.Config);
        prealloc.Allocate();
        mmu.Prealloc = prealloc;
        foreach (var m in initial)
        {
            var map = mmu.Map(m.Addr, m.Bo is null ? null : ObjIdOf(s, m.Bo), m.Offset, m.Range, GpuVmWorld.ProtReadWrite);
            if (map.Errno != 0)
                throw m.Origin.Error($"initial mapping could not be mapped in the MMU: {Errno.Name(map.Errno)}");
        }
        mmu.Prealloc = null;
        return mmu;
    }

    /// <summary>VM_BIND page tables take table pages only from the job's preallocation; kernel-managed ones allocate.</summary>
    public static MmuConfig MmuConfigOf(VmSpec vm) => new() { PreallocOnly = !vm.Managed };

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ScenarioSpec, Dictionary<(ObjId, VmId), VmBoId>> VmBoLayouts = new();

    /// <summary>The vm_bo of (obj, vm) in the initial state (computed once per scenario: every run starts alike).</summary>
    public static VmBoId VmBoOf(ScenarioSpec s, ObjId obj, VmId vm) =>
        VmBoLayouts.GetValue(s, spec => spec.Bos
            .SelectMany(b => BuildBo(spec, b).VmBos.Select(v => (Key: (ObjIdOf(spec, b.Name), v.Id.Vm), v.Id)))
            .ToDictionary(x => x.Key, x => x.Id))[(obj, vm)];

    /// <summary>The ids the initial mappings of <paramref name="vm"/> get, in scenario order.</summary>
    public static IReadOnlyList<(VaId Id, string? Bo)> InitialVaIds(ScenarioSpec s, VmSpec vm) =>
        VaLayouts.GetValue(s, spec => spec.Vms.ToDictionary(v => v.Name, v => ComputeVaIds(spec, v), StringComparer.Ordinal))[vm.Name];

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ScenarioSpec, Dictionary<string, IReadOnlyList<(VaId, string?)>>> VaLayouts = new();

    private static IReadOnlyList<(VaId Id, string? Bo)> ComputeVaIds(ScenarioSpec s, VmSpec vm)
    {
        var gpuvm = new GpuVm(VmIdOf(s, vm.Name), vm.VaStart, vm.VaRange);
        return s.InitialMappings.Where(m => m.Vm == vm.Name)
            .Select(m => (gpuvm.Insert(new VaInit(m.Addr, m.Range, m.Bo is null ? null : ObjIdOf(s, m.Bo), m.Offset)).Id, m.Bo))
            .ToList();
    }

    /// <summary>The VMs <paramref name="bo"/> is initially mapped in (computed once per scenario, read-only after).</summary>
    private static IReadOnlyList<VmSpec> VmsOf(ScenarioSpec s, string bo) =>
        BoVms.GetValue(s, spec => spec.Bos.ToDictionary(
            b => b.Name,
            b => (IReadOnlyList<VmSpec>)[.. spec.InitialMappings.Where(m => m.Bo == b.Name).Select(m => m.Vm).Distinct().Select(spec.Vm)],
            StringComparer.Ordinal))[bo];

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ScenarioSpec, Dictionary<string, IReadOnlyList<VmSpec>>> BoVms = new();

    // A static match with the name as an argument: no closure per lookup (the world is built once per schedule).
    private static int IndexOf<T>(IReadOnlyList<T> list, string name, Func<T, string, bool> match)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (match(list[i], name))
                return i;
        }
        throw new ArgumentException("no such entry in the scenario");
    }
}
