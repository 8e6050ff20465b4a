using Gpuvmsim.Locking;
using Gpuvmsim.Messages.Scheduler;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Tests.Scenarios;

public class ScenarioParserSpec
{
    // The normative lock-script subset of ../shared/spec/cli-contract.md, verbatim.
    private const string Abba = """
        scenario {
          name = "abba"
          locks = [ { name = A, kind = mutex }, { name = B, kind = mutex } ]   # kind: mutex | spinlock | ww-mutex
          contexts = [
            { name = T1, steps = [ { lock = A }, { lock = B }, { unlock = B }, { unlock = A } ] }
            { name = T2, steps = [ { lock = B }, { lock = A }, { unlock = A }, { unlock = B } ] }
          ]
        }
        """;

    private const string World = """
        scenario {
          name = world
          vms = [ { name = V, kind = vm-bind, va { start = 0x100000, range = 1G } } ]
          bos = [ { name = A, size = 16K }, { name = B, size = 16K, handles = 2 } ]
          queues = [ { name = Q1, vm = V } ]
          fences = [ { name = F1 } ]
          initial { mappings = [ { vm = V, bo = A, addr = 0x100000, range = 16K } ] }
          contexts = [
            { name = T1, steps = [
              { vm-bind { queue = Q1, in-fence = F1, ops = [ { op = map, bo = B, addr = 0x104000, range = 16K, dump = true } ] } }
            ] }
            { name = T2, steps = [ { signal-fence = F1 }, { file-close = V } ] }
          ]
          designs { v2-close-first { base = v2, knobs { close-takes-op-lock-first = on } } }
          expect { v2 = [leak], v2-close-first = [deadlock, lock-order-inversion] }
        }
        """;

    [Fact]
    public void Normative_lock_script_subset_is_accepted()
    {
        var s = ScenarioParser.ParseString(Abba, "abba.conf");
        Assert.Equal("abba", s.Name);
        Assert.True(s.IsLockScript);
        Assert.Equal([LockKind.Mutex, LockKind.Mutex], s.Locks.Select(l => l.Kind));
        Assert.Equal(["lock A", "lock B", "unlock B", "unlock A"], s.Contexts[0].Steps.Select(st => st.Label));
        Assert.Equal(["lock B", "lock A", "unlock A", "unlock B"], s.Contexts[1].Steps.Select(st => st.Label));
    }

    [Fact]
    public void Full_world_parses_vms_bos_queues_ops_designs_and_expectations()
    {
        var s = ScenarioParser.ParseString(World, "world.conf");
        Assert.False(s.IsLockScript);
        Assert.Equal(0x100000UL, s.Vm("V").VaStart);
        Assert.Equal(1UL << 30, s.Vm("V").VaRange);
        Assert.Equal(2, s.Bo("B").Handles);
        var bind = Assert.IsType<VmBindStep>(s.Contexts[0].Steps[0]);
        Assert.Equal("F1", bind.InFence);
        var op = Assert.Single(bind.Ops);
        Assert.Equal((BindOpKind.Map, "B", 0x104000UL, 0x4000UL, true), (op.Op, op.Bo, op.Addr, op.Range, op.Dump));
        Assert.Equal("on", ScenarioValidator.Designs(s)["v2-close-first"].Values["close-takes-op-lock-first"]);
        Assert.Equal(["deadlock", "lock-order-inversion"], s.Expectations.Single(e => e.Design == "v2-close-first").Kinds.Order());
    }

    [Theory]
    [InlineData("{ lock = C }", "unknown lock 'C'; declared: A, B", 3, 41)]
    [InlineData("{ hop = A }", "unknown step 'hop' in context 'T1'", 3, 41)]
    [InlineData("{ lock = A, unlock = A }", "must have exactly one key", 3, 39)]
    [InlineData("{ }", "must have exactly one key naming its kind, found none", 3, 39)]
    [InlineData("{ sleep = false }", "step 'sleep' of context 'T1' = false would not sleep", 3, 41)]
    public void Bad_steps_fail_at_their_line_and_column(string step, string message, int line, int column)
    {
        var text = $$"""
            scenario {
              name = x, locks = [ { name = A }, { name = B } ]
              contexts = [ { name = T1, steps = [ {{step}} ] } ]
            }
            """;
        var e = Assert.ThrowsAny<InputException>(() => ScenarioParser.ParseString(text, "bad.conf"));
        Assert.StartsWith($"bad.conf:{line}:{column}: ", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("10ms")]
    [InlineData("1")]
    [InlineData("{}")]
    public void A_sleep_step_takes_any_value_but_false(string value)
    {
        var text = $$"""
            scenario {
              name = x, locks = [ { name = A } ]
              contexts = [ { name = T1, steps = [ { sleep = {{value}} } ] } ]
            }
            """;
        var step = Assert.Single(ScenarioParser.ParseString(text, "sleep.conf").Contexts.Single().Steps);
        Assert.IsType<SleepStep>(step);
    }

    [Fact]
    public void Unknown_bo_in_an_op_names_the_op_position()
    {
        var text = World.Replace("op = map, bo = B,", "op = map, bo = Z,");
        var e = Assert.ThrowsAny<InputException>(() => ScenarioParser.ParseString(text, "w.conf"));
        Assert.Matches(@"^w\.conf:10:\d+: unknown bo 'Z'; declared: A, B$", e.Message);
    }

    [Fact]
    public void Unaligned_range_is_rejected_with_the_page_size()
    {
        var text = World.Replace("addr = 0x104000, range = 16K", "addr = 0x104000, range = 0x1800");
        var e = Assert.ThrowsAny<InputException>(() => ScenarioParser.ParseString(text, "w.conf"));
        Assert.Contains("w.conf:10:", e.Message);
        Assert.Contains("range 0x1800 is not a multiple of the page size 0x1000", e.Message);
    }

    [Fact]
    public void Range_outside_the_vm_is_rejected()
    {
        var text = World.Replace("addr = 0x104000, range = 16K", "addr = 0x40100000, range = 16K");
        var e = Assert.ThrowsAny<InputException>(() => ScenarioParser.ParseString(text, "w.conf"));
        Assert.Contains("is outside vm 'V'", e.Message);
    }

    [Fact]
    public void Overlapping_initial_mappings_are_rejected()
    {
        var text = World.Replace(
            "mappings = [ { vm = V, bo = A, addr = 0x100000, range = 16K } ]",
            "mappings = [ { vm = V, bo = A, addr = 0x100000, range = 16K }, { vm = V, null = true, addr = 0x102000, range = 8K } ]");
        var e = Assert.ThrowsAny<InputException>(() => ScenarioParser.ParseString(text, "w.conf"));
        Assert.Contains("overlaps", e.Message);
    }

    [Fact]
    public void Unknown_field_is_rejected_with_the_valid_ones()
    {
        var text = World.Replace("{ name = B, size = 16K, handles = 2 }", "{ name = B, size = 16K, handels = 2 }");
        var e = Assert.ThrowsAny<InputException>(() => ScenarioParser.ParseString(text, "w.conf"));
        Assert.Matches(@"^w\.conf:4:\d+: unknown field 'handels' in bo; valid fields: fences, handles, name, size$", e.Message);
    }

    [Fact]
    public void Unknown_design_in_expect_lists_the_valid_designs()
    {
        var text = World.Replace("expect { v2 = [leak]", "expect { v3 = [leak]");
        var e = Assert.ThrowsAny<InputException>(() => ScenarioParser.ParseString(text, "w.conf"));
        Assert.Contains("expect: unknown design 'v3'; valid designs: v2, v2-fixed, vm-lock-first, obj-lock-first, v2-close-first", e.Message);
    }

    [Fact]
    public void Unknown_knob_in_a_scenario_design_lists_the_valid_knobs()
    {
        var text = World.Replace("close-takes-op-lock-first = on", "close-first = on");
        var e = Assert.ThrowsAny<InputException>(() => ScenarioParser.ParseString(text, "w.conf"));
        Assert.Contains("unknown knob 'close-first'; valid knobs: job-run-ret-shadowing", e.Message);
    }

    [Fact]
    public void Unknown_finding_kind_in_expect_is_rejected()
    {
        var text = World.Replace("v2 = [leak]", "v2 = [leaks]");
        var e = Assert.ThrowsAny<InputException>(() => ScenarioParser.ParseString(text, "w.conf"));
        Assert.Contains("unknown finding kind 'leaks'", e.Message);
    }

    [Fact]
    public void Malformed_hocon_is_reported_with_its_position()
    {
        var e = Assert.ThrowsAny<InputException>(() => ScenarioParser.ParseString("scenario { name = \"x }", "m.conf"));
        Assert.StartsWith("m.conf:1:", e.Message);
    }

    [Fact]
    public void A_map_op_without_a_bo_is_rejected()
    {
        var text = World.Replace("op = map, bo = B,", "op = map,");
        var e = Assert.ThrowsAny<InputException>(() => ScenarioParser.ParseString(text, "w.conf"));
        Assert.Contains("a map op needs a 'bo'", e.Message);
    }

    [Fact]
    public void A_mapping_in_an_unknown_vm_of_a_bo_without_handles_names_the_vm()
    {
        var text = World.Replace("{ name = A, size = 16K }", "{ name = A, size = 16K, handles = 0 }")
            .Replace("{ vm = V, bo = A, addr = 0x100000, range = 16K }", "{ vm = W, bo = A, addr = 0x100000, range = 16K }");
        var e = Assert.ThrowsAny<InputException>(() => ScenarioParser.ParseString(text, "w.conf"));
        Assert.Matches(@"^w\.conf:7:\d+: unknown vm 'W'; declared: V$", e.Message);
    }

    [Fact]
    public void A_null_mapping_with_an_offset_is_rejected()
    {
        var text = World.Replace("{ vm = V, bo = A, addr = 0x100000, range = 16K }", "{ vm = V, null = true, addr = 0x100000, range = 16K, offset = 4K }");
        var e = Assert.ThrowsAny<InputException>(() => ScenarioParser.ParseString(text, "w.conf"));
        Assert.Matches(@"^w\.conf:7:\d+: a NULL mapping takes no 'offset'", e.Message);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("2K")]
    [InlineData("3")]
    public void A_page_size_below_the_modelled_4K_page_or_not_a_power_of_two_is_rejected(string pageSize)
    {
        var text = World.Replace("expect {", $"options {{ page-size = {pageSize} }}\n  expect {{");
        var e = Assert.ThrowsAny<InputException>(() => ScenarioParser.ParseString(text, "w.conf"));
        Assert.Matches(@"^w\.conf:15:\d+: options.page-size must be a power of two of at least 4K", e.Message);
    }

    [Theory]
    [InlineData("handles = 2", "handles = 2147483648", "bo.handles must be at most 1024, found 2147483648")]
    [InlineData("handles = 2", "handles = 0x10000000000000000", "bo.handles must be a non-negative integer")]
    [InlineData("in-fence = F1,", "in-fence = F1, prealloc-short-by = 4294967296,", "prealloc-short-by must be at most 2147483647, found 4294967296")]
    public void Counts_too_large_for_the_simulator_are_rejected_not_truncated(string field, string replacement, string message)
    {
        var text = World.Replace(field, replacement);
        var e = Assert.ThrowsAny<InputException>(() => ScenarioParser.ParseString(text, "w.conf"));
        Assert.Matches(@"^w\.conf:\d+:\d+: ", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void A_design_based_on_a_later_design_says_the_base_must_come_first()
    {
        var text = World.Replace(
            "designs { v2-close-first { base = v2,",
            "designs { early { base = v2-close-first }, v2-close-first { base = v2,");
        var e = Assert.ThrowsAny<InputException>(() => ScenarioParser.ParseString(text, "w.conf"));
        Assert.Matches(@"^w\.conf:14:\d+: design 'early': base design 'v2-close-first' must be declared before the designs based on it$", e.Message);
    }

    [Theory]
    [InlineData("16K", 16384UL)]
    [InlineData("0x4000", 16384UL)]
    [InlineData("4 MiB", 4UL << 20)]
    [InlineData("2G", 2UL << 30)]
    [InlineData("4096", 4096UL)]
    public void Numbers_accept_hex_and_binary_size_units(string text, ulong expected)
    {
        Assert.True(HoconFields.TryParseNumber(text, out var value));
        Assert.Equal(expected, value);
    }
}
