using Gpuvmsim.Checking;
using Gpuvmsim.Domain.Designs;

namespace Gpuvmsim.Scenarios;

/// <summary>
/// Checks what the grammar cannot: unique names, every reference resolves, addresses are page-aligned and
/// inside their VM, initial mappings do not overlap, designs and expected finding kinds exist.
/// Each error names the position of the offending value.
/// </summary>
public static class ScenarioValidator
{
    /// <summary>The domain locks a lock step may name besides scripted locks: <c>V.vm_lock</c>, <c>X.resv</c>.</summary>
    public static readonly string[] VmLockNames = ["vm_lock", "op_lock", "mm_lock"];

    public static void Validate(ScenarioSpec s)
    {
        Unique(s.Locks.Select(l => (l.Name, l.Origin)), "lock");
        Unique(s.Vms.Select(v => (v.Name, v.Origin)), "vm");
        Unique(s.Bos.Select(b => (b.Name, b.Origin)), "bo");
        Unique(s.Queues.Select(q => (q.Name, q.Origin)), "queue");
        Unique(s.Fences.Select(f => (f.Name, f.Origin)), "fence");
        Unique(s.Contexts.Select(c => (c.Name, c.Origin)), "context");

        var page = s.Options.PageSize;
        foreach (var vm in s.Vms)
        {
            Aligned(vm.VaStart, page, "va.start", vm.Origin);
            Aligned(vm.VaRange, page, "va.range", vm.Origin);
            if (vm.VaRange == 0 || vm.VaStart + vm.VaRange < vm.VaStart)
                throw vm.Origin.Error($"vm '{vm.Name}': the VA space [0x{vm.VaStart:x}, +0x{vm.VaRange:x}) is empty or overflows 64 bits");
        }
        foreach (var bo in s.Bos)
        {
            Aligned(bo.Size, page, "size", bo.Origin);
            if (bo.Size == 0)
                throw bo.Origin.Error($"bo '{bo.Name}': size must be > 0");
            foreach (var fence in bo.Fences)
            {
                if (s.Fences.All(f => f.Name != fence))
                    throw Unknown(s.Fences.Select(f => f.Name), "fence", fence, bo.Origin);
            }
        }
        foreach (var q in s.Queues)
        {
            var vm = Vm(s, q.Vm, q.Origin);
            if (vm.Managed)
                throw q.Origin.Error($"queue '{q.Name}': vm '{q.Vm}' is kernel-managed; VM_BIND queues need a vm-bind VM");
        }
        ValidateInitialMappings(s);
        // After the mappings: their VMs are known to exist.
        foreach (var bo in s.Bos)
        {
            if (bo.Handles == 0 && !s.InitialMappings.Any(m => m.Bo == bo.Name && !s.Vm(m.Vm).Managed))
                throw bo.Origin.Error($"bo '{bo.Name}': with no handle and no mapping in a VM_BIND VM nothing holds a reference; it would be freed before the run starts");
        }
        var outFences = new HashSet<string>(StringComparer.Ordinal);
        foreach (var ctx in s.Contexts)
        {
            foreach (var step in ctx.Steps)
                ValidateStep(s, step, outFences);
        }
        ValidateDesignsAndExpectations(s);
    }

    /// <summary>The built-in and scenario-local designs of <paramref name="s"/>, by name.</summary>
    public static IReadOnlyDictionary<string, Design> Designs(ScenarioSpec s)
    {
        var designs = DesignCatalog.All.ToDictionary(d => d.Name, StringComparer.Ordinal);
        foreach (var d in s.Designs)
        {
            if (designs.ContainsKey(d.Name))
                throw d.Origin.Error($"design '{d.Name}' is already defined");
            if (!designs.TryGetValue(d.Base, out var baseDesign))
            {
                // Designs are derived in file order, so a base declared here but not yet derived comes later (or is a cycle).
                if (s.Designs.Any(other => other.Name == d.Base))
                    throw d.Origin.Error($"design '{d.Name}': base design '{d.Base}' must be declared before the designs based on it");
                throw d.Origin.Error($"design '{d.Name}': unknown base design '{d.Base}'; valid designs: {string.Join(", ", designs.Keys)}");
            }
            try
            {
                designs[d.Name] = baseDesign.With(d.Name, d.Knobs, d.Description);
            }
            catch (InputException e)
            {
                throw d.Origin.Error($"design '{d.Name}': {e.Message}");
            }
        }
        return designs;
    }

    private static void ValidateDesignsAndExpectations(ScenarioSpec s)
    {
        var designs = Designs(s);
        foreach (var e in s.Expectations)
        {
            if (!designs.ContainsKey(e.Design))
                throw e.Origin.Error($"expect: unknown design '{e.Design}'; valid designs: {string.Join(", ", designs.Keys)}");
            foreach (var kind in e.Kinds)
            {
                if (!FindingKinds.All.Contains(kind))
                    throw e.Origin.Error($"expect.{e.Design}: unknown finding kind '{kind}'; valid kinds: {string.Join(", ", FindingKinds.All)}");
            }
        }
    }

    private static void ValidateInitialMappings(ScenarioSpec s)
    {
        foreach (var group in s.InitialMappings.GroupBy(m => m.Vm))
        {
            var sorted = group.OrderBy(m => m.Addr).ToList();
            for (var i = 1; i < sorted.Count; i++)
            {
                if (sorted[i].Addr < sorted[i - 1].Addr + sorted[i - 1].Range)
                    throw sorted[i].Origin.Error($"initial mapping [0x{sorted[i].Addr:x}, +0x{sorted[i].Range:x}) overlaps [0x{sorted[i - 1].Addr:x}, +0x{sorted[i - 1].Range:x}) in vm '{group.Key}'");
            }
        }
        foreach (var m in s.InitialMappings)
        {
            var vm = Vm(s, m.Vm, m.Origin);
            Range(s, vm, m.Addr, m.Range, m.Origin);
            Aligned(m.Offset, s.Options.PageSize, "offset", m.Origin);
            if (m.Bo is { } boName)
            {
                var bo = Bo(s, boName, m.Origin);
                if (m.Offset + m.Range > bo.Size || m.Offset + m.Range < m.Offset)
                    throw m.Origin.Error($"mapping of bo '{bo.Name}': offset 0x{m.Offset:x} + range 0x{m.Range:x} is past its size 0x{bo.Size:x}");
                if (vm.Managed && (m.Offset != 0 || m.Range != bo.Size))
                    throw m.Origin.Error($"vm '{vm.Name}' is kernel-managed: a mapping covers the whole BO at offset 0 (msm BUG_ON)");
            }
            else if (vm.Managed)
            {
                throw m.Origin.Error($"vm '{vm.Name}' is kernel-managed: NULL mappings are not valid there (msm BUG_ON(!obj))");
            }
            else if (m.Dump)
            {
                throw m.Origin.Error("a NULL mapping never carries the DUMP flag");
            }
            else if (m.Offset != 0)
            {
                throw m.Origin.Error("a NULL mapping takes no 'offset' (msm requires bo_offset 0)");
            }
        }
    }

    private static void ValidateStep(ScenarioSpec s, StepSpec step, HashSet<string> outFences)
    {
        switch (step)
        {
            case LockStep l: LockName(s, l.Lock, l.Origin); break;
            case UnlockStep u: LockName(s, u.Lock, u.Origin); break;
            case TryLockStep t: LockName(s, t.Lock, t.Origin); break;
            case VmBindStep b:
                var q = s.Queues.FirstOrDefault(q => q.Name == b.Queue) ?? throw Unknown(s.Queues.Select(q => q.Name), "queue", b.Queue, b.Origin);
                var vm = s.Vm(q.Vm);
                if (b.InFence is { } inFence && s.Fences.All(f => f.Name != inFence))
                    throw Unknown(s.Fences.Select(f => f.Name), "fence", inFence, b.Origin);
                if (b.OutFence is { } outFence && (s.Fences.Any(f => f.Name == outFence) || !outFences.Add(outFence)))
                    throw b.Origin.Error($"out-fence '{outFence}' is already a fence name");
                foreach (var op in b.Ops)
                {
                    Range(s, vm, op.Addr, op.Range, op.Origin);
                    Aligned(op.Offset, s.Options.PageSize, "offset", op.Origin);
                    if (op.Bo is { } boName)
                    {
                        var bo = Bo(s, boName, op.Origin);
                        if (op.Offset + op.Range > bo.Size || op.Offset + op.Range < op.Offset)
                            throw op.Origin.Error($"map of bo '{bo.Name}': offset 0x{op.Offset:x} + range 0x{op.Range:x} is past its size 0x{bo.Size:x}");
                    }
                }
                break;
            case GemCloseStep g: Bo(s, g.Bo, g.Origin); Vm(s, g.Vm, g.Origin); break;
            case LegacyMapStep m:
                Bo(s, m.Bo, m.Origin);
                if (!Vm(s, m.Vm, m.Origin).Managed)
                    throw m.Origin.Error($"legacy-map needs a kernel-managed vm; '{m.Vm}' is a VM_BIND vm (GET_IOVA is rejected there)");
                break;
            case FileCloseStep f: Vm(s, f.Vm, f.Origin); break;
            case VmCloseStep c: Vm(s, c.Vm, c.Origin); break;
            case SignalFenceStep sf:
                if (s.Fences.All(f => f.Name != sf.Fence))
                    throw Unknown(s.Fences.Select(f => f.Name), "fence", sf.Fence, sf.Origin);
                break;
            case WaitFenceStep wf:
                if (s.Fences.All(f => f.Name != wf.Fence) && !outFences.Contains(wf.Fence) && !AnyOutFence(s, wf.Fence))
                    throw Unknown(s.Fences.Select(f => f.Name), "fence", wf.Fence, wf.Origin);
                break;
            case ShrinkStep sh:
                foreach (var bo in sh.Bos)
                    Bo(s, bo, sh.Origin);
                break;
        }
    }

    private static bool AnyOutFence(ScenarioSpec s, string name) =>
        s.Contexts.SelectMany(c => c.Steps).OfType<VmBindStep>().Any(b => b.OutFence == name);

    private static void LockName(ScenarioSpec s, string name, SourceOrigin at)
    {
        if (s.Locks.Any(l => l.Name == name))
            return;
        var dot = name.LastIndexOf('.');
        if (dot > 0)
        {
            var owner = name[..dot];
            var which = name[(dot + 1)..];
            if (s.Vms.Any(v => v.Name == owner) && VmLockNames.Contains(which))
                return;
            if (s.Bos.Any(b => b.Name == owner) && which == "resv")
                return;
        }
        var valid = s.Locks.Select(l => l.Name)
            .Concat(s.Vms.SelectMany(v => VmLockNames.Select(n => $"{v.Name}.{n}")))
            .Concat(s.Bos.Select(b => $"{b.Name}.resv"));
        throw Unknown(valid, "lock", name, at);
    }

    private static void Range(ScenarioSpec s, VmSpec vm, ulong addr, ulong range, SourceOrigin at)
    {
        Aligned(addr, s.Options.PageSize, "addr", at);
        Aligned(range, s.Options.PageSize, "range", at);
        if (range == 0)
            throw at.Error("range must be > 0");
        if (addr + range < addr)
            throw at.Error($"addr 0x{addr:x} + range 0x{range:x} overflows 64 bits");
        if (addr < vm.VaStart || addr + range > vm.VaStart + vm.VaRange)
            throw at.Error($"[0x{addr:x}, 0x{addr + range:x}) is outside vm '{vm.Name}' [0x{vm.VaStart:x}, 0x{vm.VaStart + vm.VaRange:x})");
    }

    private static void Aligned(ulong value, ulong page, string field, SourceOrigin at)
    {
        if (value % page != 0)
            throw at.Error($"{field} 0x{value:x} is not a multiple of the page size 0x{page:x}");
    }

    private static VmSpec Vm(ScenarioSpec s, string name, SourceOrigin at) =>
        s.Vms.FirstOrDefault(v => v.Name == name) ?? throw Unknown(s.Vms.Select(v => v.Name), "vm", name, at);

    private static BoSpec Bo(ScenarioSpec s, string name, SourceOrigin at) =>
        s.Bos.FirstOrDefault(b => b.Name == name) ?? throw Unknown(s.Bos.Select(b => b.Name), "bo", name, at);

    private static InputException Unknown(IEnumerable<string> valid, string what, string name, SourceOrigin at)
    {
        var list = valid.ToList();
        return at.Error($"unknown {what} '{name}'" + (list.Count == 0 ? $" (the scenario declares no {what}s)" : $"; declared: {string.Join(", ", list)}"));
    }

    private static void Unique(IEnumerable<(string Name, SourceOrigin Origin)> names, string what)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, origin) in names)
        {
            if (!seen.Add(name))
                throw origin.Error($"{what} '{name}' is declared twice");
        }
    }
}
