using Gpuvmsim.Configuration;
using Gpuvmsim.Locking;
using Gpuvmsim.Model;

namespace Gpuvmsim.Scenarios;

/// <summary>
/// Reads a scenario file (HOCON) into a <see cref="ScenarioSpec"/>. Accepts the normative lock-script subset of
/// ../shared/spec/cli-contract.md and the full VM_BIND world around it:
/// <code>
/// scenario {
///   name = "s02-vm-close-during-job-run"
///   locks = [ { name = A, kind = mutex } ]                        # mutex | spinlock | ww-mutex, optional class (default: the
///                                                                   # name; ww-mutexes: one shared class, WwClassName)
///   vms = [ { name = V, kind = vm-bind, va { start = 0x100000, range = 1G } } ]   # or kind = managed
///   bos = [ { name = A, size = 16K, handles = 1 } ]
///   queues = [ { name = Q1, vm = V } ]
///   fences = [ { name = F1 } ]
///   initial { mappings = [ { vm = V, bo = A, addr = 0x100000, range = 16K, offset = 0, mapped = true } ] }
///   contexts = [ { name = T1, steps = [ { vm-bind { queue = Q1, ops = [ { op = map, bo = A, addr = …, range = … } ] } } ] } ]
///   options { page-size = 4K, memory-pressure = off, fence-signalling-annotations = on, shrinker-wait = unbounded }
///   designs { v2-close-first { base = v2, knobs { close-takes-op-lock-first = on } } }
///   expect { v2 = [], v2-close-first = [deadlock, lock-order-inversion] }
/// }
/// </code>
/// Every error is an <see cref="InputException"/> starting with <c>file:line:column</c> of the offending value.
/// Cross references and alignment are checked by <see cref="ScenarioValidator"/>.
/// </summary>
public static class ScenarioParser
{
    /// <summary>
    /// The lockdep class of a scripted ww-mutex that names none. A script's implicit acquire context takes all its
    /// ww-mutexes, which the kernel allows only within one ww_class, and lockdep gives every mutex of a ww_class one
    /// class (<c>ww_class->mutex_key</c>), as all BO resvs are <c>reservation_ww_class_mutex</c>.
    /// </summary>
    public const string WwClassName = "ww_class_mutex";

    public static ScenarioSpec ParseFile(string path)
    {
        if (!File.Exists(path))
            throw new InputException($"{path}: scenario file not found");
        return Parse(ConfigurationFactory.ParseFile(path), path, File.ReadAllText(path));
    }

    public static ScenarioSpec ParseString(string text, string name = "<scenario>") =>
        Parse(ConfigurationFactory.ParseString(text, name), name, text);

    private static ScenarioSpec Parse(Config config, string file, string text)
    {
        if (!config.HasPath("scenario"))
            throw new InputException($"{file}:1:1: a scenario file needs a top-level 'scenario' object");
        var s = new HoconFields(config.GetValue("scenario"), "scenario");
        var name = s.String("name");
        var description = s.OptionalString("description");
        var locks = s.Array("locks").Select(ParseLock).ToList();
        var vms = s.Array("vms").Select(ParseVm).ToList();
        var bos = s.Array("bos").Select(ParseBo).ToList();
        var queues = s.Array("queues").Select(ParseQueue).ToList();
        var fences = s.Array("fences").Select(ParseFence).ToList();
        var mappings = s.Optional("initial") is { } initial ? ParseInitial(initial) : [];
        var contexts = s.Array("contexts").Select(ParseContext).ToList();
        var options = s.Optional("options") is { } o ? ParseOptions(o) : ScenarioOptions.Default;
        var designs = s.Optional("designs") is { } d ? ParseDesigns(d) : [];
        var expect = s.Optional("expect") is { } e ? ParseExpect(e) : [];
        s.RejectUnknown();
        if (contexts.Count == 0)
            throw s.OriginOf("contexts").Error("a scenario needs at least one context");

        var spec = new ScenarioSpec(name, description, file, text, locks, vms, bos, queues, fences, mappings, contexts, options, designs, expect);
        ScenarioValidator.Validate(spec);
        return spec;
    }

    private static LockSpec ParseLock(HoconValue value)
    {
        var f = new HoconFields(value, "lock");
        var name = f.String("name");
        var kindText = f.OptionalString("kind") ?? "mutex";
        if (!LockKindNames.TryParse(kindText, out var kind) || kind == LockKind.LockMap)
            throw f.OriginOf("kind").Error($"lock '{name}': unknown kind '{kindText}'; valid kinds: mutex, spinlock, ww-mutex");
        var cls = f.OptionalString("class") ?? LockSpec.DefaultClassOf(name, kind);
        f.RejectUnknown();
        return new LockSpec(name, kind, cls, f.Origin);
    }

    private static VmSpec ParseVm(HoconValue value)
    {
        var f = new HoconFields(value, "vm");
        var name = f.String("name");
        var kind = f.OptionalString("kind") ?? "vm-bind";
        if (kind is not ("vm-bind" or "managed"))
            throw f.OriginOf("kind").Error($"vm '{name}': unknown kind '{kind}'; valid kinds: vm-bind, managed");
        var va = new HoconFields(f.Required("va"), $"vm '{name}' va");
        var start = va.Number("start");
        var range = va.Number("range");
        va.RejectUnknown();
        f.RejectUnknown();
        return new VmSpec(name, kind == "managed", start, range, f.Origin);
    }

    private static BoSpec ParseBo(HoconValue value)
    {
        var f = new HoconFields(value, "bo");
        var bo = new BoSpec(f.String("name"), f.Number("size"), f.Count("handles", 1, BoSpec.MaxHandles),
            f.Array("fences").Select(v => HoconFields.AsString(v, "bo.fences")).ToList(), f.Origin);
        f.RejectUnknown();
        return bo;
    }

    private static QueueSpec ParseQueue(HoconValue value)
    {
        var f = new HoconFields(value, "queue");
        var q = new QueueSpec(f.String("name"), f.String("vm"), f.Origin);
        f.RejectUnknown();
        return q;
    }

    private static FenceSpec ParseFence(HoconValue value)
    {
        var f = new HoconFields(value, "fence");
        var fence = new FenceSpec(f.String("name"), f.Origin);
        f.RejectUnknown();
        return fence;
    }

    private static List<MappingSpec> ParseInitial(HoconValue value)
    {
        var f = new HoconFields(value, "initial");
        var mappings = f.Array("mappings").Select(ParseMapping).ToList();
        f.RejectUnknown();
        return mappings;
    }

    private static MappingSpec ParseMapping(HoconValue value)
    {
        var f = new HoconFields(value, "mapping");
        var isNull = f.Bool("null", false);
        var bo = f.OptionalString("bo");
        if (isNull == (bo is not null))
            throw f.Origin.Error("a mapping names a 'bo' or says 'null = true' (a MAP_NULL mapping), not both or neither");
        var m = new MappingSpec(f.String("vm"), bo, f.Number("addr"), f.Number("range"), f.Number("offset", 0),
            f.Bool("mapped", true), f.Bool("dump", false), f.Origin);
        f.RejectUnknown();
        return m;
    }

    private static ContextSpec ParseContext(HoconValue value)
    {
        var f = new HoconFields(value, "context");
        var name = f.String("name");
        var steps = f.Array("steps").Select(v => StepParser.Parse(v, name)).ToList();
        f.RejectUnknown();
        return new ContextSpec(name, steps, f.Origin);
    }

    private static ScenarioOptions ParseOptions(HoconValue value)
    {
        var f = new HoconFields(value, "options");
        var d = ScenarioOptions.Default;
        var wait = f.OptionalString("shrinker-wait") ?? d.ShrinkerWait;
        if (wait is not ("unbounded" or "bounded"))
            throw f.OriginOf("shrinker-wait").Error($"options.shrinker-wait: '{wait}' is not one of unbounded, bounded");
        var options = new ScenarioOptions(
            f.Number("page-size", d.PageSize),
            f.Bool("memory-pressure", d.MemoryPressure),
            f.Bool("fence-signalling-annotations", d.FenceSignallingAnnotations),
            wait);
        f.RejectUnknown();
        // The modelled gpuvm and MMU work in 4 KiB pages: a scenario page may be larger, never smaller.
        if (options.PageSize < RequestValidator.DefaultPageSize || (options.PageSize & (options.PageSize - 1)) != 0)
            throw f.OriginOf("page-size").Error($"options.page-size must be a power of two of at least 4K, found {options.PageSize}");
        return options;
    }

    private static List<DesignSpec> ParseDesigns(HoconValue value)
    {
        var o = value as HoconObject ?? throw HoconFields.At(value.Origin).Error("designs must be an object of named designs");
        var designs = new List<DesignSpec>();
        foreach (var field in o.Fields)
        {
            var f = new HoconFields(field.Value, $"design '{field.Key}'");
            var baseName = f.String("base");
            var knobs = new List<KeyValuePair<string, string>>();
            if (f.Optional("knobs") is { } k)
            {
                var ko = k as HoconObject ?? throw HoconFields.At(k.Origin).Error($"design '{field.Key}': knobs must be an object");
                foreach (var knob in ko.Fields)
                    knobs.Add(new(knob.Key, HoconFields.AsString(knob.Value, $"design '{field.Key}' knob '{knob.Key}'")));
            }
            var description = f.OptionalString("description");
            f.RejectUnknown();
            designs.Add(new DesignSpec(field.Key, baseName, knobs, description, HoconFields.At(field.Origin)));
        }
        return designs;
    }

    private static List<ExpectSpec> ParseExpect(HoconValue value)
    {
        var o = value as HoconObject ?? throw HoconFields.At(value.Origin).Error("expect must be an object: design = [finding kinds]");
        return o.Fields.Select(field => new ExpectSpec(
            field.Key,
            HoconFields.AsArray(field.Value, $"expect.{field.Key}").Select(v => HoconFields.AsString(v, $"expect.{field.Key}")).ToHashSet(StringComparer.Ordinal),
            HoconFields.At(field.Origin))).ToList();
    }
}
