using System.CommandLine;
using Gpuvmsim.Domain.Simulation;
using Gpuvmsim.Exploration;
using Gpuvmsim.Persistence.BindJournals;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Host.Cli;

/// <summary>
/// <c>gpuvmsim explore FILE [--design D] [--strategy dfs|random|pct] [--seed N] [--budget N] [--json]</c> and
/// <c>gpuvmsim run FILE …</c> (one schedule): explore the schedules of a scenario and report what they found.
/// </summary>
internal static class ExploreCommand
{
    public static Command CreateExplore()
    {
        var options = new ScenarioCommandOptions();
        var budget = new Option<long?>("--budget") { Description = "most schedules to run (default 1000; dfs: 1000000)" };
        var parallelism = new Option<int>("--parallelism") { Description = "worker threads (0 = one per core); results never depend on it" };
        var noReduction = new Option<bool>("--no-reduction") { Description = "dfs: explore every interleaving of independent deliveries (to cross-check the partial-order reduction)" };
        var command = new Command("explore", "Explore the schedules of a scenario and report deadlocks, lock-order inversions and invariant violations.");
        options.AddTo(command);
        command.Options.Add(budget);
        command.Options.Add(parallelism);
        command.Options.Add(noReduction);
        command.SetGuardedAction(parse =>
        {
            var defaultBudget = parse.GetValue(options.Strategy) == "dfs" ? 1_000_000 : 1000;
            var explore = options.ExploreOptions(parse, parse.GetValue(budget) ?? defaultBudget) with
            {
                Parallelism = parse.GetValue(parallelism),
                Reduce = !parse.GetValue(noReduction),
            };
            return Report(parse, options, explore, single: false);
        });
        return command;
    }

    public static Command CreateRun()
    {
        var options = new ScenarioCommandOptions();
        var command = new Command("run", "Run one schedule of a scenario.");
        options.AddTo(command);
        command.SetGuardedAction(parse =>
        {
            var explore = options.ExploreOptions(parse, budget: 1);
            return Report(parse, options, explore with { Strategy = explore.Strategy is "dfs" ? "fifo" : explore.Strategy, Parallelism = 1 }, single: true);
        });
        return command;
    }

    private static int Report(ParseResult parse, ScenarioCommandOptions options, ExploreOptions explore, bool single)
    {
        var scenario = options.Scenario(parse);
        var design = options.DesignOf(parse, scenario);
        var database = parse.GetValue(options.Journal);
        // Open the journal first: a bad database is reported before minutes of exploring.
        using var store = database is null ? null : BindJournalStore.Open(database, create: true);
        ExplorationResult result;
        JournalLinks? links = null;
        if (single)
        {
            (result, var run) = Explorer.RunOnce(scenario, design, explore, Worlds.For(scenario));
            if (store is not null)
                links = new JournalLinks(database!, null, ExplorationJournal.SaveRun(store, scenario, design, explore, run, DateTimeOffset.UtcNow), []);
        }
        else
        {
            result = Explorer.Explore(scenario, design, explore, Worlds.For(scenario));
            if (store is not null)
            {
                var journaled = ExplorationJournal.Save(store, scenario, design, explore, result, DateTimeOffset.UtcNow);
                links = new JournalLinks(database!, journaled.ExplorationId, null, journaled.FindingJournalIds);
            }
        }
        Console.Write(parse.GetValue(options.Json) ? ExplorationOutput.Json(result, links) + "\n" : ExplorationOutput.Human(result, links));
        return parse.GetValue(options.FailOnFindings) && result.Findings.Count > 0 ? ExitCodes.Findings : ExitCodes.Ok;
    }
}
