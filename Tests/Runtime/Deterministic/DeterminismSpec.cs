using Gpuvmsim.Runtime;
using Gpuvmsim.Runtime.Deterministic;

namespace Gpuvmsim.Tests.Runtime.Deterministic;

public sealed class DeterminismSpec
{
    private static readonly ActorSystemSettings Random7 = new() { Strategy = "random", Seed = 7 };

    [Fact]
    public void Running_the_same_program_twice_with_one_seed_gives_byte_identical_traces()
    {
        var report = DeterminismCheck.Run(system => Programs.FanIn(system), Random7, runs: 3);
        Assert.True(report.IsDeterministic, report.Divergence?.ToString());
        Assert.Single(report.TraceSha256.Distinct());
        Assert.Matches("^[0-9a-f]{64}$", report.TraceSha256[0]);
        Assert.All(report.Steps, s => Assert.Equal(report.Steps[0], s));
    }

    [Fact]
    public void A_program_reading_a_shared_static_counter_is_reported_with_its_first_diverging_step()
    {
        var counter = new SharedCounter();
        var report = DeterminismCheck.Run(system =>
        {
            var leaky = system.ActorOf(Props.CreateBy(() => new Leaky(counter)), "leaky");
            for (int i = 0; i < 3; i++) leaky.Tell(i, null);
        }, Random7);
        Assert.False(report.IsDeterministic);
        var divergence = report.Divergence!;
        Assert.Equal($"{divergence.Step} @0 /user/leaky -> /user/leaky: seen 3", divergence.LineA);
        Assert.Equal($"{divergence.Step} @0 /user/leaky -> /user/leaky: seen 6", divergence.LineB);
        Assert.InRange(divergence.Step, 1, 3);
    }

    [Fact]
    public void A_program_reading_the_clock_is_caught_by_comparing_traces()
    {
        var report = DeterminismCheck.Run(system =>
        {
            var clocky = system.ActorOf(Props.Create<Clocky>(), "clocky");
            clocky.Tell("now", null);
        }, Random7, runs: 4);
        // Environment.TickCount64 moves between runs only sometimes; the check must at least not crash and,
        // whenever the texts differ, name the first step that differs.
        if (!report.IsDeterministic) Assert.Equal(1, report.Divergence!.Step);
    }

    [Fact]
    public void TraceComparer_reports_the_first_differing_line_or_null()
    {
        Assert.Null(TraceComparer.FirstDivergence("a\nb\n", "a\nb\n"));
        var d = TraceComparer.FirstDivergence("a\nb\nc\n", "a\nx\nc\n")!;
        Assert.Equal(1, d.Step);
        Assert.Equal("b", d.LineA);
        Assert.Equal("x", d.LineB);
        var shorter = TraceComparer.FirstDivergence("a\nb\n", "a\n")!;
        Assert.Equal(1, shorter.Step);
        Assert.Null(shorter.LineB);
    }

    [Fact]
    public void The_trace_line_has_step_virtual_ticks_paths_and_message()
    {
        var system = Programs.Create("fifo");
        Programs.FanIn(system, perProducer: 1);
        system.Deterministic!.RunUntilQuiescent();
        var lines = system.Deterministic.Trace!.ToText().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("0 @0 /deadLetters -> /user/producer0: go", lines[0]);
        Assert.Contains("3 @0 /user/producer0 -> /user/collector: 0", lines);
        Assert.Equal(6, lines.Length);
        Assert.Equal(6, system.Deterministic.Trace.Count);
        Assert.Equal("/user/collector", system.Deterministic.Trace[3].ReceiverPath);
    }

    [Fact]
    public async Task Independent_systems_run_on_different_threads_at_once_without_interfering()
    {
        static string Once() => DeterminismCheck.Run(system => Programs.FanIn(system, 50), Random7).TraceSha256[0];
        string expected = Once();
        var hashes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(Once)));
        Assert.All(hashes, h => Assert.Equal(expected, h));
    }

    private sealed class SharedCounter
    {
        public int Value;
    }

    private sealed class Leaky(SharedCounter counter) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            if (message is not int i) return;
            counter.Value++;
            if (i == 0) Self.Tell($"seen {counter.Value + 2}", Self);
        }
    }

    private sealed class Clocky : UntypedActor
    {
        protected override void OnReceive(object message) => Sender.Tell($"tick {Environment.TickCount64 / 1000}", Self);
    }
}
