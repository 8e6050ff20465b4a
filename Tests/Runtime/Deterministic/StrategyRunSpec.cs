using Gpuvmsim.Runtime;
using Gpuvmsim.Runtime.Deterministic;
using Gpuvmsim.Runtime.Scheduling;

namespace Gpuvmsim.Tests.Runtime.Deterministic;

public sealed class StrategyRunSpec
{
    private static (string Trace, List<string> Log, Schedule Schedule) Run(ActorSystemSettings settings)
    {
        var system = ActorSystem.Create("program", settings with { Trace = true });
        var log = Programs.FanIn(system);
        system.Deterministic!.RunUntilQuiescent();
        var result = (system.Deterministic.Trace!.ToText(), log, system.Deterministic.RecordedSchedule);
        system.Terminate();
        return result;
    }

    [Fact]
    public void Fifo_delivers_the_oldest_enqueued_message_first_across_all_channels()
    {
        var (_, log, _) = Run(new ActorSystemSettings { Strategy = "fifo" });
        var expected = Enumerable.Range(0, 3).SelectMany(p => Enumerable.Range(0, 5).Select(i => $"producer{p}:{i}"));
        Assert.Equal(expected, log);
    }

    [Fact]
    public void Random_is_reproducible_per_seed_and_varies_between_seeds()
    {
        var a = Run(new ActorSystemSettings { Strategy = "random", Seed = 7 });
        var b = Run(new ActorSystemSettings { Strategy = "random", Seed = 7 });
        Assert.Equal(a.Trace, b.Trace);
        var orders = Enumerable.Range(0, 8).Select(seed => string.Join(",", Run(new ActorSystemSettings { Strategy = "random", Seed = (ulong)seed }).Log)).ToHashSet();
        Assert.True(orders.Count > 1, "different seeds should give different interleavings");
    }

    [Fact]
    public void Random_keeps_per_sender_FIFO_between_two_actors()
    {
        for (ulong seed = 0; seed < 20; seed++)
        {
            var (_, log, _) = Run(new ActorSystemSettings { Strategy = "random", Seed = seed });
            for (int p = 0; p < 3; p++)
            {
                var fromP = log.Where(l => l.StartsWith($"producer{p}:", StringComparison.Ordinal)).ToList();
                Assert.Equal(Enumerable.Range(0, 5).Select(i => $"producer{p}:{i}"), fromP);
            }
        }
    }

    [Fact]
    public void Pct_runs_the_program_to_completion_and_is_reproducible()
    {
        var a = Run(new ActorSystemSettings { Strategy = "pct", Seed = 3, PctDepth = 3 });
        var b = Run(new ActorSystemSettings { Strategy = "pct", Seed = 3, PctDepth = 3 });
        Assert.Equal(15, a.Log.Count);
        Assert.Equal(a.Trace, b.Trace);
    }

    [Fact]
    public void Pct_iterations_of_one_strategy_instance_explore_different_interleavings()
    {
        var pct = new PctStrategy(1, 2);
        var orders = new HashSet<string>();
        for (int i = 0; i < 10; i++)
        {
            pct.PrepareIteration(i);
            orders.Add(string.Join(",", Run(new ActorSystemSettings { StrategyInstance = pct }).Log));
        }
        Assert.True(orders.Count > 1);
    }

    [Fact]
    public void Replaying_a_recorded_schedule_reproduces_the_same_trace()
    {
        var original = Run(new ActorSystemSettings { Strategy = "random", Seed = 99 });
        var schedule = Schedule.Parse(original.Schedule.ToString());
        var replayed = Run(new ActorSystemSettings { Strategy = "replay", ReplaySchedule = schedule });
        Assert.Equal(original.Trace, replayed.Trace);
        Assert.Equal(TraceHash.Sha256(original.Trace), TraceHash.Sha256(replayed.Trace));
    }

    [Fact]
    public void A_replay_prefix_then_the_strategy_continues_the_run()
    {
        var original = Run(new ActorSystemSettings { Strategy = "random", Seed = 5 });
        var continued = Run(new ActorSystemSettings { Strategy = "fifo", ReplaySchedule = original.Schedule.Take(10) });
        var originalLines = original.Trace.Split('\n').Take(10);
        Assert.Equal(originalLines, continued.Trace.Split('\n').Take(10));
        Assert.Equal(15, continued.Log.Count);
    }

    [Fact]
    public void A_replay_that_no_longer_fits_the_program_names_the_step_and_what_was_enabled()
    {
        var original = Run(new ActorSystemSettings { Strategy = "random", Seed = 5 });
        var system = ActorSystem.Create("program", new ActorSystemSettings { Strategy = "replay", ReplaySchedule = original.Schedule });
        var log = new List<string>();
        var other = system.ActorOf(Props.CreateBy(() => new Programs.Collector(log)), "other-program");
        other.Tell("hello", null);
        var e = Assert.Throws<ScheduleDivergedException>(() => system.Deterministic!.RunUntilQuiescent());
        Assert.Equal(0, e.Step);
        Assert.Contains("step 0", e.Message);
        Assert.Contains("enabled deliveries", e.Found);
        Assert.Contains("replay[choices:", e.Strategy);
    }

    [Fact]
    public void ChooseValue_is_picked_by_the_strategy_recorded_and_replayed()
    {
        int Pick(ActorSystemSettings settings, out Schedule schedule)
        {
            var system = ActorSystem.Create("values", settings);
            var chooser = system.ActorOf(Props.Create<Programs.Chooser>(), "chooser");
            var task = chooser.Ask<int>("pick");
            int value = system.Deterministic!.RunUntilCompleted(task, TimeSpan.FromSeconds(1));
            schedule = system.Deterministic.RecordedSchedule;
            return value;
        }
        var values = Enumerable.Range(0, 10).Select(seed => Pick(new ActorSystemSettings { Strategy = "random", Seed = (ulong)seed }, out _)).ToList();
        Assert.True(values.Distinct().Count() > 1);
        int recorded = Pick(new ActorSystemSettings { Strategy = "random", Seed = 4 }, out var schedule);
        Assert.Contains(schedule.Choices, c => c.Kind == ScheduleChoiceKind.Value && c.Value == recorded);
        Assert.Equal(recorded, Pick(new ActorSystemSettings { Strategy = "replay", ReplaySchedule = schedule }, out _));
        Assert.Equal(0, Pick(new ActorSystemSettings { Strategy = "fifo" }, out _));
    }

    [Fact]
    public void The_enabled_candidates_are_the_heads_of_the_channels()
    {
        var system = Programs.Create("fifo");
        Programs.FanIn(system);
        var enabled = system.Deterministic!.EnabledCandidates.ToArray();
        Assert.Equal(3, enabled.Length);
        Assert.All(enabled, c => Assert.Equal(0, c.SenderId));
        Assert.Equal("go", system.Deterministic.PeekMessage(enabled[0]));
        system.Deterministic.Step();
        Assert.Equal(3, system.Deterministic.EnabledCandidates.Length);
        Assert.Contains(system.Deterministic.EnabledCandidates.ToArray(), c => system.Deterministic.RefById(c.ReceiverId)!.Path.Name == "collector");
    }
}
