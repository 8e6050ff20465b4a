using Gpuvmsim.Domain.Simulation;
using Gpuvmsim.Exploration;
using Gpuvmsim.Scenarios;
using Gpuvmsim.Tests.Reference;

namespace Gpuvmsim.Tests.Exploration;

/// <summary>Runs the explorer the way a verdict is asked of it: a complete dfs search.</summary>
internal static class ExplorerVerdict
{
    public static ExplorationResult Dfs(ScenarioSpec spec, string design = "v2", bool reduce = true, long budget = 2_000_000) =>
        Explorer.Explore(spec, ScenarioValidator.Designs(spec)[design],
            new ExploreOptions { Strategy = "dfs", Budget = budget, Reduce = reduce }, Worlds.For(spec));

    /// <summary>Renders <paramref name="script"/> as HOCON, parses it and explores it exhaustively.</summary>
    public static ExplorationResult Dfs(RefScript script) =>
        Dfs(ScenarioParser.ParseString(script.ToHocon(), $"{script.Name}.conf"));

    public static string Show(IEnumerable<string> kinds) => "[" + string.Join(", ", kinds.Order(StringComparer.Ordinal)) + "]";
}
