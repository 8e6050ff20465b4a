using Gpuvmsim.Domain.Designs;
using Gpuvmsim.Domain.Simulation;
using Gpuvmsim.Exploration;
using Gpuvmsim.Persistence.BindJournals;
using Gpuvmsim.Scenarios;
using Gpuvmsim.Tests.Scenarios;

namespace Gpuvmsim.Tests.BindJournals;

/// <summary>Scenarios of the library, explored and journaled the way the CLI does it.</summary>
internal static class BindJournalFixtures
{
    public static readonly DateTimeOffset RecordedAt = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    public static ScenarioSpec Scenario(string filePrefix) =>
        ScenarioParser.ParseFile(Directory.GetFiles(ScenarioLibrarySpec.LibraryFolder, filePrefix + "*.conf").Single());

    public static Design Design(ScenarioSpec scenario, string name) => ScenarioValidator.Designs(scenario)[name];

    /// <summary>Explores exhaustively and journals every finding; returns the exploration and its journal ids.</summary>
    public static (ExplorationResult Result, JournaledExploration Journaled) ExploreInto(
        BindJournalStore store, ScenarioSpec scenario, Design design, string strategy = "dfs", long budget = 2_000_000)
    {
        var options = new ExploreOptions { Strategy = strategy, Budget = budget };
        var result = Explorer.Explore(scenario, design, options, Worlds.For(scenario));
        return (result, ExplorationJournal.Save(store, scenario, design, options, result, RecordedAt));
    }

    /// <summary>One random run (<c>gpuvmsim run --seed</c>), journaled.</summary>
    public static string RunInto(BindJournalStore store, ScenarioSpec scenario, Design design, ulong seed)
    {
        var options = new ExploreOptions { Strategy = "random", Seed = seed, Budget = 1 };
        var (_, run) = Explorer.RunOnce(scenario, design, options, Worlds.For(scenario));
        return ExplorationJournal.SaveRun(store, scenario, design, options, run, RecordedAt);
    }
}
