using Gpuvmsim.Domain.Designs;
using Gpuvmsim.Domain.Simulation;
using Gpuvmsim.Exploration;
using Gpuvmsim.Runtime.Deterministic;
using Gpuvmsim.Runtime.Scheduling;
using Gpuvmsim.Scenarios;
using Gpuvmsim.Shrinking;
using static Gpuvmsim.Tests.BindJournals.BindJournalFixtures;

namespace Gpuvmsim.Tests.Shrinking;

/// <summary>The lenient replay that steers shrink candidates: exact on its own run, fifo without a guide, never diverging.</summary>
public class LenientReplaySpec
{
    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void A_runs_own_named_choices_replay_it_exactly(ulong seed)
    {
        var scenario = Scenario("s02");
        var design = Design(scenario, "v2-close-op-lock-first");
        var (recorded, driver) = Run(scenario, design, Explorer.SampledStrategy(new ExploreOptions { Strategy = "random", Seed = seed }, 0));

        var (replayed, _) = Run(scenario, design, new LenientReplayStrategy(ScheduleGuide.Of(recorded.Schedule, driver)));

        Assert.Equal(recorded.Schedule, replayed.Schedule);
    }

    [Fact]
    public void Without_a_guide_the_oldest_message_goes_first()
    {
        var scenario = Scenario("s02");
        var (fifo, _) = Run(scenario, DesignCatalog.V2, new FifoStrategy());

        var (lenient, _) = Run(scenario, DesignCatalog.V2, new LenientReplayStrategy(ScheduleGuide.Empty));

        Assert.Equal(fifo.Schedule, lenient.Schedule);
    }

    [Fact]
    public void Guides_name_actors_by_path_without_their_declaration_index_so_removals_do_not_rename_them()
    {
        var scenario = Scenario("s02");
        var (run, driver) = Run(scenario, DesignCatalog.V2, new FifoStrategy());

        var actors = ScheduleGuide.Of(run.Schedule, driver).Choices.Where(c => c.IsDelivery).SelectMany(c => new[] { c.Sender, c.Receiver }).ToHashSet();

        Assert.Contains("/user/world/ctx-T1", actors);
        Assert.Contains("/user/world/ctx-T2", actors);
        Assert.Contains("/user/world/vm-V", actors);
        Assert.DoesNotContain(actors, a => a.Contains("-0-", StringComparison.Ordinal) || a.Contains("-1-", StringComparison.Ordinal));
    }

    [Fact]
    public void A_guide_from_a_larger_scenario_steers_a_smaller_one_without_diverging()
    {
        var scenario = Scenario("s02");
        var design = Design(scenario, "v2-close-op-lock-first");
        var (recorded, driver) = Run(scenario, design, Explorer.SampledStrategy(new ExploreOptions { Strategy = "random", Seed = 1 }, 0));
        var smaller = scenario with { Contexts = [scenario.Contexts[1] with { Steps = [scenario.Contexts[1].Steps[1]] }, scenario.Contexts[0]] };

        var (replayed, _) = Run(smaller, design, new LenientReplayStrategy(ScheduleGuide.Of(recorded.Schedule, driver)));
        var (unguided, _) = Run(smaller, design, new LenientReplayStrategy(ScheduleGuide.Empty));

        Assert.Equal(RunEnd.Quiescent, replayed.End);
        // Steered: not the oldest-first order an empty guide falls back to.
        Assert.NotEqual(unguided.Schedule.ToString(), replayed.Schedule.ToString());
    }

    private static (RunResult Result, DeterministicDriver Driver) Run(ScenarioSpec scenario, Design design, ExplorationStrategy strategy)
    {
        DeterministicDriver? driver = null;
        var result = SimulationRun.Execute(new RunRequest(scenario, design, Worlds.For(scenario), strategy)
        {
            OnStart = (d, _) =>
            {
                driver = d;
                (strategy as LenientReplayStrategy)?.Attach(d);
            },
        });
        return (result, driver!);
    }
}
