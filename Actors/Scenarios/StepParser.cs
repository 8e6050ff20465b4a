using Gpuvmsim.Configuration;
using Gpuvmsim.Messages.Scheduler;

namespace Gpuvmsim.Scenarios;

/// <summary>Reads one step: an object whose single key names its kind.</summary>
internal static class StepParser
{
    private static readonly string[] Kinds =
        ["lock", "unlock", "trylock", "sleep", "vm-bind", "gem-close", "legacy-map", "file-close", "vm-close", "signal-fence", "wait-fence", "shrink"];

    public static StepSpec Parse(HoconValue value, string context)
    {
        var field = HoconFields.SingleField(value, $"a step of context '{context}'");
        var at = HoconFields.At(field.Origin);
        var what = $"step '{field.Key}' of context '{context}'";
        string Name() => HoconFields.AsString(field.Value, what);
        return field.Key switch
        {
            "lock" => new LockStep(Name(), at),
            "unlock" => new UnlockStep(Name(), at),
            "trylock" => new TryLockStep(Name(), at),
            // The value says nothing the model uses (a sleep's length does not matter to locking), so any is taken
            // as a sleep except false, which reads as "do not sleep".
            "sleep" => field.Value is HoconBoolean { Value: false }
                ? throw at.Error($"{what} = false would not sleep: write {{ sleep = true }}, or leave the step out")
                : new SleepStep(at),
            "vm-bind" => ParseVmBind(field.Value, what, at),
            "gem-close" => ParseBoInVm(field.Value, what, at, (bo, vm, o) => new GemCloseStep(bo, vm, o)),
            "legacy-map" => ParseBoInVm(field.Value, what, at, (bo, vm, o) => new LegacyMapStep(bo, vm, o)),
            "file-close" => new FileCloseStep(Name(), at),
            "vm-close" => new VmCloseStep(Name(), at),
            "signal-fence" => new SignalFenceStep(Name(), at),
            "wait-fence" => new WaitFenceStep(Name(), at),
            "shrink" => ParseShrink(field.Value, what, at),
            _ => throw at.Error($"unknown step '{field.Key}' in context '{context}'; valid steps: {string.Join(", ", Kinds)}"),
        };
    }

    private static VmBindStep ParseVmBind(HoconValue value, string what, SourceOrigin at)
    {
        var f = new HoconFields(value, what);
        var ops = f.Array("ops").Select(ParseOp).ToList();
        if (ops.Count == 0)
            throw f.OriginOf("ops").Error($"{what}: a VM_BIND submit needs at least one op");
        var step = new VmBindStep(f.String("queue"), ops, f.OptionalString("in-fence"), f.OptionalString("out-fence"),
            f.Count("prealloc-short-by", 0, int.MaxValue), at);
        f.RejectUnknown();
        return step;
    }

    private static BindOpSpec ParseOp(HoconValue value)
    {
        var f = new HoconFields(value, "op");
        var opText = f.String("op");
        var op = opText switch
        {
            "map" => BindOpKind.Map,
            "map-null" => BindOpKind.MapNull,
            "unmap" => BindOpKind.Unmap,
            _ => throw f.OriginOf("op").Error($"unknown op '{opText}'; valid ops: map, map-null, unmap"),
        };
        var bo = f.OptionalString("bo");
        if (op == BindOpKind.Map && bo is null)
            throw f.Origin.Error("a map op needs a 'bo'");
        if (op != BindOpKind.Map && bo is not null)
            throw f.OriginOf("bo").Error($"a {opText} op takes no 'bo' (msm requires handle 0)");
        var spec = new BindOpSpec(op, bo, f.Number("addr"), f.Number("range"), f.Number("offset", 0), f.Bool("dump", false), f.Origin);
        if (op != BindOpKind.Map && spec.Offset != 0)
            throw f.OriginOf("offset").Error($"a {opText} op takes no 'offset' (msm requires bo_offset 0)");
        f.RejectUnknown();
        return spec;
    }

    private static T ParseBoInVm<T>(HoconValue value, string what, SourceOrigin at, Func<string, string, SourceOrigin, T> make)
    {
        var f = new HoconFields(value, what);
        var step = make(f.String("bo"), f.String("vm"), at);
        f.RejectUnknown();
        return step;
    }

    private static ShrinkStep ParseShrink(HoconValue value, string what, SourceOrigin at)
    {
        var f = new HoconFields(value, what);
        var bos = f.Array("bos").Select(v => HoconFields.AsString(v, $"{what}.bos")).ToList();
        var step = new ShrinkStep(bos, f.Bool("purge", false), at);
        f.RejectUnknown();
        return step;
    }
}
