using Gpuvmsim.Domain.Simulation;
using Gpuvmsim.Exploration;
using Xunit.Abstractions;
using static Gpuvmsim.Tests.BindJournals.BindJournalFixtures;

namespace Gpuvmsim.Tests.Jobs;

/// <summary>An exploration cut into ranges, explored apart in any order and merged, is the one-process exploration.</summary>
public sealed class RangeExplorationSpec(ITestOutputHelper output)
{
    [Theory]
    [InlineData("s02", "v2-close-op-lock-first", "random", 60, 7)]
    [InlineData("s02", "v2-close-op-lock-first", "pct", 40, 9)]
    [InlineData("s12-", "vm-lock-first", "random", 50, 5)]
    [InlineData("s12-", "v2-fixed", "random", 20, 20)]
    [InlineData("s12b", "vm-lock-first-legacy-on-vm-bind", "pct", 30, 4)]
    public void Ranges_explored_in_any_order_merge_into_the_one_process_exploration(string file, string designName, string strategy, long budget, long rangeSize)
    {
        var scenario = Scenario(file);
        var design = Design(scenario, designName);
        var world = Worlds.For(scenario);
        var whole = Explorer.Explore(scenario, design, new ExploreOptions { Strategy = strategy, Budget = budget, Seed = 7 }, world);

        // Last range first, on one thread: another order and another core count than the whole exploration's.
        var split = new ExploreOptions { Strategy = strategy, Budget = budget, Seed = 7, Parallelism = 1 };
        var ranges = RangeExploration.Split(budget, rangeSize).Reverse()
            .Select(r => RangeExploration.Explore(scenario, design, split, world, r.Start, r.End)).ToList();
        var merged = RangeExploration.Merge(scenario, design, split, world, ranges);

        output.WriteLine($"{whole.Findings.Count} finding(s), {ranges.Sum(r => r.Notable.Count)} notable schedule(s), witnesses: " +
            string.Join("; ", whole.Findings.Select(f => $"{f.ScheduleIndex} <- [{string.Join(",", f.Witnesses.Select(w => w.Index))}]")));
        Assert.Equal(Summary(whole), Summary(merged));
        Assert.Equal(whole.Graph.ToDot(), merged.Graph.ToDot());
        Assert.Equal(whole.Graph.Edges.Select(e => (e.From.Name, e.To.Name, e.ScheduleIndex, e.Delivery)),
            merged.Graph.Edges.Select(e => (e.From.Name, e.To.Name, e.ScheduleIndex, e.Delivery)));
    }

    [Fact]
    public void An_inversion_whose_cycle_spans_two_ranges_keeps_its_witness_from_the_other_range()
    {
        var scenario = Scenario("s12b");
        var design = Design(scenario, "vm-lock-first-legacy-on-vm-bind");
        var world = Worlds.For(scenario);
        var options = new ExploreOptions { Strategy = "random", Budget = 30, Seed = 7 };
        var whole = Explorer.Explore(scenario, design, options, world);
        var inversion = whole.Findings.Single(f => f.Kind == "lock-order-inversion");
        Assert.NotEmpty(inversion.Witnesses);

        // One range per schedule: every witness is in another range than the schedule that closed the cycle.
        var ranges = RangeExploration.Split(options.Budget, 1).Select(r => RangeExploration.Explore(scenario, design, options, world, r.Start, r.End));
        var merged = RangeExploration.Merge(scenario, design, options, world, ranges).Findings.Single(f => f.Kind == "lock-order-inversion");

        Assert.Equal(inversion.Witnesses, merged.Witnesses);
        Assert.Equal(inversion.TraceSha256, merged.TraceSha256);
    }

    [Fact]
    public void Ranges_that_leave_a_gap_or_overlap_are_not_merged()
    {
        var scenario = Scenario("s12-");
        var design = Design(scenario, "v2");
        var world = Worlds.For(scenario);
        var options = new ExploreOptions { Strategy = "random", Budget = 6 };
        var first = RangeExploration.Explore(scenario, design, options, world, 0, 3);
        var last = RangeExploration.Explore(scenario, design, options, world, 3, 6);

        Assert.Contains("cover 3 of 6", Assert.Throws<InvalidOperationException>(() => RangeExploration.Merge(scenario, design, options, world, [first])).Message);
        Assert.Contains("starting at 3", Assert.Throws<InvalidOperationException>(() => RangeExploration.Merge(scenario, design, options, world, [first, first, last])).Message);
    }

    [Theory]
    [InlineData("dfs")]
    [InlineData("fifo")]
    public void Only_random_and_pct_explorations_split(string strategy)
    {
        var scenario = Scenario("s12-");
        var options = new ExploreOptions { Strategy = strategy, Budget = 4 };
        var error = Assert.Throws<InputException>(() => RangeExploration.Explore(scenario, Design(scenario, "v2"), options, Worlds.For(scenario), 0, 4));
        Assert.Contains("cannot be split", error.Message);
    }

    [Fact]
    public void Split_tiles_the_budget_with_a_shorter_last_range()
    {
        Assert.Equal([(0L, 4L), (4L, 8L), (8L, 10L)], RangeExploration.Split(10, 4));
        Assert.Equal([(0L, 3L)], RangeExploration.Split(3, 100));
        Assert.Throws<InputException>(() => RangeExploration.Split(10, 0));
    }

    /// <summary>Everything the CLI and the journal show of an exploration, as one comparable text.</summary>
    private static string Summary(ExplorationResult result) =>
        $"{result.Schedules} schedules, {result.Deliveries} deliveries, exhausted {result.Exhausted}\n" + string.Join("\n", result.Findings.Select(f =>
            $"{f.Kind} {f.Finding.Key} at {f.ScheduleIndex} {f.Schedule} witnesses [{string.Join(",", f.Witnesses.Select(w => $"{w.Index}:{w.Schedule}"))}] trace {f.TraceSha256}"));
}
