using Gpuvmsim.Domain.Simulation;
using Gpuvmsim.Exploration;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Tests.Exploration;

public class DfsBudgetSpec
{
    [Fact]
    public void Dfs_stays_within_the_budget_when_the_first_choice_has_more_options_than_the_budget()
    {
        var contexts = string.Join(", ", Enumerable.Range(0, 12).Select(i => $"{{ name = T{i}, steps = [ {{ lock = A }}, {{ unlock = A }} ] }}"));
        var spec = ScenarioParser.ParseString($"scenario {{ name = wide, locks = [ {{ name = A }} ], contexts = [ {contexts} ] }}", "wide.conf");

        var result = Explorer.Explore(spec, ScenarioValidator.Designs(spec)["v2"],
            new ExploreOptions { Strategy = "dfs", Budget = 5 }, Worlds.For(spec));

        Assert.Equal(5, result.Schedules);
        Assert.False(result.Exhausted);
    }
}
