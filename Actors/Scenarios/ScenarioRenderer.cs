using System.Globalization;
using System.Text;
using Gpuvmsim.Configuration;
using Gpuvmsim.Locking;
using Gpuvmsim.Messages.Scheduler;

namespace Gpuvmsim.Scenarios;

/// <summary>
/// Writes a <see cref="ScenarioSpec"/> back as scenario text (HOCON) that <see cref="ScenarioParser"/> reads into an
/// equal spec (origins aside). A pure function: names are always quoted, addresses are hexadecimal, sizes use K/M/G
/// when exact, and fields equal to the parser's defaults are left out.
/// </summary>
public static class ScenarioRenderer
{
    private const string Indent = "  ";

    public static string Render(ScenarioSpec spec)
    {
        var w = new StringBuilder();
        w.Append("scenario {\n");
        Field(w, 1, "name", Quote(spec.Name));
        if (spec.Description is { } description)
            Field(w, 1, "description", Quote(description));
        if (spec.Locks.Count > 0)
            List(w, 1, "locks", spec.Locks.Select(RenderLock));
        if (spec.Vms.Count > 0)
            List(w, 1, "vms", spec.Vms.Select(RenderVm));
        if (spec.Bos.Count > 0)
            List(w, 1, "bos", spec.Bos.Select(RenderBo));
        if (spec.Queues.Count > 0)
            List(w, 1, "queues", spec.Queues.Select(q => $"{{ name = {Quote(q.Name)}, vm = {Quote(q.Vm)} }}"));
        if (spec.Fences.Count > 0)
            List(w, 1, "fences", spec.Fences.Select(f => $"{{ name = {Quote(f.Name)} }}"));
        if (spec.InitialMappings.Count > 0)
        {
            Line(w, 1, "initial {");
            List(w, 2, "mappings", spec.InitialMappings.Select(RenderMapping));
            Line(w, 1, "}");
        }
        Line(w, 1, "contexts = [");
        foreach (var context in spec.Contexts)
        {
            Line(w, 2, $"{{ name = {Quote(context.Name)}, steps = [");
            foreach (var step in context.Steps)
                Line(w, 3, RenderStep(step));
            Line(w, 2, "] }");
        }
        Line(w, 1, "]");
        if (RenderOptions(spec.Options) is { } options)
            Line(w, 1, options);
        if (spec.Designs.Count > 0)
        {
            Line(w, 1, "designs {");
            foreach (var design in spec.Designs)
                Line(w, 2, RenderDesign(design));
            Line(w, 1, "}");
        }
        if (spec.Expectations.Count > 0)
        {
            Line(w, 1, "expect {");
            foreach (var expect in spec.Expectations)
                Line(w, 2, $"{Quote(expect.Design)} = [{string.Join(", ", expect.Kinds.Order(StringComparer.Ordinal).Select(Quote))}]");
            Line(w, 1, "}");
        }
        w.Append("}\n");
        return w.ToString();
    }

    private static string RenderLock(LockSpec l)
    {
        var fields = new List<string> { $"name = {Quote(l.Name)}", $"kind = {l.Kind.ToScenarioName()}" };
        if (l.ClassName != LockSpec.DefaultClassOf(l.Name, l.Kind))
            fields.Add($"class = {Quote(l.ClassName)}");
        return Object(fields);
    }

    private static string RenderVm(VmSpec v) =>
        $"{{ name = {Quote(v.Name)}, kind = {(v.Managed ? "managed" : "vm-bind")}, va {{ start = {Address(v.VaStart)}, range = {Size(v.VaRange)} }} }}";

    private static string RenderBo(BoSpec b)
    {
        var fields = new List<string> { $"name = {Quote(b.Name)}", $"size = {Size(b.Size)}" };
        if (b.Handles != 1)
            fields.Add($"handles = {b.Handles.ToString(CultureInfo.InvariantCulture)}");
        if (b.Fences.Count > 0)
            fields.Add($"fences = [{string.Join(", ", b.Fences.Select(Quote))}]");
        return Object(fields);
    }

    private static string RenderMapping(MappingSpec m)
    {
        var fields = new List<string> { $"vm = {Quote(m.Vm)}", m.Bo is { } bo ? $"bo = {Quote(bo)}" : "null = true", $"addr = {Address(m.Addr)}", $"range = {Size(m.Range)}" };
        if (m.Offset != 0)
            fields.Add($"offset = {Size(m.Offset)}");
        if (!m.Mapped)
            fields.Add("mapped = false");
        if (m.Dump)
            fields.Add("dump = true");
        return Object(fields);
    }

    private static string RenderStep(StepSpec step) => step switch
    {
        LockStep l => $"{{ lock = {Quote(l.Lock)} }}",
        UnlockStep u => $"{{ unlock = {Quote(u.Lock)} }}",
        TryLockStep t => $"{{ trylock = {Quote(t.Lock)} }}",
        SleepStep => "{ sleep = true }",
        VmBindStep b => $"{{ vm-bind {RenderVmBind(b)} }}",
        GemCloseStep g => $"{{ gem-close {{ bo = {Quote(g.Bo)}, vm = {Quote(g.Vm)} }} }}",
        LegacyMapStep m => $"{{ legacy-map {{ bo = {Quote(m.Bo)}, vm = {Quote(m.Vm)} }} }}",
        FileCloseStep f => $"{{ file-close = {Quote(f.Vm)} }}",
        VmCloseStep c => $"{{ vm-close = {Quote(c.Vm)} }}",
        SignalFenceStep s => $"{{ signal-fence = {Quote(s.Fence)} }}",
        WaitFenceStep wf => $"{{ wait-fence = {Quote(wf.Fence)} }}",
        ShrinkStep s => $"{{ shrink {{ bos = [{string.Join(", ", s.Bos.Select(Quote))}]{(s.Purge ? ", purge = true" : "")} }} }}",
        _ => throw new ArgumentException($"no scenario syntax for step {step.GetType().Name}", nameof(step)),
    };

    private static string RenderVmBind(VmBindStep b)
    {
        var fields = new List<string> { $"queue = {Quote(b.Queue)}" };
        if (b.InFence is { } inFence)
            fields.Add($"in-fence = {Quote(inFence)}");
        if (b.OutFence is { } outFence)
            fields.Add($"out-fence = {Quote(outFence)}");
        if (b.PreallocShortBy != 0)
            fields.Add($"prealloc-short-by = {b.PreallocShortBy.ToString(CultureInfo.InvariantCulture)}");
        fields.Add($"ops = [ {string.Join(", ", b.Ops.Select(RenderOp))} ]");
        return Object(fields);
    }

    private static string RenderOp(BindOpSpec op)
    {
        var fields = new List<string>
        {
            op.Op switch
            {
                BindOpKind.Map => "op = map",
                BindOpKind.MapNull => "op = map-null",
                _ => "op = unmap",
            },
        };
        if (op.Bo is { } bo)
            fields.Add($"bo = {Quote(bo)}");
        fields.Add($"addr = {Address(op.Addr)}");
        fields.Add($"range = {Size(op.Range)}");
        if (op.Offset != 0)
            fields.Add($"offset = {Size(op.Offset)}");
        if (op.Dump)
            fields.Add("dump = true");
        return Object(fields);
    }

    private static string? RenderOptions(ScenarioOptions o)
    {
        var d = ScenarioOptions.Default;
        var fields = new List<string>();
        if (o.PageSize != d.PageSize)
            fields.Add($"page-size = {Size(o.PageSize)}");
        if (o.MemoryPressure != d.MemoryPressure)
            fields.Add($"memory-pressure = {OnOff(o.MemoryPressure)}");
        if (o.FenceSignallingAnnotations != d.FenceSignallingAnnotations)
            fields.Add($"fence-signalling-annotations = {OnOff(o.FenceSignallingAnnotations)}");
        if (o.ShrinkerWait != d.ShrinkerWait)
            fields.Add($"shrinker-wait = {Quote(o.ShrinkerWait)}");
        return fields.Count == 0 ? null : $"options {Object(fields)}";
    }

    private static string RenderDesign(DesignSpec d)
    {
        var fields = new List<string> { $"base = {Quote(d.Base)}" };
        if (d.Knobs.Count > 0)
            fields.Add($"knobs {Object(d.Knobs.Select(k => $"{Quote(k.Key)} = {Quote(k.Value)}").ToList())}");
        if (d.Description is { } description)
            fields.Add($"description = {Quote(description)}");
        return $"{Quote(d.Name)} {Object(fields)}";
    }

    private static string Object(IReadOnlyList<string> fields) => $"{{ {string.Join(", ", fields)} }}";

    private static void List(StringBuilder w, int depth, string key, IEnumerable<string> items)
    {
        Line(w, depth, $"{key} = [");
        foreach (var item in items)
            Line(w, depth + 1, item);
        Line(w, depth, "]");
    }

    private static void Field(StringBuilder w, int depth, string key, string value) => Line(w, depth, $"{key} = {value}");

    private static void Line(StringBuilder w, int depth, string text)
    {
        for (var i = 0; i < depth; i++)
            w.Append(Indent);
        w.Append(text).Append('\n');
    }

    private static string Quote(string text) => JsonRenderer.Quote(text);

    private static string OnOff(bool value) => value ? "on" : "off";

    private static string Address(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    /// <summary>A size with a binary unit when it is an exact multiple (16K, 16M, 1G), else hexadecimal.</summary>
    private static string Size(ulong value)
    {
        if (value == 0)
            return "0";
        foreach (var (shift, unit) in new[] { (30, "G"), (20, "M"), (10, "K") })
        {
            if (value % (1UL << shift) == 0)
                return (value >> shift).ToString(CultureInfo.InvariantCulture) + unit;
        }
        return Address(value);
    }
}
